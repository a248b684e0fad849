"""What every market service shares: MarketError and its kinds, and the helpers that
check a model, store its two languages, check capabilities and find the actor's
organisation."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from townhall.core.formats import govuk_datetime
from townhall.core.permissions import require
from townhall.core.uploads import PdfProblem, pdf_problem

from ..manifest import RESPOND
from ..models import CAPABILITIES, Supplier


class MarketError(Exception):
    """A change market engagement refuses; nothing was stored. `code` is stable, `message`
    for people, `field` names the form field to blame, if any."""

    code = "market_error"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class SupplierInvalid(MarketError):
    code = "supplier_invalid"


class ChallengeInvalid(MarketError):
    code = "challenge_invalid"


class DeadlinePassed(MarketError):
    code = "deadline_passed"


class ResponseInvalid(MarketError):
    code = "response_invalid"


class QuestionInvalid(MarketError):
    code = "question_invalid"


class ProcurementInvalid(MarketError):
    code = "procurement_invalid"


# Helpers -------------------------------------------------------------------------------------


def _validated(obj: Any, error: type[MarketError], exclude: tuple[str, ...] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as problem:
        name, messages = next(iter(problem.message_dict.items()))
        raise error(messages[0], field=name.removesuffix("_en_gb")) from None


def _set_translated(obj: Any, names: tuple[str, ...], values: dict[str, Any]) -> None:
    """Store `{"title": ..., "title_cy": ...}` in the model's language columns."""
    for base in names:
        for name in (base, f"{base}_cy"):
            if name in values:
                column = name if name.endswith("_cy") else f"{name}_en_gb"
                setattr(obj, column, (values[name] or "").strip())


def _known_capabilities(codes: list[str], error: type[MarketError]) -> list[str]:
    known = {code for code, _label in CAPABILITIES}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise error(
            _("%(code)s is not one of the capabilities listed") % {"code": unknown[0]},
            field="capabilities",
        )
    return sorted(set(codes))


def _deadline_message(kind: Any, deadline: datetime) -> str:
    return _("The deadline for %(kind)s was %(when)s.") % {
        "kind": kind,
        "when": govuk_datetime(deadline),
    }


# Shared here rather than kept in suppliers.py: responses, supplier emails and events all
# ask it, and suppliers.py imports the supplier emails.
def _supplier_of(actor: Any) -> Supplier:
    require(actor, RESPOND)
    supplier = Supplier.objects.filter(account=actor).first()
    if supplier is None:
        raise ResponseInvalid(_("Register your organisation first"))
    return supplier


def _refuse_unless_pdf(
    upload: UploadedFile, *, error: type[MarketError], field: str, too_large: Any, not_pdf: Any
) -> None:
    """Refuse an upload that is not a PDF within MARKET_ATTACHMENT_MAX_BYTES, in the
    caller's words for what the document is (`too_large` takes `%(size)s`, in MB)."""
    limit = settings.MARKET_ATTACHMENT_MAX_BYTES
    problem = pdf_problem(upload, max_bytes=limit)
    if problem == PdfProblem.TOO_LARGE:
        raise error(too_large % {"size": f"{limit / (1024 * 1024):g}"}, field=field)
    if problem == PdfProblem.NOT_PDF:
        raise error(not_pdf, field=field)
