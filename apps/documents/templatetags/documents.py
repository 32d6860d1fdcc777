# SPDX-License-Identifier: EUPL-1.2
"""Template tags the documents area offers to pages of lower areas.

The agreement page (apps.agreements) must not import the documents area (layers point down), so it
renders its "Dokument" section with ``{% load documents %}{% agreement_documents agreement %}``: the
template names the tag, and the documents area alone knows its models and URLs.
"""

from __future__ import annotations

from django import template

from apps.agreements.models import Agreement

from .. import selectors

register = template.Library()


@register.inclusion_tag("documents/_agreement_documents.html")
def agreement_documents(agreement: Agreement) -> dict:
    """The original documents of an agreement (already visible to whoever sees this page), with download links."""
    return {"agreement": agreement, "documents": selectors.agreement_documents(agreement)}
