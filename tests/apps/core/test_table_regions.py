# SPDX-License-Identifier: EUPL-1.2
"""Reflow: every table of every page scrolls inside its own labelled region, never the whole page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(ROOT.glob("apps/*/templates/**/*.html"))
TOKENS = re.compile(r"{%\s*(table_region|endtable_region)\b|<(/?)table\b")


def tables_outside_a_region(source: str) -> list[int]:
    """Line numbers of outermost tables that no {% table_region %} wraps (a table inside a table is covered)."""
    regions = tables = 0
    bare = []
    for match in TOKENS.finditer(source):
        tag, closing = match.group(1), match.group(2)
        if tag == "table_region":
            regions += 1
        elif tag == "endtable_region":
            regions -= 1
        elif closing:
            tables -= 1
        else:
            if tables == 0 and regions == 0:
                bare.append(source.count("\n", 0, match.start()) + 1)
            tables += 1
    return bare


def test_the_templates_have_tables():
    assert sum("<table" in path.read_text() for path in TEMPLATES) >= 8


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_table_is_in_a_scroll_region(path):
    bare = tables_outside_a_region(path.read_text())
    assert not bare, (
        f"{path.relative_to(ROOT)}, line(s) {bare}: wrap the table in "
        '{% table_region labelledby="its-heading-or-caption-id" %}…{% endtable_region %} (load core)'
    )


def test_the_check_finds_a_bare_table():
    assert tables_outside_a_region("<h2>x</h2>\n<table><tr><td><table></table></td></tr></table>") == [2]
    assert tables_outside_a_region('{% table_region label="x" %}<table></table>{% endtable_region %}') == []


def test_region_is_labelled_focusable_and_scrolls():
    html = Template(
        '{% load core %}<h2 id="h-{{ pk }}">Parter</h2>{% table_region labelledby="h-" pk %}'
        "<table><tr><td>{{ cell }}</td></tr></table>{% endtable_region %}"
    ).render(Context({"pk": 7, "cell": "<b>"}))
    assert '<div class="table-scroll" role="region" aria-labelledby="h-7" tabindex="0"><table>' in html
    assert "&lt;b&gt;" in html
    named = Template("{% load core %}{% table_region label=name %}<table></table>{% endtable_region %}").render(
        Context({"name": 'Belopp "per år"'})
    )
    assert 'aria-label="Belopp &quot;per år&quot;"' in named


@pytest.mark.parametrize("source", ["{% table_region %}", '{% table_region "x" %}', '{% table_region id="x" %}'])
def test_region_without_a_name_is_refused(source):
    with pytest.raises(TemplateSyntaxError, match="labelledby"):
        Template("{% load core %}" + source + "{% endtable_region %}")
