# SPDX-License-Identifier: EUPL-1.2
"""The one error type that pure rules raise when a person's input or request cannot be honoured.

Holds: :class:`DomainError` (a stable ``code`` plus parameters, no words). May import: nothing
outside the standard library. The words are chosen at the edge (``apps.core.errors``), with gettext, so
the Swedish page, the English page and the API each get their own language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(ValueError):
    """A refusal by a pure rule: ``code`` names what went wrong, ``params`` fill in its message.

    ``code`` is dotted and stable (``"lifecycle.already_in_status"``, ``"period.year_out_of_range"``);
    it is the key the edge looks its translated message up by, and what the API will return. ``params``
    are plain values (str, int, Decimal, date, lists of those) interpolated into that message.
    ``str(error)`` is a developer-facing fallback, never shown to a user.
    """

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params: Mapping[str, Any] = params
        super().__init__(f"{code} {params}" if params else code)

    def __reduce__(self) -> tuple[Any, ...]:  # keep pickling (e.g. across test workers) working
        return (_rebuild, (type(self), self.code, dict(self.params)))


def _rebuild(cls: type[DomainError], code: str, params: dict[str, Any]) -> DomainError:
    return cls(code, **params)
