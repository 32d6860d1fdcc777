# SPDX-License-Identifier: EUPL-1.2
"""The register at national scale (issue 9, item 4): text search (title, case number, party name,
organisationsnummer) on every database and from trigram indexes on PostgreSQL, the filter choices from
aggregate queries, the list elided into a bounded number of page links, and the organisation page's
agreements a page at a time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.agreements import selectors
from apps.agreements.models import Agreement
from apps.agreements.selectors import RegisterFilter
from apps.organisations.models import Organisation
from tests.factories import AgreementFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(orgs: dict[str, Organisation]) -> dict[str, Agreement]:
    """Three agreements of Socialnämnden Norr's department, each findable by one thing only."""
    kvinnojour = OrganisationFactory.create(name="Kvinnojouren Tärnan", org_number="802479-1234")
    return {
        "title": AgreementFactory.create(
            title="IOP Läxhjälp i Angered", case_number="SN-2024-00017", parties__public=orgs["north_dept"]
        ),
        "case": AgreementFactory.create(
            title="IOP Språkcafé", case_number="AMN-2025-00771", parties__public=orgs["north_dept"]
        ),
        "party": AgreementFactory.create(
            title="IOP Skyddat boende",
            case_number="SN-2023-00003",
            parties__public=orgs["north_dept"],
            parties__nonprofit=kvinnojour,
        ),
    }


def _found(user: Any, q: str) -> set[str]:
    return {a.title for a in selectors.register(user, RegisterFilter(q=q))}


@pytest.mark.parametrize(
    ("q", "which"),
    [
        ("läxhjälp", "title"),  # a word of the title, in another case
        ("ANGERED", "title"),
        ("amn-2025-0077", "case"),  # part of the case number, in another case
        ("00771", "case"),
        ("kvinnojouren", "party"),  # a party's name, in another case
        ("Tärnan", "party"),
        ("802479-1234", "party"),  # the party's organisationsnummer, with or without the hyphen
        ("8024791234", "party"),
        ("802479", "party"),  # its first six digits
    ],
)
def test_the_search_finds_by_title_case_number_party_name_and_org_number(
    register: dict[str, Agreement], users: dict[str, Any], q: str, which: str
) -> None:
    assert _found(users["officer_north"], q) == {register[which].title}
    page = _client(users["officer_north"]).get(reverse("agreements:list"), {"q": q}).content.decode()
    assert register[which].title in page
    assert all(a.title not in page for key, a in register.items() if key != which)


def test_the_search_stays_within_the_scope(register: dict[str, Agreement], users: dict[str, Any]) -> None:
    assert _found(users["officer_south"], "Angered") == set()
    assert _found(users["partner_alpha"], "IOP") == set()
    assert _found(users["officer_north"], "   ") == {a.title for a in register.values()}  # blank: no search


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_filter_choices_come_from_one_aggregate_query_each(
    register: dict[str, Agreement], users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    """The years run from the earliest start to the latest end (one MIN/MAX query, not every agreement's
    dates); the public bodies are those that are public party to a visible agreement (one query)."""
    AgreementFactory.create(
        title="Gammal", start_date=dt.date(2019, 3, 1), end_date=dt.date(2020, 2, 28), parties__public=orgs["north"]
    )
    AgreementFactory.create(title="Utan slut", start_date=dt.date(2010, 1, 1), end_date=None)  # no party: unseen
    user = users["controller_city"]
    user.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        years = selectors.years_in_register(user)
    aggregate = [q["sql"] for q in captured.captured_queries if "agreements_agreement" in q["sql"]]
    assert years == list(range(2019, 2029))
    assert len(aggregate) == 1 and "MIN(" in aggregate[0] and "MAX(" in aggregate[0]
    with CaptureQueriesContext(connection) as captured:
        bodies = [o.name for o in selectors.public_bodies_in_register(user)]
    assert bodies == ["Socialförvaltningen Norr", "Socialnämnden Norr"] and len(captured.captured_queries) == 1
    assert selectors.years_in_register(users["nobody"]) == []


# Pagination ----------------------------------------------------------------------------------------------------


def _page_links(html: str) -> list[str]:
    nav = html.split('<nav class="ds-pagination pagination"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>[^<]*</a>", nav)


def test_the_list_pages_with_a_bounded_number_of_links(users: dict[str, Any]) -> None:
    """Twenty pages, the tenth shown: the first two, three either side of the current one, the last two and an
    ellipsis (not a link, hidden from screen readers) for each run left out; the current page is marked for
    assistive technology, and the filters are kept in every link."""
    Agreement.objects.bulk_create(
        Agreement(title=f"IOP {i:03d}", start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 12, 31))
        for i in range(20 * 25)
    )
    admin = User.objects.create_superuser("admin", password="correct-horse-battery")  # sees them without parties
    html = _client(admin).get(reverse("agreements:list"), {"page": "10", "sort": "title"}).content.decode()
    numbers = [re.sub(r"<[^>]+>", "", link) for link in _page_links(html)]
    assert numbers == ["Föregående", "1", "2", "7", "8", "9", "10", "11", "12", "13", "19", "20", "Nästa"]
    assert 'aria-current="page" href="?page=10&amp;sort=title"' in html
    assert html.count('<li class="pagination-gap" aria-hidden="true">…</li>') == 2 and "…</a>" not in html
    assert 'aria-label="Sidor"' in html and "Sida 10 av 20" in html
    assert "IOP 225" in html and "IOP 224" not in html and "IOP 250" not in html  # the 226th to the 250th


def test_the_organisation_page_lists_its_agreements_a_page_at_a_time(
    orgs: dict[str, Organisation], users: dict[str, Any]
) -> None:
    partner = orgs["alpha"]
    made = [
        AgreementFactory.create(
            title=f"IOP Alfa {i:02d}",
            start_date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
            parties__public=orgs["north_dept"],
            parties__nonprofit=partner,
        )
        for i in range(30)
    ]
    client = _client(users["officer_north"])
    url = reverse("organisations:detail", args=[partner.pk])
    first = client.get(url).content.decode()
    assert "Överenskommelser (30)" in first
    assert made[29].title in first and made[5].title in first and made[4].title not in first  # newest first
    assert 'aria-label="Sidor med överenskommelser"' in first and "?agreements_page=2" in first
    second = client.get(url, {"agreements_page": 2}).content.decode()
    assert made[4].title in second and made[0].title in second and made[5].title not in second
    # Another municipality's officer sees none of them, and no pages.
    other = _client(users["officer_south"]).get(url).content.decode()
    assert "IOP Alfa" not in other and "agreements_page" not in other


# PostgreSQL: the search is answered from trigram indexes ---------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's (pg_trgm); SQLite scans"
)


@on_postgresql
def test_the_trigram_indexes_exist_and_answer_the_search(register: dict[str, Agreement], users: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('agreement_title_trgm', 'agreement_case_number_trgm', 'organisation_name_trgm')"
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {"agreement_title_trgm", "agreement_case_number_trgm", "organisation_name_trgm"}
    assert all("USING gin" in d and "gin_trgm_ops" in d and "upper(" in d for d in indexes.values())
    # A register large enough that scanning it costs more than asking the indexes, with its statistics.
    Organisation.objects.bulk_create(
        Organisation(name=f"Föreningen Nummer {i:05d}", kind="non_profit") for i in range(3000)
    )
    Agreement.objects.bulk_create(
        Agreement(title=f"IOP Samverkan {i:05d}", case_number=f"SN-2025-{i:05d}") for i in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_agreement, agreements_party, organisations_organisation")
    branches = {
        "agreement_title_trgm": Agreement.objects.filter(title__icontains="kvinnojouren").order_by(),
        "agreement_case_number_trgm": Agreement.objects.filter(case_number__icontains="amn-2025").order_by(),
        "organisation_name_trgm": Organisation.objects.filter(name__icontains="kvinnojouren").order_by(),
    }
    # The few thousand rows of a test still fit a scan: without it, each column's search (a branch of the
    # register's search) must take its trigram index, as it does by itself on a national register.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        for index, qs in branches.items():
            plan = qs.explain()
            assert f"Bitmap Index Scan on {index}" in plan, plan
    assert _found(users["officer_north"], "KVINNOJOUREN") == {register["party"].title}
