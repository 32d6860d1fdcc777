# SPDX-License-Identifier: EUPL-1.2
"""The shared pagination (includes/pagination.html): elided, so that 500 pages render about a dozen links, and
accessible: a labelled navigation landmark, the current page marked, the gaps not links."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

TEMPLATE = Template('{% include "includes/pagination.html" %}')
TEMPLATE_WITH_PARAM = Template(
    '{% include "includes/pagination.html" with page_obj=drafts page_param="failed_page" pagination_label="Sidor" %}'
)


def _render(number: int, pages: int = 500, query: str = "", template: Template = TEMPLATE) -> str:
    request = RequestFactory().get("/avtal/" + query)
    page = Paginator(range(pages * 25), 25).get_page(number)
    with translation.override("sv"):
        return template.render(Context({"request": request, "page_obj": page, "drafts": page}))


def _links(html: str) -> list[tuple[str, str]]:
    return [(href, re.sub(r"<[^>]+>", "", text)) for href, text in re.findall(r'href="([^"]*)"[^>]*>(.*?)</a>', html)]


@pytest.mark.parametrize("number", [1, 2, 250, 499, 500])
def test_five_hundred_pages_render_a_bounded_number_of_links(number: int) -> None:
    html = _render(number, query=f"?q=IOP&page={number}")
    links = _links(html)
    assert len(links) <= 13, links  # previous, 1 2 … 3 around either side of the current … 499 500, next
    labels = [text for _href, text in links]
    assert {"1", "2", "499", "500", str(number)} <= set(labels)
    assert all("q=IOP" in href for href, _text in links)  # the search is kept
    assert html.count('aria-current="page"') == 1
    assert f'aria-current="page" href="?page={number}&amp;q=IOP"' in html
    gaps = html.count('<li class="pagination-gap" aria-hidden="true">…</li>')
    assert gaps == (1 if number in (1, 2, 499, 500) else 2)
    assert "…</a>" not in html
    assert '<nav class="ds-pagination pagination" aria-label="Sidor">' in html
    assert f"Sida {number} av 500" in html


def test_the_first_and_last_pages_have_no_previous_or_next() -> None:
    assert "Föregående" not in _render(1) and "Nästa" in _render(1)
    assert "Nästa" not in _render(500) and 'rel="prev" href="?page=499"' in _render(500)


def test_a_page_that_fits_shows_every_page_and_one_page_shows_none() -> None:
    labels = [text for _href, text in _links(_render(3, pages=8))]
    assert labels == ["Föregående", "1", "2", "3", "4", "5", "6", "7", "8", "Nästa"]
    assert _render(1, pages=1).strip() == ""


def test_a_section_pages_with_its_own_parameter_and_keeps_the_others() -> None:
    html = _render(3, pages=40, query="?handled_page=2&failed_page=3", template=TEMPLATE_WITH_PARAM)
    hrefs = [href for href, _text in _links(html)]
    assert "?failed_page=4&amp;handled_page=2" in hrefs and all("handled_page=2" in href for href in hrefs)
    assert "page=" not in html.replace("failed_page=", "").replace("handled_page=", "")
