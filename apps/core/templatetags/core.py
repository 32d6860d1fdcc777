from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.http import urlencode

from domain.money import format_sek

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination and sorting keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


@register.filter
def sek(value) -> str:
    if value in (None, ""):
        return "–"
    return format_sek(value if isinstance(value, Decimal) else Decimal(str(value)))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
