"""Errors raised by the importer. Messages are Swedish: they are shown to the user as they are."""

from __future__ import annotations


class ImportFailure(Exception):
    """A document that cannot be imported; ``message`` is a complete Swedish sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
