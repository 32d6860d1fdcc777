# SPDX-License-Identifier: EUPL-1.2
"""Probe tenant isolation: every user of one municipality against every object of the other.

Usage: python bench/probe_isolation.py [--database-url postgres://…] [--keep] [--verbose]

On a throw-away database (SQLite in a temporary directory by default; with --database-url a new database
on that PostgreSQL server, dropped afterwards) it loads the demo (Göteborg and Mölndal, two tenants) and
adds what the demo lacks so that every kind of row exists in both tenants: a viewer and a controller of
each, a pending import draft and an imported agreement's original document, a repayment claim, an actual
cost, an index series of each tenant's own, and a pending invitation from each tenant to the other. Then,
as every staff and partner user (and the platform's index keeper), through ``django.test.Client`` (no
server; no CSRF check, so the attacker is at its strongest):

* every page reachable from the start page (links, redirects, GET forms; downloads included: CSV, Excel)
  is read, and the organisation list's counts are compared with what the user may see;
* every URL pattern of the project (from the URL resolver) is requested with every id of the objects the
  user may not see — the other tenant's agreements, parties and invitations, interventions, goals,
  indicators, funding sources, budget lines, payments, claims, import drafts, documents, public bodies and
  index series — and with each row under a parent of the other tenant; with GET, and with POST: an empty
  body and every form the page shows the object's own staff (read as a superuser), its text changed so that
  a write would show; the national series (PKV) is written at by everyone but its keeper;
* the form-level attacks of issue 8: re-parenting the other tenant's body, making it the parent of one's
  own body, of a new body or of a shared non-profit, adding it as a party to one's own agreement (chosen or
  typed in with its number: it may at most become a pending invitation), money terms naming the other
  tenant's index series, an upload for the other tenant's body, values written into PKV and into the other
  tenant's series (pages and ``load_index --user``);
* the register commands, per user where they take --user (the others act as the system, by design).

A leak is a request after which a row of another tenant (or of the national series) differs from the
snapshot taken before it; a page, download or command output that shows an agreement title, case number
or amount the user may not see (one that also shows on the pages of what the user may see, such as a
help text's example, does not count); or a count that includes such agreements. A server error is any
5xx. Prints a JSON summary on stdout (``requests``, ``by_status``, ``leaks``, ``server_errors``,
``seconds``, and what was covered) and exits 1 on a leak, a server error or a URL pattern it cannot fill.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import html
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import uuid
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTED = time.perf_counter()
FIXTURES = ROOT / "tests" / "domain" / "importer" / "fixtures"
# Per tenant: the public body that imports, the file confirmed into an agreement, the file left pending, and
# the body of the other tenant that one of its agreements invites as a party.
TENANTS = {
    "Göteborgs Stad": (
        "Socialnämnden Nordost",
        "seeds/003_*.txt",
        "seeds/002_*.txt",
        "Social- och arbetsmarknadsnämnden",
    ),
    "Mölndals stad": (
        "Social- och arbetsmarknadsnämnden",
        "synthetic/syn_two_associations.txt",
        "synthetic/syn_kpi_quarterly.txt",
        "Socialnämnden Nordost",
    ),
}
SHARED_NONPROFIT = "Föreningen Tidigt föräldrastöd"
# Users the probe adds, so that every staff role of each tenant and each kind of partner is tried.
EXTRA_USERS = [
    # (username, organisation, role)
    ("probe-viewer-goteborg", "Göteborgs Stad", "viewer"),
    ("probe-controller-molndal", "Mölndals stad", "controller"),
    ("probe-viewer-molndal", "Social- och arbetsmarknadsnämnden", "viewer"),
    ("probe-partner-laxhjalpen", "Föreningen Läxhjälpen i Kvarnbyn", "partner_editor"),
    ("probe-partner-viewer-tidigt", SHARED_NONPROFIT, "partner_viewer"),
]
REFERENCE = "probe-reference"  # a superuser: reads each form and page as the object's own staff see it
SKIP_PREFIXES = ("/logga-ut/", "/i18n/", "/static/", "/media/", "/admin/")
MAX_VARIANTS_PER_PATH = 6  # query-string variants per path in the walk
MAX_FORMS_PER_ACTION = 4  # plausible bodies posted per URL
TEXT_FIELDS = re.compile(r"(title|name|text|label|purpose|reason|description|comment|note|background)$")
MIN_AMOUNT = Decimal(10_000)  # smaller amounts are too common to tell one agreement's from another's
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?:,\d{2})?(?![\d])|(?<![\d.,])\d+(?:[.,]\d{2})?(?![\d])")


# Setting up: settings, a throw-away database, the demo and what it lacks ---------------------------------------


def configure(database_url: str | None, tmp: Path) -> str:
    """Settings for a throw-away run; returns the name of the database it creates."""
    os.environ["PARTNERSKAP_VAR_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnerskap.settings.dev"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        os.environ["DATABASE_POOL"] = "0"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # testserver allowed, mail kept in memory, DEBUG off as in production
    logging.disable(logging.CRITICAL)  # every 4xx and 5xx is counted and reported here instead
    settings.MEDIA_ROOT = tmp / "media"
    name = str(tmp / "probe.sqlite3") if connection.vendor == "sqlite" else f"partnerskap_probe_{uuid.uuid4().hex[:12]}"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    return name


@dataclasses.dataclass
class World:
    """The tenants, the users probed, and who owns what (recomputed after every write the probe makes)."""

    tenants: dict[str, Any]  # name → the top-level public body
    users: list[Any]
    reference: Any
    body_tenant: dict[int, int] = dataclasses.field(default_factory=dict)  # public body → its tenant
    agreement_tenants: dict[int, set[int]] = dataclasses.field(default_factory=dict)  # through accepted parties
    series_tenant: dict[int, int | None] = dataclasses.field(default_factory=dict)  # None: a national series

    def refresh(self) -> None:
        from apps.agreements.models import Agreement, Party
        from apps.finance.models import IndexSeries
        from apps.organisations.models import Organisation

        rows = {pk: (parent, kind) for pk, parent, kind in Organisation.objects.values_list("pk", "parent_id", "kind")}
        self.body_tenant = {pk: top for pk in rows if (top := tenant_in(rows, pk)) is not None}
        self.agreement_tenants = {pk: set() for pk in Agreement.objects.values_list("pk", flat=True)}
        for agreement_id, org_id in accepted(Party.objects.all()).values_list("agreement_id", "organisation_id"):
            if org_id in self.body_tenant:
                self.agreement_tenants[agreement_id].add(self.body_tenant[org_id])
        self.series_tenant = dict(IndexSeries.objects.values_list("pk", "tenant_id"))


def tenant_in(rows: Mapping[int, tuple[int | None, str]], pk: int) -> int | None:
    """The tenant of the public body ``pk`` (the top of its parents), given every organisation's (parent, kind)."""
    if rows.get(pk, (None, ""))[1] != "public_body":
        return None
    top, seen = pk, {pk}
    while (parent := rows[top][0]) is not None and parent in rows and parent not in seen:
        top = parent
        seen.add(top)
    return top if rows[top][1] == "public_body" and rows[top][0] is None else None


def has_invitations() -> bool:
    from apps.agreements.models import Party

    return any(f.name == "status" for f in Party._meta.concrete_fields)


def accepted(parties: Any) -> Any:
    """The parties that count: every party, or, where invitations exist, the accepted ones."""
    return parties.filter(status="accepted") if has_invitations() else parties


def file_upload(pattern: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = next(FIXTURES.glob(pattern))
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")


def descendants(pk: int) -> set[int]:
    from apps.organisations.models import Organisation

    found, frontier = {pk}, {pk}
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def build_world(probe: Probe) -> World:
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.accounts.services import membership_add
    from apps.agreements.models import Agreement, Party
    from apps.finance import services as finance_services
    from apps.finance.models import BudgetLine, IndexSeries
    from apps.organisations.models import Organisation

    call_command("seed_demo", stdout=io.StringIO())
    for username, org_name, role in EXTRA_USERS:
        user = User.objects.create_user(username=username, password=uuid.uuid4().hex, first_name=username)
        membership_add(actor=None, user=user, organisation=Organisation.objects.get(name=org_name), role=role)
    reference = User.objects.create_superuser(username=REFERENCE, password=uuid.uuid4().hex)
    tenants = {name: Organisation.objects.get(name=name, parent=None) for name in TENANTS}
    for number, (name, tenant) in enumerate(tenants.items()):
        bodies = Organisation.objects.filter(pk__in=descendants(tenant.pk))
        officer = User.objects.filter(memberships__role="case_officer", memberships__organisation__in=bodies).first()
        controller = User.objects.filter(memberships__role="controller", memberships__organisation__in=bodies).first()
        assert officer and controller, f"{name}: the demo needs a case officer and a controller"
        body_name, confirmed, pending, invitee = TENANTS[name]
        body = Organisation.objects.get(name=body_name)
        import_through_pages(probe, officer, body, confirmed, confirm=True)
        import_through_pages(probe, officer, body, pending, confirm=False)
        series = IndexSeries.objects.create(code=f"LPI-{tenant.pk}", name=f"Löneindex {name}", tenant=tenant)
        finance_services.index_value_save(
            actor=controller, series=series, data={"year": 2024, "reference_month": 10, "percent": Decimal("3.4")}
        )
        own_agreements = Agreement.objects.filter(
            pk__in=accepted(Party.objects.filter(organisation__in=bodies, role="public")).values("agreement_id")
        )
        funded = own_agreements.filter(finance__isnull=False, budget_lines__isnull=False).distinct()
        agreement = min(funded, key=lambda a: (a.status != "active", a.pk), default=None)
        assert agreement is not None and agreement.start_date, f"{name}: the demo needs an agreement with money"
        finance_services.repayment_claim_save(
            actor=controller,
            agreement=agreement,
            data={
                "amount": Decimal(23_456 + 1_111 * number),  # each tenant's own amount
                "reason": f"Ej förbrukade medel ({name})",
                "claimed_on": agreement.start_date,
                "due_on": agreement.start_date + dt.timedelta(days=30),
            },
        )
        line = BudgetLine.objects.filter(agreement=agreement).order_by("pk").first()
        assert line is not None
        finance_services.actual_cost_record(
            actor=controller,
            line=line,
            period_start=agreement.start_date,
            period_end=agreement.start_date,
            amount=Decimal(1_234),
        )
        if has_invitations():
            # Pending invitations of the other tenant's body: as a dialogue party of the agreement with money,
            # and as a public party of another agreement of the tenant's.
            invited = Organisation.objects.get(name=invitee)
            invite_through_pages(probe, officer, agreement, invited, role="dialogue")
            others = own_agreements.exclude(pk=agreement.pk).exclude(status__in=["ended", "terminated", "rescinded"])
            other = others.order_by("pk").first()
            assert other is not None, f"{name}: the demo needs a second agreement that is still running"
            invite_through_pages(probe, officer, other, invited, role="public")
    users = [
        u
        for u in User.objects.filter(is_active=True, is_superuser=False).order_by("pk")
        if u.memberships.exists() or u.has_perm("finance.keep_national_index")
    ]
    assert not any(u.is_staff for u in users), "a probed user with the admin site would make its answers meaningless"
    world = World(tenants=tenants, users=users, reference=reference)
    world.refresh()
    return world


def import_through_pages(probe: Probe, officer: Any, body: Any, pattern: str, *, confirm: bool) -> None:
    """Upload a document for ``body`` as its case officer; confirm the draft into a new agreement if told."""
    from django.urls import reverse

    client = probe.client_for(officer)
    url = reverse("documents:upload")
    form = one_form(probe.get(client, url, who=officer, tally=False), having="file")
    data = {**form.data({"public_body": str(body.pk)}), "file": file_upload(pattern)}
    response = probe.post(client, url, data, who=officer, tally=False)
    assert response.status_code == 302, f"uploading {pattern} for {body}: {response.status_code} {errors_on(response)}"
    if not confirm:
        return
    review_url = response["Location"]
    forms = [f for f in parse(probe.get(client, review_url, who=officer, tally=False)).forms if len(f.fields) > 10]
    assert forms and forms[0].method == "post", f"no review form for {pattern}"
    form = forms[0]
    button = next((b for b in form.buttons if b[1] == "new"), form.buttons[0] if form.buttons else None)
    url = urljoin(review_url, form.action or review_url)
    response = probe.post(client, url, form.data(button=button), who=officer, tally=False)
    assert response.status_code == 302, f"confirming {pattern} for {body}: {response.status_code} {errors_on(response)}"


def invite_through_pages(probe: Probe, officer: Any, agreement: Any, body: Any, *, role: str) -> None:
    """Name ``body`` (of the other tenant) as a party on the agreement's edit page: an invitation."""
    from django.urls import reverse

    client = probe.client_for(officer)
    url = reverse("agreements:edit", args=[agreement.pk])
    form = one_form(probe.get(client, url, who=officer, tally=False), having="parties-TOTAL_FORMS")
    row = next(
        i for i in range(int(form.value("parties-TOTAL_FORMS") or 0)) if not form.value(f"parties-{i}-organisation")
    )
    changes = {f"parties-{row}-organisation": str(body.pk), f"parties-{row}-role": role}
    response = probe.post(client, url, form.data(changes), who=officer, tally=False)
    assert response.status_code == 302, f"inviting {body} to {agreement}: {response.status_code} {errors_on(response)}"


# Reading pages ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    buttons: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    files: list[str] = dataclasses.field(default_factory=list)
    options: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def names(self) -> set[str]:
        return {n for n, _v in self.fields} | set(self.files) | set(self.options)

    def data(self, changes: dict[str, str] | None = None, button: tuple[str, str] | None = None) -> dict[str, Any]:
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in (changes or {}).items():
            data[name] = [value]
        if button:
            data.setdefault(button[0], []).append(button[1])
        return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


class PageParser(HTMLParser):
    """Links and forms of a page, read the way a browser submits them (successful controls only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: list[Any] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        form = self._form
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
        elif form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((a["name"], a.get("value", "")))
            elif kind == "file":
                form.files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("reset", "button"):
                form.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit" and a.get("name"):
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            name, multiple, options = self._select
            self._select = None
            if self._form is not None:
                self._form.options[name] = [v for v, _s in options]
                chosen = [v for v, s in options if s] or ([] if multiple or not options else [options[0][0]])
                self._form.fields.extend((name, v) for v in (chosen if multiple else chosen[-1:]))
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            if self._form is not None:
                self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _close_option(self) -> None:
        assert self._option is not None and self._select is not None
        value, selected, text = self._option
        self._select[2].append((" ".join("".join(text).split()) if value is None else value, selected))
        self._option = None


def is_html(response: Any) -> bool:
    return not getattr(response, "streaming", False) and response.get("Content-Type", "").startswith("text/html")


def parse(response: Any) -> PageParser:
    parser = PageParser()
    if is_html(response):
        parser.feed(response.content.decode(errors="replace"))
        parser.close()
    return parser


def one_form(response: Any, *, having: str) -> Form:
    forms = [f for f in parse(response).forms if having in f.names()]
    assert len(forms) == 1, f"expected one form with {having!r}, found {len(forms)} ({response.status_code})"
    return forms[0]


def errors_on(response: Any) -> str:
    """The error summary a refused form shows, as text (for the report)."""
    if not is_html(response):
        return ""
    text = response.content.decode(errors="replace")
    found = re.findall(r'id="error-summary".*?</(?:div|section)>', text, flags=re.S)
    return " | ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", f)).split()) for f in found)[:300]


def body_text(response: Any) -> str:
    """What a person would read in the response: the page's text, a CSV, or an Excel file's cells."""
    raw = response.probe_body if getattr(response, "streaming", False) else response.content
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
        except zipfile.BadZipFile:
            parts = [raw.decode("utf-8", "replace")]
        text = re.sub(r"<[^>]+>", " ", " ".join(parts))
    else:
        text = raw.decode("utf-8-sig", "replace")
    return html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


def same_site(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


# Who may see what, restated independently of the product's selectors ---------------------------------------------


@dataclasses.dataclass
class Viewer:
    """One probed user, by the README's rule: staff see every agreement of their bodies and those below;
    partner staff the agreements of their organisation that are shown to them; only accepted parties count;
    a pending invitation is answered by the case officers over the invited body."""

    user: Any
    kind: str  # "staff", "partner" or "platform"
    tenants: set[int]  # staff: their tenants; partners: the tenants of the agreements they see
    agreements: set[int]  # may see
    staff_orgs: set[int]
    officer_orgs: set[int]
    keeper: bool  # keeps the national index series

    @classmethod
    def of(cls, user: Any, world: World) -> Viewer:
        from apps.accounts.models import STAFF_ROLES
        from apps.agreements.models import Party

        memberships = list(user.memberships.all())
        staff_orgs = below({m.organisation_id for m in memberships if m.role in STAFF_ROLES})
        officer_orgs = below({m.organisation_id for m in memberships if m.role == "case_officer"})
        partner_orgs = {m.organisation_id for m in memberships if m.role not in STAFF_ROLES}
        parties = accepted(Party.objects.all())
        agreements = set(parties.filter(organisation_id__in=staff_orgs).values_list("agreement_id", flat=True))
        agreements |= set(
            parties.filter(organisation_id__in=partner_orgs, agreement__shared_with_partners=True).values_list(
                "agreement_id", flat=True
            )
        )
        if staff_orgs:
            kind = "staff"
            tenants = {world.body_tenant[pk] for pk in staff_orgs if pk in world.body_tenant}
        elif partner_orgs:
            kind = "partner"
            tenants = {t for pk in agreements for t in world.agreement_tenants.get(pk, set())}
        else:
            kind, tenants = "platform", set()
        keeper = user.has_perm("finance.keep_national_index")
        return cls(user, kind, tenants, agreements, staff_orgs, officer_orgs, keeper)

    def editable(self) -> list[int]:
        """The agreements of which the user is a case officer over an accepted public party."""
        from apps.agreements.models import Party

        parties = accepted(Party.objects.filter(organisation_id__in=self.officer_orgs, role="public"))
        return sorted(set(parties.values_list("agreement_id", flat=True)))

    def invited(self) -> set[int]:
        """Agreements with a pending invitation this user may answer: its title and case number are shown."""
        from apps.agreements.models import Party

        if not has_invitations():
            return set()
        parties = Party.objects.filter(organisation_id__in=self.officer_orgs, status="invited")
        return set(parties.values_list("agreement_id", flat=True))

    def foreign(self, obj: Any, world: World) -> bool:
        """Does ``obj`` belong to another tenant than the user's own, and to nothing the user may see?"""
        from apps.agreements.models import Party

        if isinstance(obj, Party) and getattr(obj, "status", "accepted") == "invited":
            return obj.organisation_id not in self.officer_orgs and obj.agreement_id not in self.agreements
        owners, national = ownership(obj, world)
        if national:
            return not self.keeper  # the national series: read by everyone, written by its keepers only
        if not owners:
            return False  # shared: a non-profit, or a row of no tenant
        agreement_id = owner_id(obj, "agreements.Agreement")
        if agreement_id is not None and agreement_id in self.agreements:
            return False
        if self.kind == "staff":
            return not owners & self.tenants
        if self.kind == "partner":
            # Another tenant than the one the partner works with; for a partner of several tenants, each
            # tenant's other agreements are the other tenant's to it.
            return not (len(self.tenants) == 1 and owners <= self.tenants)
        return True

    def touched_by(self, owners: set[int], national: bool) -> bool:
        """Is a row of these owners another tenant's (or the national series, for all but its keepers)?"""
        if national and not self.keeper:
            return True
        if self.kind != "staff":
            return bool(owners)  # a partner or the keeper writes no tenant's rows through these requests
        return bool(owners - self.tenants)


def below(roots: set[int]) -> set[int]:
    return set().union(*(descendants(pk) for pk in roots)) if roots else set()


def ownership(obj: Any, world: World) -> tuple[set[int], bool]:
    """The tenants ``obj`` belongs to (through its agreement, public body or index series), and whether it is
    the national index series or one of its values."""
    from apps.agreements.models import Agreement
    from apps.finance.models import IndexSeries, IndexValue
    from apps.organisations.models import Organisation

    if isinstance(obj, IndexSeries | IndexValue):
        tenant = world.series_tenant.get(obj.pk if isinstance(obj, IndexSeries) else obj.series_id)
        return ({tenant} if tenant else set()), tenant is None
    owners: set[int] = set()
    for item in related_chain(obj):
        if isinstance(item, Agreement):
            owners |= world.agreement_tenants.get(item.pk, set())
        elif isinstance(item, Organisation) and item.pk in world.body_tenant:
            owners.add(world.body_tenant[item.pk])
        elif isinstance(item, IndexSeries) and (tenant := world.series_tenant.get(item.pk)):
            owners.add(tenant)
    return owners, False


def related_chain(obj: Any, depth: int = 4) -> Iterator[Any]:
    """``obj`` and every object its foreign keys lead to (users aside), nearest first."""
    frontier, seen = [obj], set()
    for _level in range(depth):
        following = []
        for item in frontier:
            if (type(item), item.pk) in seen:
                continue
            seen.add((type(item), item.pk))
            yield item
            for field in item._meta.concrete_fields:
                if (field.many_to_one or field.one_to_one) and field.related_model._meta.app_label != "accounts":
                    related = getattr(item, field.name)
                    if related is not None:
                        following.append(related)
        frontier = following


def owner_id(obj: Any, label: str) -> int | None:
    return next((item.pk for item in related_chain(obj) if item._meta.label == label), None)


# Every URL pattern with every object's id --------------------------------------------------------------------------


def parameter_models() -> dict[tuple[str, str] | str, Any]:
    from apps.agreements.models import Agreement, Goal, Indicator, Intervention, Party
    from apps.documents.models import ImportDraft
    from apps.finance.models import BudgetLine, FundingSource, IndexSeries, IndexValue, Payment, RepaymentClaim
    from apps.organisations.models import Organisation

    return {
        ("agreements", "pk"): Agreement,
        ("finance", "pk"): Agreement,
        ("organisations", "pk"): Organisation,
        ("documents", "pk"): ImportDraft,
        "intervention_id": Intervention,
        "goal_id": Goal,
        "indicator_id": Indicator,
        "party_id": Party,
        "source_id": FundingSource,
        "line_id": BudgetLine,
        "payment_id": Payment,
        "claim_id": RepaymentClaim,
        "series_id": IndexSeries,
        "value_id": IndexValue,
    }


def kind_parameters() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Patterns with a parameter naming a kind of row: {pattern: (kind parameter, row parameter, {kind: model})}."""
    from apps.agreements.models import Goal, Indicator, Intervention
    from apps.finance.models import BudgetLine, FundingSource

    return {
        "agreements:child_delete": ("kind", "child_id", {"insats": Intervention, "mal": Goal, "indikator": Indicator}),
        "finance:row_delete": ("kind", "row_id", {"finansiar": FundingSource, "budget": BudgetLine}),
    }


@dataclasses.dataclass(frozen=True)
class Pattern:
    namespace: str
    name: str
    route: str
    params: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    def url(self, values: dict[str, object]) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)


def url_patterns() -> tuple[list[Pattern], list[str]]:
    """The project's URL patterns, and those left out (the admin site: no probed user is staff)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Pattern] = []
    skipped: list[str] = []

    def walk_resolver(resolver: Any, prefix: str, namespace: tuple[str, ...]) -> None:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                ns = (*namespace, *([item.namespace] if item.namespace else []))
                if "admin" in ns or type(item.pattern).__name__ == "RegexPattern":
                    skipped.append(f"/{prefix}{item.pattern}")
                    continue
                walk_resolver(item, prefix + str(item.pattern), ns)
            elif isinstance(item, URLPattern):
                route = prefix + str(item.pattern)
                params = tuple(item.pattern.regex.groupindex)
                found.append(Pattern(":".join(namespace), item.name or route, route, params))

    walk_resolver(get_resolver(), "", ())
    return found, skipped


@dataclasses.dataclass(frozen=True)
class Target:
    pattern: Pattern
    url: str
    objects: tuple[Any, ...]


def targets(patterns: list[Pattern], world: World) -> tuple[list[Target], list[str]]:
    """Every pattern's URL with every object's id, and with each row under a parent of another tenant; and the
    patterns whose parameters name no model the probe knows."""
    models_of = parameter_models()
    kinds = kind_parameters()
    found: list[Target] = []
    unfilled: list[str] = []
    for pattern in patterns:
        if not pattern.params:
            found.append(Target(pattern, pattern.url({}), ()))
            continue
        variants: list[tuple[dict[str, object], dict[str, Any]]] = [({}, {})]
        if pattern.label in kinds:
            kind_param, row_param, by_kind = kinds[pattern.label]
            variants = [({kind_param: k}, {row_param: m}) for k, m in by_kind.items()]
        for values, models in variants:
            for param in pattern.params:
                if param in values or param in models:
                    continue
                key = (pattern.namespace, param) if (pattern.namespace, param) in models_of else param
                model = models_of.get(key) or model_named(pattern.namespace, param)
                if model is None:
                    unfilled.append(
                        f"{pattern.label} ({pattern.route!r}): the parameter {param!r} names no model the probe "
                        "knows; teach parameter_models() or kind_parameters() in bench/probe_isolation.py"
                    )
                    break
                models[param] = model
            else:
                found.extend(object_targets(pattern, values, models, world))
    return found, unfilled


def model_named(app_label: str, param: str) -> Any:
    """The one model of the pattern's app whose name ends with the parameter's (``recalculation_id`` →
    PlanRecalculation), or None when there is none or more than one."""
    from django.apps import apps

    if not param.endswith("_id") or app_label not in {a.label for a in apps.get_app_configs()}:
        return None
    stem = param.removesuffix("_id").replace("_", "")
    found = [m for m in apps.get_app_config(app_label).get_models() if m.__name__.lower().endswith(stem)]
    return found[0] if len(found) == 1 else None


def tenants_or_none(owners: set[int]) -> set[int | None]:
    """The tenants, or None for a row of no tenant (a national series, a shared organisation)."""
    return set(owners) if owners else {None}


def object_targets(
    pattern: Pattern, values: dict[str, object], models: dict[str, Any], world: World
) -> Iterator[Target]:
    params = [p for p in pattern.params if p in models]
    leaf_param = params[-1]
    # For a row under a parent: the first parent of each tenant (None: of no tenant, e.g. the national series).
    roots: dict[int | None, Any] = {}
    if len(params) > 1:
        for root in models[params[0]]._default_manager.order_by("pk"):
            for tenant in tenants_or_none(ownership(root, world)[0]):
                roots.setdefault(tenant, root)
    for leaf in models[leaf_param]._default_manager.order_by("pk"):
        ids = {p: leaf.pk if p == leaf_param else owner_id(leaf, models[p]._meta.label) for p in params}
        if any(v is None for v in ids.values()):
            continue
        objects = tuple(models[p]._default_manager.get(pk=ids[p]) for p in params)
        yield Target(pattern, pattern.url({**values, **ids}), objects)
        # The same row asked for under a parent of each other tenant (a guessed id on one's own page, too).
        leaf_owners = tenants_or_none(ownership(objects[0], world)[0])
        for tenant, other in roots.items():
            if tenant not in leaf_owners and other.pk != ids[params[0]]:
                yield Target(pattern, pattern.url({**values, **ids, params[0]: other.pk}), (other, *objects[1:]))


# Snapshots of every domain row ------------------------------------------------------------------------------------

Rows = dict[str, dict[Any, dict[str, Any]]]


def snapshot_models() -> list[Any]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in ("organisations", "agreements", "finance", "documents")
        or m._meta.label == "accounts.Membership"
    ]


def snapshot() -> Rows:
    rows: Rows = {}
    for model in snapshot_models():
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = {r["pk"]: r for r in model._base_manager.order_by("pk").values("pk", *names)}
    return rows


@dataclasses.dataclass(frozen=True)
class Change:
    label: str
    pk: Any
    what: str  # added, removed, or the fields that changed
    owners: frozenset[int]
    national: bool

    def __str__(self) -> str:
        return f"{self.label} {self.pk} {self.what}"


def diff(before: Rows, after: Rows) -> list[Change]:
    changes = []
    for label, rows in after.items():
        old = before.get(label, {})
        for pk in sorted(rows.keys() | old.keys(), key=str):
            if pk not in old:
                what = "added"
            elif pk not in rows:
                what = "removed"
            elif rows[pk] != old[pk]:
                what = "changed (" + ", ".join(k for k in rows[pk] if rows[pk][k] != old[pk][k]) + ")"
            else:
                continue
            owners, national = row_owners(label, pk, before, after)
            changes.append(Change(label, pk, what, frozenset(owners), national))
    return changes


def row_owners(label: str, pk: Any, before: Rows, after: Rows, depth: int = 5) -> tuple[set[int], bool]:
    """The tenants a row belongs to, before or after the change, read from the snapshots alone (so that a
    removed row is attributed too): its agreement's accepted public bodies, its body's, its series'."""
    from django.apps import apps

    owners: set[int] = set()
    national = False
    for rows in (before, after):
        row = rows.get(label, {}).get(pk)
        if row is None:
            continue
        if label == "agreements.Agreement":
            owners |= agreement_owners(pk, rows)
        elif label == "organisations.Organisation":
            orgs = {k: (r["parent_id"], r["kind"]) for k, r in rows["organisations.Organisation"].items()}
            if (tenant := tenant_in(orgs, pk)) is not None:
                owners.add(tenant)
        elif label == "finance.IndexSeries":
            national |= row["tenant_id"] is None
            owners |= {row["tenant_id"]} - {None}
        if depth == 0:
            continue
        for field in apps.get_model(label)._meta.concrete_fields:
            if not field.many_to_one and not field.one_to_one:
                continue
            related = field.related_model._meta.label
            if related == "accounts.User" or row.get(field.attname) is None:
                continue
            if label == "finance.FinanceTerms" and related == "finance.IndexSeries":
                related_owners, _national = row_owners(related, row[field.attname], before, after, 0)
                owners |= related_owners  # an agreement indexed by a series: the series' tenant, if any
                continue
            related_owners, related_national = row_owners(related, row[field.attname], before, after, depth - 1)
            owners |= related_owners
            national |= related_national and label == "finance.IndexValue"
    return owners, national


def agreement_owners(pk: Any, rows: dict[str, dict[Any, dict[str, Any]]]) -> set[int]:
    orgs = {k: (r["parent_id"], r["kind"]) for k, r in rows["organisations.Organisation"].items()}
    found = set()
    for party in rows["agreements.Party"].values():
        counts = party["agreement_id"] == pk and party.get("status", "accepted") == "accepted"
        if counts and (tenant := tenant_in(orgs, party["organisation_id"])) is not None:
            found.add(tenant)
    return found


# What the user may not see, as text -------------------------------------------------------------------------------


class Markers:
    """Agreement titles, case numbers and amounts of the agreements a user may not see, less whatever also
    shows on the pages of what they may see (read as the reference user: a help text's example, an equal
    amount, a document's own figures), and how to find them in a response's text."""

    def __init__(self, viewer: Viewer, corpus: str) -> None:
        from apps.agreements.models import Agreement

        shown_amounts = {amount_of(n) for n in NUMBER.findall(corpus)}
        hidden = Agreement.objects.exclude(pk__in=viewer.agreements)
        invited = viewer.invited()  # the invitation shows its title and case number to those who answer it
        texts = {t for a in hidden if a.pk not in invited for t in agreement_texts(a)}
        texts -= {t for a in hidden if a.pk in invited for t in agreement_texts(a)}  # e.g. an imported copy's title
        self.texts = sorted(t for t in texts if t not in corpus)
        self.amounts = sorted({x for a in hidden for x in agreement_amounts(a)} - shown_amounts)
        self._patterns = [(x, amount_pattern(x)) for x in self.amounts]

    def found_in(self, text: str) -> list[str]:
        seen = [repr(t) for t in self.texts if t in text]
        seen += [f"{x} kr" for x, pattern in self._patterns if pattern.search(text)]
        return seen


def amount_of(number: str) -> Decimal:
    return Decimal(number.replace(" ", "").replace(",", "."))


def agreement_texts(agreement: Any) -> set[str]:
    return {agreement.title, *([agreement.case_number] if len(agreement.case_number) >= 5 else [])}


def agreement_amounts(agreement: Any) -> set[Decimal]:
    """The amounts of an agreement's money: terms, funding sources, budget lines, payments, claims."""
    from apps.finance.models import BudgetLine, FinanceTerms, FundingSource, Payment, RepaymentClaim

    values: list[Decimal | None] = []
    for terms in FinanceTerms.objects.filter(agreement=agreement):
        values += [terms.annual_amount, terms.total_amount]
    for model, field in (
        (FundingSource, "annual_amount"),
        (BudgetLine, "annual_amount"),
        (Payment, "amount"),
        (RepaymentClaim, "amount"),
    ):
        values += list(model.objects.filter(agreement=agreement).values_list(field, flat=True))
    return {v for v in values if v is not None and v >= MIN_AMOUNT}


def amount_pattern(value: Decimal) -> re.Pattern[str]:
    """An amount as the pages, CSV and Excel write it: 1 385 000 kr, 1385000, 1385000.00, 579 886,36."""
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    forms = [rf"{re.escape(grouped)},{cents}", rf"{whole}[.,]{cents}"]
    if cents == "00":
        forms = [rf"{re.escape(grouped)}(?:,00)?", rf"{whole}(?:[.,]0{{1,2}})?"]
    return re.compile(rf"(?<![\d.,])(?<!\d )(?:{'|'.join(forms)})(?![\d])(?! \d{{3}})(?![.,]\d)")


# The probe -----------------------------------------------------------------------------------------------------------


class Probe:
    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.requests = 0
        self.by_status: Counter[str] = Counter()
        self.leaks: list[dict[str, Any]] = []
        self.server_errors: list[dict[str, Any]] = []
        self.attacks: list[dict[str, Any]] = []
        self.commands: dict[str, Any] = {}
        self.clients: dict[int, Any] = {}
        self.world: World | None = None
        self.baseline: Rows = {}
        self._changes_at_baseline = -1
        self.counts_checked = 0  # organisation rows whose counts were compared

    def client_for(self, user: Any) -> Any:
        from django.test import Client

        if user.pk not in self.clients:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def get(self, client: Any, url: str, *, who: Any, tally: bool = True) -> Any:
        return self._answer("GET", url, client.get(url), who, tally)

    def post(self, client: Any, url: str, data: dict[str, Any], *, who: Any, tally: bool = True) -> Any:
        return self._answer("POST", url, client.post(url, data), who, tally)

    def _answer(self, method: str, url: str, response: Any, who: Any, tally: bool) -> Any:
        if getattr(response, "streaming", False):  # a download: read it all, keep it for the checks
            response.probe_body = b"".join(response.streaming_content)
        if tally:
            self.requests += 1
            self.by_status[str(response.status_code)] += 1
        if response.status_code >= 500:
            self.server_errors.append(
                {
                    "user": who.username,
                    "method": method,
                    "url": url,
                    "status": response.status_code,
                    "error": cause(response),
                }
            )
        if self.verbose:
            print(f"{who.username:<28} {method:<4} {response.status_code} {url}", file=sys.stderr)
        return response

    def rebase(self, rows: Rows | None = None) -> None:
        """Take the snapshot the next request is compared with."""
        self.baseline = snapshot() if rows is None else rows
        self._changes_at_baseline = rows_written()

    def leak(self, viewer: Viewer, method: str, url: str, status: int | None, what: str) -> None:
        self.leaks.append({"user": viewer.user.username, "method": method, "url": url, "status": status, "what": what})

    def check_text(self, viewer: Viewer, markers: Markers, method: str, url: str, response: Any) -> None:
        if 200 <= response.status_code < 300 and (seen := markers.found_in(body_text(response))):
            self.leak(viewer, method, url, response.status_code, "shows what the user may not see: " + "; ".join(seen))

    def written(
        self,
        viewer: Viewer,
        method: str,
        url: str,
        status: int | None,
        *,
        allow: Callable[[Change], bool] | None = None,
    ) -> list[Change]:
        """Compare every domain row with the snapshot taken before the request. A change to a row of another
        tenant (or of the national series) is a leak unless ``allow`` accepts it (a pending invitation);
        returns every change (the baseline moves on)."""
        if self._changes_at_baseline >= 0 and rows_written() == self._changes_at_baseline:
            return []  # SQLite counts every row this connection wrote: none since the snapshot
        current = snapshot()
        changes = diff(self.baseline, current)
        self.rebase(current)
        refused = [c for c in changes if viewer.touched_by(set(c.owners), c.national) and not (allow and allow(c))]
        if refused:
            self.leak(viewer, method, url, status, "changed another tenant's rows: " + "; ".join(map(str, refused[:8])))
        if changes and self.world is not None:
            self.world.refresh()
        return changes


def rows_written() -> int:
    """A mark that moves on with every write, so that an unchanged mark spares comparing every row: on SQLite
    the rows this connection has inserted, changed or deleted; on PostgreSQL the server's write-ahead log
    position (any write anywhere moves it, which only costs a comparison); -1 elsewhere (always compare)."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return int(connection.connection.total_changes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
            return int(cursor.fetchone()[0])
    return -1


def cause(response: Any) -> str:
    exc = getattr(response, "exc_info", None)
    if not exc:
        return ""
    frames = [f for f in traceback.extract_tb(exc[2]) if "/.venv/" not in f.filename]
    where = f" at {frames[-1].filename.replace(str(ROOT) + '/', '')}:{frames[-1].lineno}" if frames else ""
    return f"{exc[0].__name__}: {exc[1]}{where}"


def progress(probe: Probe, what: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {probe.requests:>6} requests  {what}", file=sys.stderr)


# The parts of the probe -------------------------------------------------------------------------------------------


def walk(probe: Probe, viewer: Viewer, markers: Markers) -> None:
    """Every page reachable from the start page, each checked for what the user may not see; the
    organisation list's counts compared with the agreements the user may see."""
    from django.urls import reverse

    client = probe.client_for(viewer.user)
    org_list = reverse("organisations:list")
    queue: deque[str] = deque(["/"])
    seen, variants = {"/"}, Counter[str]()

    def enqueue(url: str | None) -> None:
        if url is None or url in seen:
            return
        variants[urlsplit(url).path] += 1
        if variants[urlsplit(url).path] <= MAX_VARIANTS_PER_PATH:
            seen.add(url)
            queue.append(url)

    while queue:
        url = queue.popleft()
        response = probe.get(client, url, who=viewer.user)
        probe.check_text(viewer, markers, "GET", url, response)
        if response.status_code in (301, 302, 303, 307, 308):
            enqueue(same_site(url, response["Location"]))
        if response.status_code != 200 or not is_html(response):
            continue
        if urlsplit(url).path == org_list:
            check_counts(probe, viewer, url, response)
        page = parse(response)
        for href in page.links:
            enqueue(same_site(url, href))
        for form in page.forms:
            action = same_site(url, form.action or url) if form.method == "get" else None
            for button in [None, *form.buttons] if action else []:
                pairs = [
                    (n, v) for n, vs in form.data(button=button).items() for v in ([vs] if isinstance(vs, str) else vs)
                ]
                enqueue(f"{urlsplit(action).path!s}?{urlencode(pairs)}")


def check_counts(probe: Probe, viewer: Viewer, url: str, response: Any) -> None:
    """Each organisation's counts on the list must not exceed the agreements the user may see with it."""
    from apps.agreements.models import Party

    text = response.content.decode(errors="replace")
    for org_id, cells in re.findall(r'href="/organisationer/(\d+)/"[^<]*</a></td>(.*?)</tr>', text, flags=re.S):
        counts = [int(c) for c in re.findall(r'<td class="num">\s*(\d+)\s*</td>', cells)]
        if not counts:
            continue
        may_see = accepted(Party.objects.filter(organisation_id=int(org_id), agreement_id__in=viewer.agreements))
        expected = may_see.values("agreement_id").distinct().count()
        probe.counts_checked += 1
        if max(counts) > expected:
            what = f"organisation {org_id} counts {max(counts)} agreements; the user may see {expected}"
            probe.leak(viewer, "GET", url, 200, what)


@dataclasses.dataclass
class Reference:
    """Every object page as its own staff see it (read as a superuser): the POST forms by the URL they post
    to, with their text changed so that a write would show; and each page's text."""

    forms: dict[str, list[dict[str, Any]]]
    texts: dict[str, str]

    @classmethod
    def read(cls, probe: Probe, world: World, found: list[Target]) -> Reference:
        client = probe.client_for(world.reference)
        forms: dict[str, list[dict[str, Any]]] = {}
        texts: dict[str, str] = {}
        for url in sorted({t.url for t in found if t.objects}):
            response = probe.get(client, url, who=world.reference, tally=False)
            if response.status_code == 200:
                texts[url] = body_text(response)
            for form in parse(response).forms:
                action = same_site(url, form.action or url) if form.method == "post" else None
                if action is None:
                    continue
                changes = {n: f"{v} (probe)" for n, v in form.fields if v and TEXT_FIELDS.search(n) and "-" not in n}
                bodies = forms.setdefault(urlsplit(action).path, [])
                buttons: list[tuple[str, str] | None] = [*form.buttons] or [None]
                for button in buttons:
                    body = form.data(changes, button=button)
                    if body not in bodies and len(bodies) < MAX_FORMS_PER_ACTION:
                        bodies.append(body)
        return cls(forms, texts)

    def corpus(self, viewer: Viewer, world: World, found: list[Target]) -> str:
        """The text of every object page about what ``viewer`` may see (as its staff see it)."""
        from apps.documents.models import ImportDraft

        def own(obj: Any) -> bool:
            # Only what is about one agreement the user sees, or a document of their own bodies: a page about
            # an organisation or an index, read as a superuser, shows every tenant's agreements.
            if isinstance(obj, ImportDraft) and obj.public_body_id in viewer.staff_orgs:
                return True
            return owner_id(obj, "agreements.Agreement") in viewer.agreements

        return "\n".join(
            self.texts[t.url] for t in found if t.objects and t.url in self.texts and all(map(own, t.objects))
        )


def request_targets(probe: Probe, viewer: Viewer, markers: Markers, found: list[Target], reference: Reference) -> int:
    """GET and POST every URL about an object the user may not see. Returns how many URLs were tried."""
    assert probe.world is not None
    client = probe.client_for(viewer.user)
    theirs = [t for t in found if t.objects and any(viewer.foreign(o, probe.world) for o in t.objects)]
    probe.rebase()
    for target in theirs:
        probe.check_text(viewer, markers, "GET", target.url, probe.get(client, target.url, who=viewer.user))
    probe.written(viewer, "GET", f"(the {len(theirs)} GETs about others)", None)
    for target in theirs:
        for body in [{}, *reference.forms.get(target.url, [])]:
            response = probe.post(client, target.url, body, who=viewer.user)
            probe.check_text(viewer, markers, "POST", target.url, response)
            probe.written(viewer, "POST", target.url + (" (a form)" if body else " (empty)"), response.status_code)
    return len(theirs)


def attacks(probe: Probe, viewer: Viewer, world: World) -> None:
    """The form-level attacks named in issue 8, each with its outcome recorded."""
    from django.urls import reverse

    from apps.agreements.models import Agreement, Party
    from apps.finance.models import IndexSeries, IndexValue
    from apps.organisations.models import Organisation

    client = probe.client_for(viewer.user)
    own_tenants = [t for t in world.tenants.values() if t.pk in viewer.tenants]
    shared = Organisation.objects.get(name=SHARED_NONPROFIT)

    def attempt(name: str, url: str, data: dict[str, Any], *, invitation: bool = False) -> None:
        probe.rebase()
        response = probe.post(client, url, data, who=viewer.user)
        allow = pending_invitation if invitation else None
        changes = probe.written(viewer, "POST", f"{url} ({name})", response.status_code, allow=allow)
        foreign = [c for c in changes if viewer.touched_by(set(c.owners), c.national)]
        if any(pending_invitation(c) for c in foreign):
            outcome = "pending invitation"
        elif foreign:
            outcome = "LEAK: " + "; ".join(map(str, foreign[:3]))
        elif response.status_code >= 400:
            outcome = "refused"
        else:
            outcome = "saved without the other tenant's part" if changes else "nothing changed"
        probe.attacks.append(
            {
                "user": viewer.user.username,
                "attack": name,
                "url": url,
                "status": response.status_code,
                "outcome": outcome,
                "message": errors_on(response),
            }
        )

    def not_tried(name: str) -> None:
        probe.attacks.append(
            {
                "user": viewer.user.username,
                "attack": name,
                "url": "",
                "status": None,
                "outcome": "no agreement to try it on",
                "message": "",
            }
        )

    def form_of(url: str, having: str, *, as_reference: bool = False) -> Form | None:
        who = world.reference if as_reference else viewer.user
        response = probe.get(probe.client_for(who), url, who=who, tally=not as_reference)
        forms = [f for f in parse(response).forms if having in f.names() and f.method == "post"]
        return forms[0] if response.status_code == 200 and forms else None

    for other in (t for t in world.tenants.values() if t.pk not in viewer.tenants):
        their_bodies = list(Organisation.objects.filter(pk__in=descendants(other.pk)).order_by("pk"))
        their_body = next((b for b in their_bodies if b.pk != other.pk), other)
        # Re-parenting a body of the other tenant under one's own tenant (its form as its own staff see it).
        for body in their_bodies:
            url = reverse("organisations:edit", args=[body.pk])
            if own_tenants and (form := form_of(url, "parent", as_reference=True)):
                attempt("re-parent the other tenant's body", url, form.data({"parent": str(own_tenants[0].pk)}))
        # The other tenant's body as the parent of one's own body, of a new body, of a shared non-profit.
        for own in own_tenants:
            mine = Organisation.objects.filter(pk__in=descendants(own.pk)).exclude(pk=own.pk).order_by("pk").first()
            url = reverse("organisations:edit", args=[mine.pk]) if mine else ""
            if mine and (form := form_of(url, "parent")):
                attempt("make the other tenant's body the parent", url, form.data({"parent": str(their_body.pk)}))
        url = reverse("organisations:create")
        if form := form_of(url, "parent"):
            name = f"Probnämnden ({viewer.user.username})"
            new_body = {"name": name, "org_number": other.org_number, "kind": "public_body"}
            attempt(
                "register a body under the other tenant", url, form.data({**new_body, "parent": str(their_body.pk)})
            )
        url = reverse("organisations:edit", args=[shared.pk])
        if form := form_of(url, "parent"):
            attempt("put a shared non-profit under the other tenant", url, form.data({"parent": str(their_body.pk)}))
        # The other tenant's body as a party of one's own agreement: chosen, or typed in with its number. Each
        # attempt takes an agreement the body is not yet party to (invited, maybe, by an attempt before).
        editable = sorted(
            Agreement.objects.filter(pk__in=viewer.editable()), key=lambda a: (a.status != "active", a.pk)
        )
        typed = {"new_name": other.name, "new_org_number": other.org_number, "new_kind": "public_body"}
        cases = [
            ("add the other tenant's body as a public party", their_bodies, {"role": "public"}),
            ("add the other tenant's body as a dialogue party", their_bodies, {"role": "dialogue"}),
            ("type in the other tenant's body as a new party", [other], {**typed, "role": "dialogue"}),
        ]
        for name, bodies, row in cases:
            tried = False
            for agreement in editable:
                free = [b for b in bodies if not Party.objects.filter(agreement=agreement, organisation=b).exists()]
                url = reverse("agreements:edit", args=[agreement.pk])
                form = form_of(url, "parties-TOTAL_FORMS") if free else None
                total = int(form.value("parties-TOTAL_FORMS") or 0) if form else 0
                blank = [i for i in range(total) if form and not form.value(f"parties-{i}-organisation")]
                if form and blank:
                    chosen = {} if "new_name" in row else {"organisation": str(free[0].pk)}
                    changes = {f"parties-{blank[0]}-{k}": v for k, v in {**chosen, **row}.items()}
                    attempt(name, url, form.data(changes), invitation=True)
                    tried = True
                    break
            if not tried:
                not_tried(name)
        # Money terms naming the other tenant's own index series.
        their_series = IndexSeries.objects.filter(tenant=other).first()
        for agreement in editable[:1]:
            url = reverse("finance:terms", args=[agreement.pk])
            if their_series and (form := form_of(url, "index_series")):
                data = form.data({"index_series": str(their_series.pk)})
                attempt("index one's agreement by the other tenant's series", url, data)
        url = reverse("agreements:create")
        if form := form_of(url, "parties-TOTAL_FORMS"):
            mine_ids = sorted(pk for pk in viewer.officer_orgs if world.body_tenant.get(pk) in viewer.tenants)
            data = form.data(
                {
                    "title": f"Probavtal ({viewer.user.username})",
                    "start_date": "2026-01-01",
                    "end_date": "2026-12-31",
                    "parties-0-organisation": str(mine_ids[0]) if mine_ids else "",
                    "parties-0-role": "public",
                    "parties-1-organisation": str(their_body.pk),
                    "parties-1-role": "public",
                    "parties-2-organisation": str(shared.pk),
                    "parties-2-role": "nonprofit",
                }
            )
            attempt("register an agreement with the other tenant's body", url, data, invitation=True)
        # An upload for the other tenant's body.
        url = reverse("documents:upload")
        if form := form_of(url, "file"):
            data = {
                **form.data({"public_body": str(their_body.pk)}),
                "file": file_upload("synthetic/syn_per_year_budget.txt"),
            }
            attempt("upload a document for the other tenant's body", url, data)
    # Index values: into the national series (everyone but its keepers) and the other tenant's own series.
    for series in IndexSeries.objects.order_by("pk"):
        if not viewer.foreign(series, world):
            continue
        url = reverse("finance:index_value_add", args=[series.pk])
        if form := form_of(url, "percent", as_reference=True):
            data = form.data({"year": "2031", "reference_month": "10", "percent": "9,9"})
            attempt(f"write a value into {series.code}", url, data)
        value = IndexValue.objects.filter(series=series).order_by("pk").first()
        url = reverse("finance:index_value_edit", args=[series.pk, value.pk]) if value else ""
        if value and (form := form_of(url, "percent", as_reference=True)):
            attempt(f"change a value of {series.code}", url, form.data({"percent": "7,7"}))
        load_index(probe, viewer, series)


def pending_invitation(change: Change) -> bool:
    """A new party that is only invited (not accepted) is the promised outcome of naming another tenant's body."""
    from apps.agreements.models import Party

    if change.label != "agreements.Party" or change.what != "added" or not has_invitations():
        return False
    return Party.objects.filter(pk=change.pk, status="invited").exists()


def load_index(probe: Probe, viewer: Viewer, series: Any) -> None:
    """``load_index --user`` into a series the user may not write: refused (exit 2), nothing changed."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = Path(os.environ["PARTNERSKAP_VAR_DIR"]) / "probe-index.csv"
    path.write_text("År;Procent\n2032;6,5\n", encoding="utf-8")
    probe.rebase()
    err = io.StringIO()
    arguments = [str(path), "--series", series.code, "--published", "2031-11-01", "--user", viewer.user.username]
    try:
        call_command("load_index", *arguments, stdout=io.StringIO(), stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    except Exception as exc:  # noqa: BLE001 - a traceback instead of the command's refusal is what is reported
        code = -1
        probe.server_errors.append(
            {
                "user": viewer.user.username,
                "method": "COMMAND",
                "url": f"load_index --series {series.code}",
                "status": None,
                "error": f"{type(exc).__name__}: {exc}",
            }
        )
    probe.commands["load_index --user (runs)"] = probe.commands.get("load_index --user (runs)", 0) + 1
    changes = probe.written(viewer, "COMMAND", f"load_index --series {series.code} --user {viewer.user.username}", code)
    probe.attacks.append(
        {
            "user": viewer.user.username,
            "attack": f"load_index --series {series.code}",
            "url": "",
            "status": code,
            "outcome": "refused" if code else ("LEAK" if changes else "nothing changed"),
            "message": err.getvalue().strip()[:300],
        }
    )


def commands(probe: Probe, viewers: list[Viewer], corpora: dict[str, str]) -> None:
    """The register commands: per user where they take --user (each agreement's payment plan asked for by
    every user: another's is refused); the others act as the system (whoever runs manage.py holds the
    database) and show everything by design."""
    from django.core.management import call_command, get_commands, load_command_class
    from django.core.management.base import CommandError

    from apps.agreements.models import Agreement

    runs = {
        "export_register": [["--format", "json"], ["--format", "csv"]],
        "commitments": [["--from", "2024", "--to", "2028"]],
        "payment_plan": [[str(pk)] for pk in Agreement.objects.order_by("pk").values_list("pk", flat=True)],
    }
    for name, argument_lists in runs.items():
        parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
        if not any("--user" in action.option_strings for action in parser._actions):
            probe.commands[name] = "no --user: runs as the system and shows the whole register (by design)"
            continue
        probe.commands[name] = "per user"
        for viewer in viewers:
            markers = Markers(viewer, corpora[viewer.user.username])
            for arguments in argument_lists:
                out, line = io.StringIO(), f"{name} {' '.join(arguments)} --user {viewer.user.username}"
                probe.commands["command runs"] = probe.commands.get("command runs", 0) + 1
                try:
                    call_command(name, *arguments, "--user", viewer.user.username, stdout=out, stderr=io.StringIO())
                except CommandError:
                    pass  # refused (exit 2, a line on stderr): nothing shown
                except Exception as exc:  # noqa: BLE001 - a traceback instead of an answer is what is reported
                    error = {"user": viewer.user.username, "method": "COMMAND", "url": line, "status": None}
                    probe.server_errors.append({**error, "error": f"{type(exc).__name__}: {exc}"})
                if seen := markers.found_in(out.getvalue()):
                    probe.leak(viewer, "COMMAND", line, None, "shows what the user may not see: " + "; ".join(seen))


# Running it -----------------------------------------------------------------------------------------------------------


def run(probe: Probe) -> dict[str, Any]:
    world = build_world(probe)
    probe.world = world
    viewers = [Viewer.of(u, world) for u in world.users]
    patterns, skipped = url_patterns()
    found, unfilled = targets(patterns, world)
    reference = Reference.read(probe, world, found)
    progress(probe, f"demo loaded: {len(viewers)} users, {len(patterns)} patterns, {len(found)} URLs")
    tried: dict[str, int] = {}
    corpora = {v.user.username: reference.corpus(v, world, found) for v in viewers}
    for viewer in viewers:
        markers = Markers(viewer, corpora[viewer.user.username])
        walk(probe, viewer, markers)
        tried[viewer.user.username] = request_targets(probe, viewer, markers, found, reference)
        progress(probe, f"{viewer.user.username}: walked, and {tried[viewer.user.username]} URLs about others")
    for viewer in viewers:
        attacks(probe, viewer, world)
        progress(probe, f"{viewer.user.username}: form attacks")
    # The attacks added agreements (invitations): who sees what is read again for the commands.
    world.refresh()
    viewers = [Viewer.of(u, world) for u in world.users]
    commands(probe, viewers, {v.user.username: reference.corpus(v, world, found) for v in viewers})
    by_model = Counter(type(t.objects[-1]).__name__ for t in found if t.objects)
    by_attack: dict[str, Counter[str]] = {}
    for item in probe.attacks:
        by_attack.setdefault(item["attack"], Counter())[item["outcome"]] += 1
    return {
        "users": {v.user.username: {"kind": v.kind, "urls_about_others": tried[v.user.username]} for v in viewers},
        "patterns": len(patterns),
        "urls": len(found),
        "urls_by_model": dict(sorted(by_model.items())),
        "attacks": {"tried": len(probe.attacks), "by_attack": {k: dict(v) for k, v in sorted(by_attack.items())}},
        "attack_details": probe.attacks,
        "commands": probe.commands,
        "organisation_counts_checked": probe.counts_checked,
        "not_probed": unfilled,
        "patterns_without_objects": sorted(
            {p.label for p in patterns if p.params} - {t.pattern.label for t in found if t.objects}
        ),
        "skipped": [f"{s} (the admin site: no probed user is staff)" for s in skipped],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", help="a PostgreSQL server (postgres://…): a new database there, dropped after"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    parser.add_argument("--verbose", "-v", action="store_true", help="every request on stderr")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="partnerskap-probe-"))
    name = configure(args.database_url, tmp)
    from django.db import connection

    stdout = sys.stdout
    probe = Probe(args.verbose)
    print(f"probe database: {connection.vendor} {name}", file=sys.stderr)  # to drop by hand if the run is killed
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with contextlib.redirect_stdout(sys.stderr):  # mail and task output: stdout carries only the summary
            details = run(probe)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(tmp, ignore_errors=True)
    summary = {
        "requests": probe.requests,
        "by_status": dict(sorted(probe.by_status.items())),
        "leaks": probe.leaks,
        "server_errors": probe.server_errors,
        "seconds": round(time.perf_counter() - STARTED, 1),
        "database": connection.vendor + (f" {name} (kept)" if args.keep else ""),
        **details,
    }
    json.dump(summary, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return 1 if probe.leaks or probe.server_errors or details["not_probed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
