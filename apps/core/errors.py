# SPDX-License-Identifier: EUPL-1.2
"""Words for error codes: the edge where a ``domain.errors.DomainError`` becomes a translated message.

Holds: the registry of code → lazily translated message, and :func:`describe`. May import: domain,
Django. Each app registers the messages of the codes it (or the pure rules it calls) raises, in its
``errors.py`` or at the top of the module that raises them, with ``register({...})``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

from domain.errors import DomainError

# A message is a lazy string with %(name)s placeholders, or a callable that builds the text from the
# parameters (for lists and labels that must themselves be translated).
Message = Promise | str | Callable[[Mapping[str, Any]], str]

_MESSAGES: dict[str, Message] = {}


def register(messages: Mapping[str, Message]) -> None:
    """Register the words for some error codes. A code registered twice must mean the same message."""
    for code, message in messages.items():
        existing = _MESSAGES.get(code)
        if existing is not None and existing is not message and str(existing) != str(message):
            raise ValueError(f"error code {code!r} registered twice with different messages")
        _MESSAGES[code] = message


def describe(error: DomainError) -> str:
    """The error's message in the active language. An unregistered code is a programming error."""
    try:
        message = _MESSAGES[error.code]
    except KeyError as exc:
        raise LookupError(f"no message registered for error code {error.code!r}") from exc
    if callable(message):
        return message(error.params)
    text = gettext(str(message)) if isinstance(message, str) else str(message)
    return text % dict(error.params) if error.params else text


def registered_codes() -> frozenset[str]:
    return frozenset(_MESSAGES)
