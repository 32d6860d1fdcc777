# SPDX-License-Identifier: EUPL-1.2
"""What the agreements area adds to other areas' pages (registered in ``AgreementsConfig.ready()``).

May import: organisations and below.
"""

from __future__ import annotations

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
