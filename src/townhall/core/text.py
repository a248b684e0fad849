"""Text every output can carry: no control characters a person never means to type.

A NUL or another C0 control character pasted into a title makes every XML document that
quotes it ill-formed (XML 1.0 cannot carry them, even escaped), is refused by PostgreSQL
(NUL), and breaks XLSX and Atom writers. Text typed by a person is refused with a clear
message (`single_line_text`, `multi_line_text`: put them in a model field's `validators`,
which services check with `full_clean()`, or a form field's); names that come with a file
are cleaned instead (`clean_file_name`), and writers of XML strip what may already be
stored (`xml_text`).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Characters XML 1.0 cannot hold: C0 controls but tab, LF and CR; lone surrogates (a JSON
# "\ud800" decodes to one); and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_IN_PARAGRAPHS = re.compile(f"[{_NOT_XML}]")
_NOT_IN_A_LINE = re.compile(f"[{_NOT_XML}\t\n\r]")


@deconstructible
class PlainTextValidator:
    """Refuses control characters; `multiline` text may also hold tabs and line breaks."""

    code = "control_characters"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        pattern = _NOT_IN_PARAGRAPHS if self.multiline else _NOT_IN_A_LINE
        if pattern.search(str(value)):
            raise ValidationError(self.message, code=self.code)

    @property
    def message(self):
        if self.multiline:
            return _("Remove the invisible control characters from this text")
        return _("Remove the tabs, line breaks and invisible control characters from this text")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((PlainTextValidator, self.multiline))


#: For a title, a name, a keyword: one line of text.
single_line_text = PlainTextValidator()
#: For a description or any text that may have paragraphs.
multi_line_text = PlainTextValidator(multiline=True)


def xml_text(text: str) -> str:
    """The text without the characters XML cannot hold, for writing text already stored."""
    return _NOT_IN_PARAGRAPHS.sub("", text)


def clean_file_name(name: str) -> str:
    """A file's name as sent, without control characters, tabs or line breaks (a name comes
    with the file, so it is cleaned rather than refused)."""
    return _NOT_IN_A_LINE.sub("", name)
