"""The one error a control-API request body can raise, Qt-free.

The server turns it into `400 {"error": message, "field": field}`; the alert and pushed
values models raise it, so every refusal names the field at fault.
"""

from __future__ import annotations


class RequestError(ValueError):
    """A request the show refuses: what is wrong and, when one is at fault, which field."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status

    def as_json(self) -> dict[str, str]:
        body = {"error": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body
