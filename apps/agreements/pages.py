# SPDX-License-Identifier: EUPL-1.2
"""What the agreements area adds to other areas' pages (registered in ``AgreementsConfig.ready()``).

May import: organisations and below.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from apps.organisations.models import Organisation

from .selectors import visible_agreements


def organisation_agreements(request: HttpRequest, organisation: Organisation) -> SafeString:
    """The agreements the viewer may see that the organisation is party to."""
    agreements = (
        visible_agreements(request.user).filter(parties__organisation=organisation).distinct().order_by("-start_date")
    )
    return render_to_string("agreements/_organisation_agreements.html", {"agreements": agreements}, request=request)


def visible_agreement_count(user: Any) -> Subquery:
    """For the organisation list: how many agreements the organisation (OuterRef "pk") is party to among
    those ``user`` may see, scoped at the source (never another municipality's)."""
    counted = (
        visible_agreements(user)
        .filter(parties__organisation=OuterRef("pk"))
        .order_by()
        .values("parties__organisation")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Subquery(counted)
