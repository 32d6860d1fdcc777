# SPDX-License-Identifier: EUPL-1.2
"""Swedish organisation numbers (organisationsnummer).
May import: the standard library, python-stdnum and other domain modules; never Django or an app.

Ten digits written NNNNNN-NNNN with a Luhn check digit. The first digit tells the kind of
organisation: 2 = public body (stat, region, kommun), 5 = limited company, 7 = economic association,
8 = non-profit association or foundation, 9 = partnership. Every valid kind is accepted; the kind is
only a hint for the organisation form. A refused value raises :class:`OrgnrError` with a code
(``orgnr.format``, ``orgnr.length``, ``orgnr.checksum``); the words are chosen at the edge.
"""

from __future__ import annotations

import re
from enum import StrEnum

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.se import orgnr as _stdnum_orgnr

from domain.errors import DomainError

_FORMAT = re.compile(r"^\d{6}-?\d{4}$")


class OrgnrError(DomainError):
    """A value that is not a valid organisationsnummer; ``code`` says why, ``reason`` is its last part.

    ``orgnr.format``: not written NNNNNN-NNNN; ``orgnr.length``: not ten digits; ``orgnr.checksum``: the
    check digit is wrong. No parameters: the message must not echo what may be a personal number.
    """

    @property
    def reason(self) -> str:
        return self.code.rpartition(".")[2]


class OrgnrKind(StrEnum):
    PUBLIC_BODY = "public_body"
    COMPANY = "company"
    ECONOMIC_ASSOCIATION = "economic_association"
    NON_PROFIT = "non_profit"
    PARTNERSHIP = "partnership"
    OTHER = "other"


_KIND_BY_FIRST_DIGIT = {
    "2": OrgnrKind.PUBLIC_BODY,
    "5": OrgnrKind.COMPANY,
    "7": OrgnrKind.ECONOMIC_ASSOCIATION,
    "8": OrgnrKind.NON_PROFIT,
    "9": OrgnrKind.PARTNERSHIP,
}


def normalize(value: str) -> str:
    """Return ``value`` as NNNNNN-NNNN, or raise :class:`OrgnrError`.

    Accepts surrounding spaces and an optional hyphen; rejects anything else, wrong lengths and a
    wrong check digit.
    """
    text = (value or "").strip()
    if not _FORMAT.match(text):
        digits = re.sub(r"\D", "", text)
        if digits and len(digits) != 10:
            raise OrgnrError("orgnr.length")
        raise OrgnrError("orgnr.format")
    try:
        _stdnum_orgnr.validate(text)
    except InvalidChecksum as exc:
        raise OrgnrError("orgnr.checksum") from exc
    except (InvalidFormat, InvalidLength, ValidationError) as exc:  # pragma: no cover - caught by regex
        raise OrgnrError("orgnr.format") from exc
    return _stdnum_orgnr.format(text)


def is_valid(value: str) -> bool:
    try:
        normalize(value)
    except OrgnrError:
        return False
    return True


def kind_of(value: str) -> OrgnrKind:
    """The organisation kind the first digit suggests (the number must be valid)."""
    return _KIND_BY_FIRST_DIGIT.get(normalize(value)[0], OrgnrKind.OTHER)


def check_digit(first_nine: str) -> str:
    """The Luhn check digit that completes nine digits into a valid number."""
    if not re.fullmatch(r"\d{9}", first_nine):
        raise ValueError("nine digits expected")
    total = 0
    for index, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)
