# SPDX-License-Identifier: EUPL-1.2
"""The main pages' query counts do not grow with the data: each page is measured with N rows and with 3N.

A national installation holds 10 000 agreements (DESIGN.md): a page whose query count grows with the
number of agreements, parties, goals, payments or history events (an N+1) would not survive it. When a
test here fails, its message lists the query that repeats.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import Role, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Party
from apps.documents.models import ImportDraft
from apps.finance import amounts
from apps.finance import services as finance_services
from apps.finance.models import ActualCost, RepaymentClaim
from apps.organisations import services as organisation_services
from apps.organisations.models import Organisation
from tests.factories import (
    AgreementFactory,
    BudgetLineFactory,
    FinanceTermsFactory,
    FundingSourceFactory,
    IndexSeriesFactory,
    IndexValueFactory,
    OrganisationFactory,
    PaymentFactory,
    PublicBodyFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

N = 3


class World:
    """A municipality with one committee and its department, a case officer, a controller and a partner."""

    def __init__(self) -> None:
        self.city = PublicBodyFactory.create(name="Fabriksstad", parent=None)
        self.committee = PublicBodyFactory.create(name="Socialnämnden Fabrik", parent=self.city)
        self.department = PublicBodyFactory.create(name="Socialförvaltningen Fabrik", parent=self.committee)
        self.partner_org = OrganisationFactory.create(name="Föreningen Partner")
        self.officer = user_with_role(self.committee, Role.CASE_OFFICER, username="officer")
        self.controller = user_with_role(self.city, Role.CONTROLLER, username="controller")
        self.partner = user_with_role(self.partner_org, Role.PARTNER_EDITOR, username="partner")
        self.pkv = IndexSeriesFactory.create()

    def agreements(self, n: int, **kwargs: Any) -> list[Agreement]:
        """``n`` agreements of the department, each with its own non-profit and the shared partner as
        dialogue party, two goals with indicators, and money terms with a source, lines and payments."""
        made = []
        for _ in range(n):
            agreement = AgreementFactory.create(
                parties__public=self.department, parties__nonprofit=OrganisationFactory.create(), goals=2, **kwargs
            )
            Party.objects.create(
                agreement=agreement, organisation=self.partner_org, role=Party.Role.DIALOGUE, position=2
            )
            FinanceTermsFactory.create(agreement=agreement, index_series=self.pkv)
            FundingSourceFactory.create(agreement=agreement)
            BudgetLineFactory.create(agreement=agreement)
            PaymentFactory.create(agreement=agreement)
            made.append(agreement)
        amounts.refresh([a.pk for a in made])  # the committed amounts the services keep with these rows
        return made


@pytest.fixture(autouse=True)
def _computed(settings: Any) -> None:
    """The pages as computed, not read from the shared cache (apps.core.cache): a hit is a cache read whatever
    the size, and the factories' writes here never commit, so they would never retire a cached value."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def world() -> Iterator[World]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        yield World()


def _normalise(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(?...)", sql)


def _text(response: Any) -> str:
    """The response's text: a page, a streamed download read to its end, or an Excel file's cells."""
    body = response.getvalue() if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        sheets = load_workbook(io.BytesIO(body), read_only=True).worksheets
        return "\n".join(str(cell) for sheet in sheets for row in sheet.iter_rows(values_only=True) for cell in row)
    return body.decode("utf-8-sig")


def queries(client: Client, url: str) -> tuple[list[str], str]:
    _text(client.get(url))  # warm: sessions, content types and caches are not what is measured
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        text = _text(response)  # a streamed download reads the database while it is sent
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [q["sql"] for q in captured.captured_queries], text


def assert_constant(
    page: str, client: Client, url: Callable[[], str], grow: Callable[[], object], shows: Callable[[], str]
) -> None:
    """The query count of ``url`` is the same before and after ``grow`` triples the rows it shows (and the
    page shows ``shows()``, a text from the rows added last, so the rows are really on it)."""
    at_n, _page = queries(client, url())
    grow()
    at_3n, html = queries(client, url())
    expected = shows()
    assert expected in html, f"{page}: {expected!r} is not on the page, so the rows added are not measured"
    if len(at_3n) > len(at_n):
        before, after = Counter(map(_normalise, at_n)), Counter(map(_normalise, at_3n))
        repeated = [f"  {after[q] - before[q]:+d} x {q[:400]}" for q in after if after[q] > before[q]]
        pytest.fail(f"{page}: {len(at_n)} queries with N rows, {len(at_3n)} with 3N. Growing:\n" + "\n".join(repeated))


def latest_title() -> str:
    return Agreement.objects.latest("pk").title


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["officer", "controller", "partner"])
def test_agreement_list(world: World, who: str) -> None:
    world.agreements(N)
    assert_constant(
        "agreement list",
        login(getattr(world, who)),
        lambda: reverse("agreements:list"),
        lambda: world.agreements(2 * N),
        latest_title,
    )


def test_agreement_list_search_and_filters(world: World) -> None:
    """Searched (by a word of the titles and party names), filtered by status, public body and year, sorted: the
    filters really apply (an agreement they leave out is not listed) and the count stays flat."""
    world.agreements(N)
    AgreementFactory.create(title="IOP Fabriks utkast", status=Agreement.Status.DRAFT, parties__public=world.department)
    url = reverse("agreements:list") + (
        f"?q=Fabrik&status=active&public_body={world.department.pk}&year=2026&sort=title"
    )
    assert_constant(
        "agreement list, searched and filtered",
        login(world.officer),
        lambda: url,
        lambda: world.agreements(2 * N),
        latest_title,
    )
    _queries, html = queries(login(world.officer), url)
    assert "IOP Fabriks utkast" not in html  # a draft: the status filter applied


def _register_rows(world: World, n: int) -> None:
    """``n`` agreements of the department with a non-profit each: the register's rows, without money or goals."""
    for _ in range(n):
        AgreementFactory.create(parties__public=world.department, parties__nonprofit=OrganisationFactory.create())


@pytest.mark.parametrize("who", ["officer", "superuser"])
def test_agreement_list_page_2(world: World, who: str) -> None:
    """A later page of the list: the same queries however many pages there are (a page is read by its index,
    the pagination is elided)."""
    user = world.officer if who == "officer" else UserFactory.create(is_superuser=True, username="admin")
    _register_rows(world, 30)

    def second_page_title() -> str:
        return Agreement.objects.order_by("-start_date", "-id")[25].title

    assert_constant(
        "agreement list, page 2",
        login(user),
        lambda: reverse("agreements:list") + "?page=2",
        lambda: _register_rows(world, 60),
        second_page_title,
    )


@pytest.mark.parametrize("who", ["officer", "partner"])
def test_agreement_detail(world: World, who: str) -> None:
    agreement = AgreementFactory.create(parties__public=world.department, parties__nonprofit=world.partner_org, goals=N)
    world.agreements(N)

    def grow() -> None:
        world.agreements(2 * N)
        for i in range(2 * N):
            goal = agreement.goals.create(text=f"Nytt mål {i}", position=N + i)
            indicator = goal.indicators.create(name=f"Ny indikator {i}", kind="count", follow_ups_per_year=2)
            indicator.collected_by.add(*agreement.parties.all())
            agreement.interventions.create(title=f"Ny insats {i}", position=N + i)
            Party.objects.create(
                agreement=agreement,
                organisation=OrganisationFactory.create(),
                role=Party.Role.DIALOGUE,
                position=10 + i,
            )

    assert_constant(
        "agreement detail",
        login(getattr(world, who)),
        lambda: agreement.get_absolute_url(),
        grow,
        lambda: f"Ny indikator {2 * N - 1}",
    )


@pytest.mark.parametrize("who", ["officer", "partner"])
def test_money_page(world: World, who: str) -> None:
    (agreement,) = world.agreements(1)

    def rows(n: int, start: int) -> None:
        """Sources, budget lines with their actual cost for a quarter, payments and repayment claims."""
        for i in range(start, start + n):
            FundingSourceFactory.create(agreement=agreement, annual_amount=Decimal("1000"))
            line = BudgetLineFactory.create(agreement=agreement, intervention=agreement.interventions.first())
            ActualCost.objects.create(
                agreement=agreement,
                budget_line=line,
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 3, 31),
                amount=Decimal("200000"),
                recorded_by=world.partner,
            )
            PaymentFactory.create(agreement=agreement, status="invoiced", invoice_number=f"F-{i}")
            RepaymentClaim.objects.create(
                agreement=agreement, amount=Decimal("1000"), reason=f"Återbetalning {i}", claimed_on=dt.date(2026, 2, 1)
            )

    rows(N - 1, 0)

    def grow() -> None:
        world.agreements(2 * N)
        rows(2 * N, N)

    assert_constant(
        "money page",
        login(getattr(world, who)),
        lambda: reverse("finance:agreement", args=[agreement.pk]),
        grow,
        lambda: f"Återbetalning {3 * N - 1}",
    )


def _history_round(world: World, agreement: Agreement, i: int) -> None:
    """One round of the writes a case officer makes: a goal, an indicator, an intervention, a budget line,
    a party and a change of the agreement's fields, each through its service (so each is audited), and a
    rename of the shared partner organisation (in the agreement's history too)."""
    actor = world.officer
    intervention = agreement_services.intervention_save(
        actor=actor,
        agreement=agreement,
        data={"kind": "overall", "label": f"Del {i}", "title": f"Insats {i}", "description": "", "parent": None},
    )
    goal = agreement_services.goal_save(
        actor=actor, agreement=agreement, data={"text": f"Mål {i}", "intervention": intervention, "parent": None}
    )
    agreement_services.indicator_save(
        actor=actor,
        goal=goal,
        data=agreement_services.IndicatorInput(name=f"Antal träffar {i}", collected_by=[world.partner_org]),
    )
    finance_services.budget_line_save(
        actor=actor,
        agreement=agreement,
        data={
            "label": f"Kostnad {i}",
            "category": "other",
            "staffing_note": "",
            "annual_amount": Decimal("1000"),
            "intervention": intervention,
        },
    )
    parties = [
        agreement_services.PartyInput(role=p.role, organisation=p.organisation)
        for p in agreement.parties.select_related("organisation")
    ]
    parties.append(agreement_services.PartyInput(role="dialogue", organisation=OrganisationFactory.create()))
    data = {k: getattr(agreement, k) for k in agreement_services.AGREEMENT_FIELDS if hasattr(agreement, k)}
    agreement_services.agreement_update(
        actor=actor, agreement=agreement, data={**data, "title": f"{agreement.title} ({i})"}, parties=parties
    )
    agreement.refresh_from_db()
    # The shared partner (a dialogue party) is renamed: the history shows it among the agreement's events.
    partner = Organisation.objects.get(pk=world.partner_org.pk)
    organisation_services.organisation_update(
        actor=actor,
        organisation=partner,
        data={"name": f"Föreningen Partner {i}", "org_number": partner.org_number, "kind": partner.kind},
    )


@pytest.mark.parametrize("who", ["officer", "partner"])
def test_history(world: World, who: str) -> None:
    (agreement,) = world.agreements(1)
    for i in range(N):
        _history_round(world, agreement, i)

    def grow() -> None:
        for i in range(N, 3 * N):
            _history_round(world, agreement, i)

    assert_constant(
        "history",
        login(getattr(world, who)),
        lambda: reverse("agreements:history", args=[agreement.pk]),
        grow,
        lambda: f"Föreningen Partner {3 * N - 2} → Föreningen Partner {3 * N - 1}",
    )


def test_organisation_list(world: World) -> None:
    world.agreements(N)
    assert_constant(
        "organisation list",
        login(world.officer),
        lambda: reverse("organisations:list"),
        lambda: world.agreements(2 * N),
        lambda: Organisation.objects.latest("pk").name,
    )


def test_organisation_detail(world: World) -> None:
    world.agreements(N)
    for _ in range(N):
        PublicBodyFactory.create(parent=world.department)

    def grow() -> None:
        world.agreements(2 * N)
        for _ in range(2 * N):
            PublicBodyFactory.create(parent=world.department)

    assert_constant(
        "organisation detail",
        login(world.officer),
        lambda: reverse("organisations:detail", args=[world.department.pk]),
        grow,
        lambda: Organisation.objects.latest("pk").name,
    )
    assert_constant(
        "organisation detail (a partner)",
        login(world.officer),
        lambda: reverse("organisations:detail", args=[world.partner_org.pk]),
        lambda: world.agreements(2 * N),
        latest_title,
    )


@pytest.mark.parametrize("who", ["officer", "controller"])
def test_portfolio(world: World, who: str) -> None:
    world.agreements(N)
    assert_constant(
        "portfolio",
        login(getattr(world, who)),
        lambda: reverse("finance:portfolio"),
        lambda: world.agreements(2 * N),
        lambda: Party.objects.filter(role=Party.Role.NON_PROFIT).latest("pk").organisation.name,
    )


def test_organisation_page_with_many_agreements(world: World) -> None:
    """A non-profit party to more agreements than a page holds: its page lists a page of them (the newest),
    with the same queries at N and 3N, and the next page holds the rest."""
    partner = OrganisationFactory.create(name="Föreningen Många")

    def rows(n: int) -> None:
        for _ in range(n):
            AgreementFactory.create(parties__public=world.department, parties__nonprofit=partner)

    rows(30)
    url = reverse("organisations:detail", args=[partner.pk])
    assert_constant(
        "organisation page with many agreements",
        login(world.officer),
        lambda: url,
        lambda: rows(60),
        lambda: Agreement.objects.order_by("-start_date", "-id")[0].title,
    )
    _queries, html = queries(login(world.officer), url)
    assert html.count('<li><a class="ds-link" href="/avtal/') == 25 and "agreements_page=2" in html
    _queries, html = queries(login(world.officer), url + "?agreements_page=4")
    assert Agreement.objects.order_by("-start_date", "-id")[89].title in html


def _drafts(world: World, n: int, start: int = 0) -> None:
    """``n`` drafts of each status, numbered from ``start`` (each file once: one pending draft per file)."""
    for i in range(start, start + n):
        for status in ("pending", "failed", "rejected"):
            ImportDraft.objects.create(
                public_body=world.committee,
                file=f"imports/fabrik-{status}-{i}.txt",
                original_name=f"{status}-{i}.txt",
                sha256=f"{status}{i:06d}".ljust(64, "0"),
                size=100,
                status=status,
                draft={"title": f"Avtal {i}"},
                warnings=[{"code": "x"}],
                uploaded_by=world.officer,
            )
        ImportDraft.objects.create(
            public_body=world.committee,
            file=f"imports/fabrik-accepted-{i}.txt",
            original_name=f"accepted-{i}.txt",
            sha256=f"accepted{i}".ljust(64, "0"),
            size=100,
            status="accepted",
            draft={"title": f"Avtal {i}"},
            uploaded_by=world.officer,
            reviewed_by=world.officer,
            agreement=world.agreements(1)[0],
        )


def test_import_list(world: World) -> None:
    _drafts(world, N)
    assert_constant(
        "import list",
        login(world.officer),
        lambda: reverse("documents:list"),
        lambda: _drafts(world, 2 * N, start=N),
        lambda: f"pending-{3 * N - 1}.txt",
    )


def test_import_list_with_many_drafts(world: World) -> None:
    """More drafts in every section than a page holds: each section shows a page (the newest first), the counts
    come from one query, and a later page of one section is as cheap as the first."""
    _drafts(world, 30)
    for section, url in [
        ("first pages", reverse("documents:list")),
        ("a later page of the failed", reverse("documents:list") + "?failed_page=2"),
    ]:
        assert_constant(
            f"import list, {section}",
            login(world.officer),
            lambda url=url: url,  # type: ignore[misc]
            lambda: _drafts(world, 30, start=30 + ImportDraft.objects.count()),
            lambda: "failed_page=2",
        )
    _queries, html = queries(login(world.officer), reverse("documents:list") + "?failed_page=2&handled_page=3")

    def nth(statuses: list[str], n: int) -> str:
        return ImportDraft.objects.filter(status__in=statuses).order_by("-created_at", "-id")[n].original_name

    failed, handled = ImportDraft.objects.filter(status="failed").count(), ["accepted", "rejected"]
    assert f"Kunde inte läsas ({failed})" in html
    assert nth(["failed"], 25) in html and nth(["failed"], 24) not in html  # the second page of the failed
    assert nth(handled, 50) in html and nth(handled, 49) not in html  # the third page of the handled
    assert nth(["pending"], 0) in html and nth(["pending"], 25) not in html  # the first page of the pending


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["officer", "superuser"])
def test_register_exports(world: World, who: str, fmt: str) -> None:
    """The register's downloads from the list page read every agreement, its parties and its case officer in a
    constant number of queries (before: the case officer was read for each row)."""
    user = world.officer if who == "officer" else UserFactory.create(is_superuser=True, username="admin")
    world.agreements(N, case_officer=world.officer)
    assert_constant(
        f"register export ({fmt})",
        login(user),
        lambda: reverse("agreements:list") + f"?format={fmt}&q=Fabrik",
        lambda: world.agreements(2 * N, case_officer=world.officer),
        latest_title,
    )


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_register_command(world: World, fmt: str, tmp_path: Any) -> None:
    """``export_register`` (the whole register, or as a user) in the same number of queries at N and 3N."""
    world.agreements(N, case_officer=world.officer)

    def run() -> int:
        with CaptureQueriesContext(connection) as captured:
            call_command("export_register", "--format", fmt, "--user", "officer", "-o", str(tmp_path / f"r.{fmt}"))
        return len(captured.captured_queries)

    at_n = run()
    world.agreements(2 * N, case_officer=world.officer)
    at_3n = run()
    assert at_3n == at_n, f"export_register --format {fmt}: {at_n} queries with N agreements, {at_3n} with 3N"
    written = (tmp_path / f"r.{fmt}").read_bytes()
    assert latest_title().encode() in written or fmt == "xlsx"


@pytest.mark.parametrize("who", ["officer", "controller"])
def test_index_list(world: World, who: str) -> None:
    series = [world.pkv, IndexSeriesFactory.create(code="KPI", name="Konsumentprisindex")]

    def values(n: int, start: int) -> None:
        for s in series:
            for year in range(start, start + n):
                IndexValueFactory.create(series=s, year=year)

    values(N, 2000)
    assert_constant(
        "index list",
        login(getattr(world, who)),
        lambda: reverse("finance:index"),
        lambda: values(2 * N, 2000 + N),
        lambda: f">{2000 + 3 * N - 1}<",
    )


def _hierarchy_reads(captured: CaptureQueriesContext) -> int:
    """Queries that read the body hierarchy (apps.organisations.scope): the recursive query, or a level-by-level
    walk (one query per level, as before the scope was read in one query)."""
    return sum(
        1
        for q in captured.captured_queries
        if q["sql"].startswith("WITH RECURSIVE") or re.search(r'"parent_id" IN \(', q["sql"])
    )


@pytest.mark.parametrize("who", ["officer", "controller", "partner"])
def test_the_users_scope_is_computed_once_per_request(world: World, who: str) -> None:
    """The hierarchy of the user's municipality is read once per page, in one recursive query whatever its depth
    (kommun → nämnd → förvaltning), however many permission checks and scoped queries the page makes. Before the
    scope was cached per request, the controller's money page read it 18 times and the officer's 10; before it
    was read in one query, each page read it once per level up and once per level down (4 queries)."""
    (agreement,) = world.agreements(1)
    client = login(getattr(world, who))
    pages = [
        reverse("agreements:list"),
        agreement.get_absolute_url(),
        reverse("agreements:history", args=[agreement.pk]),
        reverse("finance:agreement", args=[agreement.pk]),
    ]
    if who != "partner":
        pages += [reverse("agreements:edit", args=[agreement.pk]), reverse("finance:portfolio")]
        pages += [reverse("organisations:detail", args=[world.department.pk]), reverse("organisations:list")]
    # Staff read their whole municipality's hierarchy (Fabriksstad → nämnd → förvaltning), which also gives the
    # tenant's bodies for the organisation register and the party choices; a partner reads none.
    reads = {"officer": 1, "controller": 1, "partner": 0}[who]
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code in (200, 403), f"{url} answered {response.status_code}"
        assert _hierarchy_reads(captured) == reads, f"{url}: the hierarchy was read {_hierarchy_reads(captured)} times"


def test_the_measure_finds_an_n_plus_1(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without its select_related the organisation list reads each row's parent on its own: the measure
    must say so, naming the query that repeats."""
    from apps.organisations import selectors

    scoped = selectors.organisations
    monkeypatch.setattr(selectors, "organisations", lambda *a, **kw: scoped(*a, **kw).select_related(None))
    for _ in range(N):
        PublicBodyFactory.create(parent=world.department)
    with pytest.raises(pytest.fail.Exception, match=r"(?s)organisation list: \d+ queries with N rows.*\+\d+ x SELECT"):
        assert_constant(
            "organisation list",
            login(world.officer),
            lambda: reverse("organisations:list"),
            lambda: [PublicBodyFactory.create(parent=world.department) for _ in range(2 * N)],
            lambda: Organisation.objects.latest("pk").name,
        )
