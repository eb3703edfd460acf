"""One error shape for the whole product: status, title, message and details.

The pipeline raises these; the CLI turns them into exit codes and the web layer
into HTML, JSON or text responses.
"""

from __future__ import annotations

from typing import Any


class StrategiaverkkoError(Exception):
    status = 500
    title = "Error"
    # Seconds after which a retry may succeed (sent as Retry-After); None when retrying won't help.
    retry_after: int | None = None

    def __init__(
        self,
        message: str,
        details: dict[str, Any] | None = None,
        status: int | None = None,
        title: str | None = None,
        key: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        # Names the message for the web layer's translations (web/error_texts.py): the class name
        # unless one class raises several messages. `message` stays the English text logs use.
        self.key = key or type(self).__name__
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": False,
            "status": self.status,
            "title": self.title,
            "message": self.message,
            "details": self.details,
        }


class BadRequest(StrategiaverkkoError):
    status = 400
    title = "Bad request"
