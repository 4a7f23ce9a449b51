"""Errors a service raises for a person to read (shown as a message, never a traceback)."""


class ApplicationError(Exception):
    """A rule of the domain was broken; the message is written for the user."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
