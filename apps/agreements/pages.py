# SPDX-License-Identifier: EUPL-1.2
"""What the agreements area adds to other areas' pages (registered in ``AgreementsConfig.ready()``).

May import: organisations and below.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from apps.organisations.models import Organisation

from .models import Party
from .selectors import organisation_agreement_list, visible_agreements

AGREEMENTS_PER_PAGE = 25


def organisation_agreements(request: HttpRequest, organisation: Organisation) -> SafeString:
    """The agreements the viewer may see that the organisation is party to (an invitation not accepted is no
    party yet), newest first, a page at a time (``?agreements_page=``): a municipality's body may be party to
    hundreds."""
    agreements = organisation_agreement_list(request.user, organisation)
    page = Paginator(agreements, AGREEMENTS_PER_PAGE).get_page(request.GET.get("agreements_page"))
    return render_to_string(
        "agreements/_organisation_agreements.html", {"page_obj": page, "agreements": page.object_list}, request=request
    )


def visible_agreement_count(user: Any) -> Subquery:
    """For the organisation list: how many agreements the organisation (OuterRef "pk") is party to among
    those ``user`` may see, scoped at the source (never another municipality's); accepted parties only."""
    counted = (
        visible_agreements(user)
        .filter(parties__organisation=OuterRef("pk"), parties__status=Party.Status.ACCEPTED)
        .order_by()
        .values("parties__organisation")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Subquery(counted)
