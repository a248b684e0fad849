"""Every change to market engagement, and every rule: who may make it, the deadlines, one
response per supplier, anonymised answers, and what each change leaves in the audit log.
Views and the API call these; so do the demo and the tests.

This face hands on what callers use (`services.challenge_publish(...)`); each part lives in
its own module: suppliers, challenges, responses (expressions of interest and clarification
questions), pipeline (procurements and contracts), notices (Procurement Act notices) and
alerts (supplier emails), with the errors and shared helpers in `_common` and the parsing
of what people type in `parsing`. Events and evaluation are imported by their own names.
"""

from ._common import (
    ChallengeInvalid,
    DeadlinePassed,
    MarketError,
    ProcurementInvalid,
    QuestionInvalid,
    ResponseInvalid,
    SupplierInvalid,
)
from .alerts import challenge_alerts_follow, challenge_alerts_stop
from .challenges import (
    CHALLENGE_TEXT,
    challenge_close,
    challenge_create,
    challenge_edit,
    challenge_publish,
)
from .notices import NoticeInvalid, notice_uk1_publish, notice_uk2_publish, notice_uk3_publish
from .parsing import normalised_company_number, pence_from_pounds
from .pipeline import PROCUREMENT_TEXT, contract_award, procurement_create, procurement_edit
from .responses import question_answer, question_ask, response_submit
from .suppliers import supplier_edit, supplier_register

__all__ = [
    "CHALLENGE_TEXT",
    "PROCUREMENT_TEXT",
    "ChallengeInvalid",
    "DeadlinePassed",
    "MarketError",
    "NoticeInvalid",
    "ProcurementInvalid",
    "QuestionInvalid",
    "ResponseInvalid",
    "SupplierInvalid",
    "challenge_alerts_follow",
    "challenge_alerts_stop",
    "challenge_close",
    "challenge_create",
    "challenge_edit",
    "challenge_publish",
    "contract_award",
    "normalised_company_number",
    "notice_uk1_publish",
    "notice_uk2_publish",
    "notice_uk3_publish",
    "pence_from_pounds",
    "procurement_create",
    "procurement_edit",
    "question_answer",
    "question_ask",
    "response_submit",
    "supplier_edit",
    "supplier_register",
]
