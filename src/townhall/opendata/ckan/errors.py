"""CKAN's error types, with the HTTP status and `__type` its Action API answers with."""

from typing import Any


class CkanError(Exception):
    status = 500
    type_name = "Internal Server Error"
    headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


class NotFound(CkanError):
    """404 {"__type": "Not Found Error", "message": "Not found[: detail]"}."""

    status = 404
    type_name = "Not Found Error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        message = f"Not found: {self.detail}" if self.detail else "Not found"
        return {"__type": self.type_name, "message": message}


class NotAuthorized(CkanError):
    """403 {"__type": "Authorization Error", "message": "Access denied[: detail]"}."""

    status = 403
    type_name = "Authorization Error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        message = f"Access denied: {self.detail}" if self.detail else "Access denied"
        return {"__type": self.type_name, "message": message}


class ValidationError(CkanError):
    """409 {"__type": "Validation Error", "<field>": ["message", ...], ...}."""

    status = 409
    type_name = "Validation Error"

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(str(errors))
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {"__type": self.type_name, **self.errors}


class SearchQueryError(CkanError):
    """409 {"__type": "Search Query Error", "message": "Search Query is invalid: ..."}: a
    query, filter or sort Townhall cannot answer (an unknown field, unbalanced brackets, a
    bad date). 409 is the status CKAN gives a query its Solr refuses, so that clients
    treat it as the caller's error and never as an empty page."""

    status = 409
    type_name = "Search Query Error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": f"Search Query is invalid: {self.detail!r}"}


class Unavailable(CkanError):
    """429 or 503 {"__type": "<type>", "message": "..."} with Retry-After: the request was
    refused for now (too many from this visitor, or the server's SQL places all taken)."""

    def __init__(self, status: int, type_name: str, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.status, self.type_name, self.message = status, type_name, message
        self.headers = {"Retry-After": str(retry_after)}

    def body(self) -> dict[str, Any]:
        return {"__type": self.type_name, "message": self.message}
