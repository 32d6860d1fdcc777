# SPDX-License-Identifier: EUPL-1.2
"""Sections that higher areas add to the organisation page, without organisations importing them.

Holds the registry of organisation-page sections. May import: core, accounts. A higher area (e.g.
agreements: "the agreements this organisation is party to") registers a section in its
``AppConfig.ready()``; the organisation page renders every registered section in order.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import Organisation

# A section renders itself for one request and organisation; it returns "" when it has nothing to show.
Section = Callable[[HttpRequest, Organisation], SafeString | str]

_sections: dict[str, Section] = {}


def register_section(name: str, section: Section) -> None:
    """Add (or replace, when an app is loaded again in tests) the section called ``name``."""
    _sections[name] = section


def render_sections(request: HttpRequest, organisation: Organisation) -> list[SafeString | str]:
    return [html for html in (section(request, organisation) for section in _sections.values()) if html]
