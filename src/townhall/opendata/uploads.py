"""Refusing an over-large upload while it streams in, before it fills a disk.

Django parses a multipart upload before the view runs. `limit_upload_size` puts a handler
first in the chain for one view: it skips the file as soon as the request says, or the
bytes show, that it is larger than the limit, so nothing of it is kept; the view then
tells the person the limit. (The CSRF check has to run after the handler is installed,
hence the exempt-then-protect wrapping Django's documentation recommends.)
"""

import functools

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .services import max_upload_bytes

TOO_LARGE_FLAG = "_opendata_upload_too_large"
#: Room for the form's other fields and the multipart boundaries.
ENVELOPE_BYTES = 64 * 1024


class SizeLimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.declared_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared_too_large = content_length > self.limit + ENVELOPE_BYTES

    def receive_data_chunk(self, raw_data, start):
        if self.declared_too_large or start + len(raw_data) > self.limit:
            setattr(self.request, TOO_LARGE_FLAG, True)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_upload_size(view):
    """Decorate a view that takes a file upload so a file over the limit is refused."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitedUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapped


def upload_was_too_large(request) -> bool:
    return bool(getattr(request, TOO_LARGE_FLAG, False))
