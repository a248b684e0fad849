"""The API's error shape, apart from the API itself, so that every module's router can
import it while core.api is still building (core.api imports the routers).

    {"error": {"code": "stable_snake_case", "message": "for a person", "details": {...}}}
"""

from typing import Any

from ninja import Schema


class ApiError(Exception):
    """Raise from an API handler to answer with a specific status and error code."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


class ErrorDetail(Schema):
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(Schema):
    """Every error the API answers with, whatever its status."""

    error: ErrorDetail


#: What any operation may answer: 400 for an address holding a NUL character (refused
#: before the operation runs) and 429 over the visitors' rate limit.
ALWAYS = (400, 429)


def responses(success: Any, *errors: int, status: int = 200) -> dict[int, Any]:
    """An operation's `response=`: its success schema under `status`, and the error shape
    under each status in `errors` and ALWAYS, so the OpenAPI document lists every answer
    the operation really gives (the API's conformance test holds it to that)."""
    return {status: success, **dict.fromkeys(sorted({*ALWAYS, *errors}), ErrorOut)}
