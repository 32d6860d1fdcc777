# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from decimal import Decimal

from django import template
from django.core.paginator import Page
from django.template.base import FilterExpression, Parser, Token, token_kwargs
from django.template.context import Context
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

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


@register.simple_tag(takes_context=True)
def page_query(context, number: object, param: str = "page") -> str:
    """The current query string with the page parameter ``param`` set to ``number`` (the other filters kept)."""
    return query_replace(context, **{param: number})


@register.simple_tag
def elided_pages(page_obj: Page) -> list[int | str]:
    """The page numbers worth a link for ``page_obj``: the first and last two, three either side of the current
    page, and the paginator's ellipsis ("…") for each run left out, so 500 pages render about a dozen links."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=3, on_ends=2))


@register.filter
def sek(value) -> str:
    if value in (None, ""):
        return "–"
    return format_sek(value if isinstance(value, Decimal) else Decimal(str(value)))


@register.filter
def month(value: object) -> str:
    """Month number ``value`` (1–12) by its name in the active language ("oktober"); anything else as given."""
    try:
        number = int(str(value))
    except ValueError:
        return str(value)
    return str(MONTHS[number]) if number in MONTHS else str(value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


class TableRegionNode(template.Node):
    def __init__(self, nodelist: template.NodeList, attribute: str, parts: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.attribute = attribute
        self.parts = parts

    def render(self, context: Context) -> SafeString:
        value = "".join(str(part.resolve(context)) for part in self.parts)
        return format_html(
            '<div class="table-scroll" role="region" {}="{}" tabindex="0">{}</div>',
            self.attribute,
            value,
            self.nodelist.render(context),
        )


@register.tag
def table_region(parser: Parser, token: Token) -> TableRegionNode:
    """A table that scrolls sideways inside its own labelled region instead of widening the page (reflow).

    ``{% table_region labelledby="heading-id" %}<table>…</table>{% endtable_region %}`` names the region by
    the element with that id (a heading or the table's caption); ``label=text`` names it directly. Values
    after the first are appended, for ids made from a key: ``labelledby="series-" series.pk``. The region
    takes keyboard focus so that a keyboard user can scroll it too.
    """
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:2], parser)
    if len(kwargs) != 1 or not set(kwargs) <= {"labelledby", "label"}:
        raise template.TemplateSyntaxError(
            f'{bits[0]} starts with labelledby="element-id" or label="text", e.g. '
            f'{{% {bits[0]} labelledby="payments-heading" %}}'
        )
    name, first = next(iter(kwargs.items()))
    parts = [first, *(parser.compile_filter(bit) for bit in bits[2:])]
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, "aria-labelledby" if name == "labelledby" else "aria-label", parts)


class UserFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary: list[FilterExpression]) -> None:
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context: Context) -> str:
        from apps.core.cache import ACCESS, cached, csrf_placeholder, with_csrf_token

        request, user = context.get("request"), context.get("user")
        if request is None or user is None or not getattr(user, "is_authenticated", False):
            return self.nodelist.render(context)
        parts = [user.pk, translation.get_language(), *(str(v.resolve(context)) for v in self.vary)]

        def compute() -> str:
            with context.push(csrf_token=csrf_placeholder()):
                return str(self.nodelist.render(context))

        html = cached(f"fragment.{self.name}.1", scope=":".join(map(str, parts)), compute=compute, depends_on=(ACCESS,))
        return with_csrf_token(request, html)


@register.tag
def user_fragment(parser: Parser, token: Token) -> UserFragmentNode:
    """A part of the page that depends only on who reads it (their rights, their name), the language and the
    values given: ``{% user_fragment "menu" nav %}…{% enduser_fragment %}``. Kept in the shared cache per user
    until their memberships or rights next change (``apps.core.cache.ACCESS``); its forms get the reader's own
    CSRF token. Rendered as usual for anyone not signed in. Never for anything of the register's rows."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f'{bits[0]} starts with a quoted name, e.g. {{% {bits[0]} "menu" %}}')
    nodelist = parser.parse(("enduser_fragment",))
    parser.delete_first_token()
    return UserFragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
