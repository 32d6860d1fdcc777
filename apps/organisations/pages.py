# SPDX-License-Identifier: EUPL-1.2
"""Sections and counts that higher areas add to the organisation pages, without organisations importing them.

Holds the registry of organisation-page sections, of the organisation list's counts and of the organisations
a higher area makes visible in the register (e.g. agreements: another municipality's body that is party to
an agreement the viewer sees). May import: core, accounts. A higher area (e.g. agreements: "the agreements this organisation is party to") registers a
section or a count in its ``AppConfig.ready()``; the organisation page renders every registered section
in order, the list shows every registered count as a column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from .models import Organisation

StrOrPromise = str | Promise

# A section renders itself for one request and organisation; it returns "" when it has nothing to show.
Section = Callable[[HttpRequest, Organisation], SafeString | str]

_sections: dict[str, Section] = {}


def register_section(name: str, section: Section) -> None:
    """Add (or replace, when an app is loaded again in tests) the section called ``name``."""
    _sections[name] = section


def render_sections(request: HttpRequest, organisation: Organisation) -> list[SafeString | str]:
    return [html for html in (section(request, organisation) for section in _sections.values()) if html]


# Counts that higher areas add to the organisation list (e.g. agreements: "how many agreements the viewer may
# see that the organisation is party to"). A provider returns, for one viewer, an expression over the
# organisation row (OuterRef("pk")) that the list annotates; the count must be scoped to what the viewer may
# see at the source. The column's heading is the label.
CountProvider = Callable[[Any], Expression | Subquery]


@dataclass(frozen=True)
class CountColumn:
    name: str
    label: StrOrPromise
    provider: CountProvider


_counts: dict[str, CountColumn] = {}


def register_count(name: str, label: StrOrPromise, provider: CountProvider) -> None:
    """Add (or replace, when an app is loaded again in tests) the list count called ``name``."""
    _counts[name] = CountColumn(name=name, label=label, provider=provider)


def count_columns() -> list[CountColumn]:
    """The registered counts, in the order registered."""
    return list(_counts.values())


# Organisations a higher area makes visible in the register beyond the viewer's own tenant and the shared ones
# (e.g. agreements: another tenant's body that is party to an agreement the viewer sees). A provider returns,
# for one viewer, a queryset of organisation ids (``.values("organisation_id")`` or the like), scoped at the
# source to what the viewer may see.
VisibleProvider = Callable[[Any], QuerySet[Any]]

_visible: dict[str, VisibleProvider] = {}


def register_visible(name: str, provider: VisibleProvider) -> None:
    """Add (or replace, when an app is loaded again in tests) the provider of visible organisations ``name``."""
    _visible[name] = provider


def visible_providers() -> list[VisibleProvider]:
    return list(_visible.values())
