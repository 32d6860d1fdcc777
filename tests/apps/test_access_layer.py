# SPDX-License-Identifier: EUPL-1.2
"""One access layer: ``access_<thing>(user, pk, *, perm)`` is the only way a page, export or command gets
an object, and the user's scope is computed once per request.

Three parts: a scan of every views.py, exports.py, pages.py and management command for object retrieval
that bypasses the access layer (with an allowlist that says why for each exception); the access functions'
answers (missing and not visible are the same 404, a refused action on a visible object is 403, a child of
another agreement is missing); and the scope cache (computed once, cleared when a membership changes).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.accounts import services as account_services
from apps.accounts.models import Membership, Role
from apps.agreements import selectors as agreement_selectors
from apps.agreements.models import Agreement
from apps.documents import selectors as document_selectors
from apps.documents.models import ImportDraft
from apps.finance import selectors as finance_selectors
from apps.organisations import selectors as organisation_selectors
from apps.organisations.scope import staff_organisation_ids
from tests.factories import GoalFactory, IndexSeriesFactory, IndexValueFactory, PaymentFactory

ROOT = Path(__file__).resolve().parents[2]

# The scan ----------------------------------------------------------------------------------------------

# Old per-view getters: they answered DoesNotExist and left the permission to the caller.
OLD_GETTERS = {
    "get_agreement",
    "get_draft",
    "get_organisation",
    "get_payment",
    "get_agreement_document",
    "agreement_detail",
}
ID_KEYWORDS = {"pk", "id", "pk__in", "id__in"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}

# (file, rule, a piece of the offending source) → why this lookup may bypass the access layer.
ALLOWED: dict[tuple[str, str, str], str] = {
    (
        "apps/documents/management/commands/import_agreement.py",
        "lookup by id",
        "bodies.filter(pk=int(value))",
    ): (
        "--public-body names the body the documents are imported for, by id, organisationsnummer or name; "
        "the command acts for the platform operator (there is no request user: --user is only the actor "
        "recorded), and the three ways of naming a body are resolved in one place"
    ),
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.source}"


def _scanned_files() -> list[Path]:
    apps = ROOT / "apps"
    files = [*apps.glob("*/views.py"), *apps.glob("*/exports.py"), *apps.glob("*/pages.py")]
    files += [p for p in apps.glob("*/management/commands/*.py") if p.name != "__init__.py"]
    return sorted(files)


def _on_manager(node: ast.expr) -> bool:
    """Does the chain ``node`` (``X.objects.filter(...).order_by(...)``) start from a model manager?"""
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in {"objects", "_default_manager"}:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return False


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def scan_source(source: str, path: str, *, is_view: bool) -> list[Finding]:
    """Every object retrieval in ``source`` that does not go through an ``access_`` function."""
    tree = ast.parse(source)
    lines = source.splitlines()
    from_selectors = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("selectors")
        for alias in node.names
    }
    found: list[Finding] = []

    def add(node: ast.AST, rule: str) -> None:
        line = getattr(node, "lineno", 0)
        found.append(Finding(path, line, rule, lines[line - 1].strip() if line else ""))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called_name(node.func)
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            if name in SHORTCUTS:
                add(node, "get_object_or_404")
            elif name == "get" and receiver is not None and _on_manager(receiver):
                add(node, "manager .get()")
            elif name in {"get", "filter", "exclude"} and any(k.arg in ID_KEYWORDS for k in node.keywords):
                add(node, "lookup by id")
            elif name in OLD_GETTERS or (
                name.startswith("get_")
                and (
                    (isinstance(node.func, ast.Name) and name in from_selectors)
                    or (isinstance(receiver, ast.Name) and receiver.id.endswith("selectors"))
                )
            ):
                add(node, "selector getter")
        elif is_view and isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            add(node, "model manager in a view")
    return sorted(found, key=lambda f: f.line)


def _allowed(finding: Finding) -> bool:
    return any(
        path == finding.path and rule == finding.rule and piece in finding.source for path, rule, piece in ALLOWED
    )


def scan_tree() -> list[Finding]:
    findings = []
    for file in _scanned_files():
        rel = file.relative_to(ROOT).as_posix()
        findings += scan_source(file.read_text(encoding="utf-8"), rel, is_view=file.name in {"views.py", "pages.py"})
    return findings


def test_every_page_export_and_command_gets_its_objects_through_the_access_layer() -> None:
    offending = [f for f in scan_tree() if not _allowed(f)]
    assert not offending, (
        "Object retrieval that bypasses the access layer (use the area's access_<thing>(user, pk, *, perm), "
        "or allow it in ALLOWED with the reason):\n" + "\n".join(map(str, offending))
    )


def test_every_allowed_exception_is_still_there_and_says_why() -> None:
    findings = scan_tree()
    for (path, rule, piece), reason in ALLOWED.items():
        assert len(reason) > 40, f"{path}: say why {piece!r} may bypass the access layer"
        assert any(f.path == path and f.rule == rule and piece in f.source for f in findings), (
            f"{path}: the allowed {rule} {piece!r} is no longer there: remove it from ALLOWED"
        )


def test_the_scan_reads_every_area() -> None:
    scanned = {p.relative_to(ROOT).as_posix() for p in _scanned_files()}
    for expected in [
        "apps/agreements/views.py",
        "apps/agreements/exports.py",
        "apps/finance/views.py",
        "apps/finance/exports.py",
        "apps/organisations/views.py",
        "apps/documents/views.py",
        "apps/finance/management/commands/payment_plan.py",
        "apps/documents/management/commands/import_agreement.py",
    ]:
        assert expected in scanned


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("x = get_object_or_404(Agreement, pk=pk)", "get_object_or_404"),
        ("x = shortcuts.get_list_or_404(Payment, agreement=a)", "get_object_or_404"),
        ("x = Agreement.objects.get(pk=pk)", "manager .get()"),
        ("x = Agreement.objects.select_related('finance').get(title=t)", "manager .get()"),
        ("x = Agreement.objects.filter(pk=pk).first()", "lookup by id"),
        ("x = qs.filter(id__in=ids)", "lookup by id"),
        ("x = selectors.get_agreement(user, pk)", "selector getter"),
        ("from apps.agreements.selectors import get_agreement\nx = get_agreement(user, pk)", "selector getter"),
        ("from .selectors import get_thing\nx = get_thing(user, pk)", "selector getter"),
        ("x = FinanceTerms.objects.filter(agreement=a).first()", "model manager in a view"),
    ],
)
def test_the_scan_finds_each_kind_of_bypass(code: str, rule: str) -> None:
    findings = scan_source(code, "apps/x/views.py", is_view=True)
    assert [f.rule for f in findings][:1] == [rule], findings
    assert findings[0].line == code.count("\n") + 1 and findings[0].path == "apps/x/views.py"


def test_the_scan_passes_the_access_layer_and_ordinary_reads() -> None:
    code = (
        "agreement = selectors.access_agreement(user, pk, perm='agreements.change_agreement')\n"
        "line = selectors.access_budget_line(user, line_id, agreement=agreement)\n"
        "page = request.GET.get('page')\n"
        "public = agreement.parties.filter(role='public').first()\n"
    )
    assert scan_source(code, "apps/x/views.py", is_view=True) == []


def test_a_command_may_read_every_agreement_for_the_platform() -> None:
    code = "qs = Agreement.objects.order_by('id')\n"
    assert scan_source(code, "apps/x/management/commands/c.py", is_view=False) == []
    assert [f.rule for f in scan_source(code, "apps/x/views.py", is_view=True)] == ["model manager in a view"]


# The access functions ----------------------------------------------------------------------------------


@pytest.fixture
def two(make_agreement, orgs, users) -> tuple[Agreement, Agreement]:
    north = make_agreement(title="Norr Alfa")
    south = make_agreement(
        title="Söder Beta", actor=users["officer_south"], public=orgs["south"], nonprofit=orgs["beta"]
    )
    return north, south


def _missing_pk() -> int:
    return (Agreement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.mark.django_db
@pytest.mark.parametrize("perm", [None, "agreements.view_agreement", "agreements.change_agreement"])
@pytest.mark.parametrize("who", ["officer_south", "partner_beta", "nobody"])
def test_an_agreement_not_seen_is_missing_whatever_is_asked(two, users, who: str, perm: str | None) -> None:
    north, _south = two
    for pk in [north.pk, _missing_pk(), "abc", None]:
        with pytest.raises(Http404):
            agreement_selectors.access_agreement(users[who], pk, perm=perm)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "perm", "outcome"),
    [
        ("officer_north", "agreements.change_agreement", "ok"),
        ("officer_north", "agreements.transition_agreement", "ok"),
        ("controller_city", "agreements.view_agreement", "ok"),
        ("viewer_north", "agreements.change_agreement", "403"),
        ("partner_alpha", "agreements.view_agreement", "ok"),
        ("partner_alpha", "agreements.change_agreement", "403"),
        ("controller_city", "agreements.transition_agreement", "403"),
    ],
)
def test_an_agreement_seen_is_got_or_the_action_refused(two, users, who: str, perm: str, outcome: str) -> None:
    north, _south = two
    if outcome == "ok":
        assert agreement_selectors.access_agreement(users[who], north.pk, perm=perm) == north
    else:
        with pytest.raises(PermissionDenied):
            agreement_selectors.access_agreement(users[who], north.pk, perm=perm)


@pytest.mark.django_db
def test_the_system_sees_every_agreement_and_still_misses_what_is_not_there(two) -> None:
    north, south = two
    assert agreement_selectors.access_agreement(None, south.pk, perm="agreements.change_agreement") == south
    assert agreement_selectors.access_agreement(None, north.pk, perm=None, detail=True) == north
    with pytest.raises(Http404):
        agreement_selectors.access_agreement(None, _missing_pk(), perm=None)


@pytest.mark.django_db
def test_a_child_must_belong_to_the_agreement_given(two, users) -> None:
    north, south = two
    officer = users["officer_north"]
    own = north.interventions.create(title="Insats Norr", position=0)
    theirs = south.interventions.create(title="Insats Söder", position=0)
    assert agreement_selectors.access_intervention(officer, own.pk, agreement=north) == own
    with pytest.raises(Http404):
        agreement_selectors.access_intervention(officer, theirs.pk, agreement=north)
    goal, other_goal = GoalFactory.create(agreement=north), GoalFactory.create(agreement=north)
    south_goal = GoalFactory.create(agreement=south)
    assert agreement_selectors.access_goal(officer, goal.pk, agreement=north) == goal
    with pytest.raises(Http404):
        agreement_selectors.access_goal(officer, south_goal.pk, agreement=north)
    indicator = goal.indicators.create(name="Antal träffar", kind="count", follow_ups_per_year=2)
    assert agreement_selectors.access_indicator(officer, indicator.pk, agreement=north, goal=goal) == indicator
    assert agreement_selectors.access_indicator(officer, indicator.pk, agreement=north) == indicator
    with pytest.raises(Http404):
        agreement_selectors.access_indicator(officer, indicator.pk, agreement=north, goal=other_goal)
    with pytest.raises(Http404):
        agreement_selectors.access_indicator(officer, indicator.pk, agreement=south)


@pytest.mark.django_db
def test_a_child_of_an_agreement_the_user_does_not_see_is_missing_even_when_its_agreement_is_passed(two, users):
    """The child lookup is scoped at the source too: an agreement object that did not come from
    access_agreement for this user opens nothing."""
    north, _south = two
    own = north.interventions.create(title="Insats Norr", position=0)
    payment = PaymentFactory.create(agreement=north)
    with pytest.raises(Http404):
        agreement_selectors.access_intervention(users["officer_south"], own.pk, agreement=north)
    with pytest.raises(Http404):
        finance_selectors.access_payment(users["partner_beta"], payment.pk, agreement=north)


@pytest.mark.django_db
def test_money_rows_and_the_money_permissions(two, users) -> None:
    north, south = two
    payment, other = PaymentFactory.create(agreement=north), PaymentFactory.create(agreement=south)
    officer, controller = users["officer_north"], users["controller_city"]
    agreement = finance_selectors.access_finance(officer, north.pk, perm="finance.record_payment")
    assert finance_selectors.access_payment(officer, payment.pk, agreement=agreement) == payment
    with pytest.raises(Http404):
        finance_selectors.access_payment(officer, other.pk, agreement=agreement)
    with pytest.raises(PermissionDenied):  # correcting a recorded payment is the controllers'
        finance_selectors.access_finance(officer, north.pk, perm="finance.correct_payment")
    assert finance_selectors.access_finance(controller, north.pk, perm="finance.correct_payment") == north
    assert finance_selectors.access_finance(users["partner_alpha"], north.pk, perm="finance.view_finance") == north
    with pytest.raises(Http404):
        finance_selectors.access_finance(users["partner_beta"], north.pk, perm="finance.view_finance")


@pytest.mark.django_db
def test_index_series_and_values(orgs, users) -> None:
    # The city's own series (its controllers keep it) and a national one (the platform's, read by all).
    series = IndexSeriesFactory.create(tenant=orgs["city"])
    other = IndexSeriesFactory.create(code="KPI", name="Konsumentprisindex")
    value = IndexValueFactory.create(series=series, year=2025)
    controller = users["controller_city"]
    assert finance_selectors.access_index_series(controller, series.pk, perm="finance.change_index") == series
    assert finance_selectors.access_index_series(controller, other.pk, perm=None) == other
    with pytest.raises(PermissionDenied):
        finance_selectors.access_index_series(controller, other.pk, perm="finance.change_index")
    assert finance_selectors.access_index_value(controller, value.pk, series=series) == value
    with pytest.raises(Http404):
        finance_selectors.access_index_value(controller, value.pk, series=other)
    with pytest.raises(PermissionDenied):
        finance_selectors.access_index_series(users["officer_north"], series.pk, perm="finance.change_index")
    with pytest.raises(Http404):
        finance_selectors.access_index_series(controller, other.pk + 1000, perm="finance.change_index")


@pytest.mark.django_db
def test_organisations(orgs, users) -> None:
    north = orgs["north"]
    viewer, officer = users["viewer_north"], users["officer_north"]
    assert organisation_selectors.access_organisation(viewer, north.pk, perm="organisations.view_organisation") == north
    assert organisation_selectors.access_organisation(officer, north.pk, perm="organisations.change_organisation")
    with pytest.raises(PermissionDenied):
        organisation_selectors.access_organisation(viewer, north.pk, perm="organisations.change_organisation")
    for pk in [north.pk, "abc"]:  # partners never read the register: the same 404 as a missing one
        with pytest.raises(Http404):
            organisation_selectors.access_organisation(users["partner_alpha"], pk, perm=None)


def _draft(agreement: Agreement | None, body, status: str, sha: str, user) -> ImportDraft:
    return ImportDraft.objects.create(
        public_body=body,
        file=f"imports/{sha}.txt",
        original_name=f"{sha}.txt",
        sha256=sha.ljust(64, "0"),
        size=10,
        status=status,
        draft={"title": "Avtal"},
        uploaded_by=user,
        agreement=agreement,
    )


@pytest.mark.django_db
def test_import_drafts_and_agreement_documents(two, orgs, users) -> None:
    north, _south = two
    officer = users["officer_north"]
    pending = _draft(None, orgs["north"], "pending", "a1", officer)
    accepted = _draft(north, orgs["north"], "accepted", "b2", officer)
    assert document_selectors.access_import_draft(officer, pending.pk, perm="documents.change_importdraft") == pending
    with pytest.raises(PermissionDenied):  # seen, but already handled
        document_selectors.access_import_draft(officer, accepted.pk, perm="documents.change_importdraft")
    for who in ["officer_south", "partner_alpha", "controller_city"]:
        with pytest.raises(Http404):
            document_selectors.access_import_draft(users[who], pending.pk, perm="documents.view_importdraft")
    partner = users["partner_alpha"]  # the original document is for everyone who sees the agreement
    assert document_selectors.access_agreement_document(partner, accepted.pk, perm="documents.view_document")
    for pk, who in [(accepted.pk, "partner_beta"), (accepted.pk, "officer_south"), (pending.pk, "officer_north")]:
        with pytest.raises(Http404):
            document_selectors.access_agreement_document(users[who], pk, perm="documents.view_document")


# The scope, once per request -----------------------------------------------------------------------------


def _hierarchy_queries(captured: CaptureQueriesContext) -> int:
    """Queries that read the body hierarchy: the recursive one, or one per level as it was read before."""
    return sum(
        1 for q in captured.captured_queries if q["sql"].startswith("WITH RECURSIVE") or '"parent_id" IN' in q["sql"]
    )


@pytest.mark.django_db
def test_the_scope_is_read_once_for_every_role_set(orgs, users) -> None:
    controller = users["controller_city"]
    with CaptureQueriesContext(connection) as first:
        everything = staff_organisation_ids(controller)
    assert everything == {orgs[k].pk for k in ("city", "north", "north_dept", "south")}
    assert _hierarchy_queries(first) == 1  # the kommun, its nämnder and their förvaltning: one recursive query
    with CaptureQueriesContext(connection) as again:
        staff_organisation_ids(controller)
        for roles in [{Role.CONTROLLER}, {Role.CASE_OFFICER}, {Role.CASE_OFFICER, Role.CONTROLLER}]:
            staff_organisation_ids(controller, roles)
        agreement_selectors.visible_agreements(controller).count()
        agreement_selectors.visible_agreements(controller).count()
    assert staff_organisation_ids(controller, {Role.CASE_OFFICER}) == set()
    assert len(again.captured_queries) == 2, [q["sql"] for q in again.captured_queries]  # the two counts


@pytest.mark.django_db
def test_a_changed_membership_changes_the_scope_within_the_same_request(orgs, users) -> None:
    person = users["nobody"]
    assert staff_organisation_ids(person) == set()
    assert not agreement_selectors.visible_agreements(person).exists()
    membership = account_services.membership_add(actor=None, user=person, organisation=orgs["north"], role=Role.VIEWER)
    assert staff_organisation_ids(person) == {orgs["north"].pk, orgs["north_dept"].pk}
    account_services.membership_change_role(actor=person, membership=membership, role=Role.CASE_OFFICER)
    assert staff_organisation_ids(person, {Role.CASE_OFFICER}) == {orgs["north"].pk, orgs["north_dept"].pk}
    account_services.membership_remove(actor=person, membership=Membership.objects.get(pk=membership.pk))
    assert staff_organisation_ids(person) == set()


@pytest.mark.django_db
def test_the_scope_lives_as_long_as_the_request(client, make_agreement, orgs, users) -> None:
    """Each request builds its own user object: a membership added between two requests is seen by the second."""
    agreement = make_agreement(title="Norr Alfa")
    person = users["nobody"]
    client.force_login(person)
    assert client.get(agreement.get_absolute_url()).status_code == 404
    Membership.objects.create(user=person, organisation=orgs["north"], role=Role.VIEWER)
    assert client.get(agreement.get_absolute_url()).status_code == 200
