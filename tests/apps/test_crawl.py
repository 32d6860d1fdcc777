# SPDX-License-Identifier: EUPL-1.2
"""Walk the product as people do, so that a new page is covered the day it is added.

Every demo user (and a viewer and a partner viewer the crawl adds) logs in through the login page, with a
client that enforces CSRF like a browser. A case officer and a controller first make the main writes
through the pages, each form read from its GET and posted back with a few fields changed: add two parties
to an agreement (one a new organisation named with ``$``, ``&`` and ``<>``), add a goal and an indicator,
record an invoice and a repayment claim, import a seed document and confirm the draft. Then, as every user:

* every page reachable from the start page is requested (every same-site link, redirect and GET form with
  each of its buttons, breadth first, at most MAX_VARIANTS_PER_PATH query strings per path; never logout,
  the language switch or another POST form): no server error, no link leading to a 4xx, and the pages of
  every agreement the user sees must be among them;
* every URL pattern of the project is requested with the ids of every object of the right model, found
  by introspecting the URL resolver, including the objects the user may not see and each row asked for
  under a parent it does not belong to (the admin site's generated pages: ADMIN_SAMPLE ids per model).

What the user may not see (Scope restates the rule independently of the selectors) must answer 404 (403
where a pattern checks a role before it looks for the object), never 200; for a POST-only view the POST is
tried too and must refuse and write nothing. A pattern added later is requested automatically; a parameter
the crawler cannot fill fails the test with a message saying where to teach it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from apps.accounts.models import Membership, Role, User
from apps.agreements.models import Agreement, Goal, Indicator, Intervention, Party
from apps.audit.models import AuditEvent
from apps.documents.models import ImportDraft
from apps.finance.models import (
    BudgetLine,
    FundingSource,
    IndexSeries,
    IndexValue,
    Payment,
    PlanRecalculation,
    RepaymentClaim,
)
from apps.organisations.models import Organisation

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "crawl-demo-password"
SEEDS = Path(__file__).resolve().parents[1] / "domain" / "importer" / "fixtures" / "seeds"
TIDIGT_SEED = next(SEEDS.glob("003_*.txt"))  # Socialnämnden Nordost and Föreningen Tidigt föräldrastöd
# A fixed day inside every demo agreement's life: payments planned, some due, one agreement ended.
TODAY = dt.datetime(2025, 9, 15, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
DEMO_STAFF_USERS = ("handlaggare", "controller", "handlaggare-molndal")  # Göteborg's two, Mölndal's officer
DEMO_PARTNER_USERS = ("partner-reningsborg", "partner-skyddsvarnet", "partner-tidigt")
# The demo has no viewer of either kind; the crawl adds one of each so that every role is walked.
VIEWER = "crawl-viewer"
PARTNER_VIEWER = "crawl-partner-viewer"
NEW_PARTNER = "Förening $x$ & <Partner>"
NEW_PARTNER_NUMBER = "802479-2478"

# Never followed: they end the session, switch the language (a POST form) or are not pages.
SKIP_PREFIXES = ("/logga-ut/", "/i18n/", "/static/", "/media/")
# Query-string variants requested per path: sorting x filters x pages would otherwise multiply.
MAX_VARIANTS_PER_PATH = 6


# Reading pages ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # what the browser would submit
    buttons: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # named submit buttons
    files: list[str] = dataclasses.field(default_factory=list)
    options: dict[str, list[tuple[str, str]]] = dataclasses.field(default_factory=dict)  # select: (value, label)

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def names(self) -> set[str]:
        return {n for n, _v in self.fields} | set(self.files) | set(self.options)

    def data(
        self, changes: dict[str, str | list[str]] | None = None, button: tuple[str, str] | None = None
    ) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, changed in (changes or {}).items():
            data[name] = [changed] if isinstance(changed, str) else list(changed)
        if button:
            data.setdefault(button[0], []).append(button[1])
        return data


class PageParser(HTMLParser):
    """Links and forms of an HTML page, read the way a browser submits them (successful controls only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool, list[tuple[str, str, bool]]] | None = None
        self._option: list[Any] | None = None
        self._textarea: list[str] | None = None
        self._textarea_name = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        form = self._form
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                action=a.get("action", ""), method=a.get("method", "get").lower(), enctype=a.get("enctype", "")
            )
            self.forms.append(self._form)
        elif form is None or "disabled" in a:
            return
        elif tag == "input":
            kind, name = a.get("type", "text").lower(), a.get("name", "")
            if not name:
                return
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind not in ("reset", "button"):
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit" and a.get("name"):
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._textarea_name = [], a["name"]

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            name, multiple, options = self._select
            self._select = None
            if self._form is None:
                return
            self._form.options[name] = [(v, label) for v, label, _s in options]
            chosen = [v for v, _label, selected in options if selected]
            if not multiple and not chosen and options:
                chosen = [options[0][0]]
            self._form.fields.extend((name, v) for v in (chosen if multiple else chosen[-1:]))
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea)
            if self._form is not None:
                self._form.fields.append((self._textarea_name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _close_option(self) -> None:
        assert self._option is not None and self._select is not None
        value, selected, text = self._option
        label = " ".join("".join(text).split())
        self._select[2].append((label if value is None else value, label, selected))
        self._option = None


def parse(response: Response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def the_form(response: Response, *, having: str) -> Form:
    """The form on the page that has a field called ``having``."""
    forms = [f for f in parse(response).forms if having in f.names()]
    assert len(forms) == 1, f"expected one form with a field {having!r} on the page, found {len(forms)}"
    return forms[0]


def link_to(response: Response, pattern: str) -> str:
    """The first link on the page whose address matches ``pattern`` (a regular expression)."""
    links = [h for h in parse(response).links if re.search(pattern, h)]
    assert links, f"no link matching {pattern!r} on the page"
    return links[0]


def option_value(form: Form, field: str, label: str) -> str:
    values = [v for v, text in form.options[field] if text == label]
    assert values, f"no option {label!r} in {field}: {[t for _v, t in form.options[field]]}"
    return values[0]


# A browser -------------------------------------------------------------------------------------------------


def browser() -> Client:
    """A client that, like a browser, must send the CSRF token the form carries, and reports server errors
    as responses instead of raising them (the crawl wants every failing page, not the first)."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def login(username: str) -> Client:
    client = browser()
    page = client.get(reverse("login"))
    form = the_form(page, having="username")
    response = client.post(form.action or reverse("login"), form.data({"username": username, "password": PASSWORD}))
    assert response.status_code == 302, f"{username} could not log in through the login page"
    return client


def submit(
    client: Client,
    page_url: str,
    form: Form,
    changes: dict[str, str | list[str]],
    files: dict[str, SimpleUploadedFile] | None = None,
    button: tuple[str, str] | None = None,
) -> Response:
    data: dict[str, Any] = form.data(changes, button=button)
    data.update(files or {})
    response = client.post(urljoin(page_url, form.action) if form.action else page_url, data)
    assert response.status_code == 302, (
        f"posting the form of {page_url} answered {response.status_code}, not a redirect:\n"
        f"{error_summary(response)}{form_errors(response)}"
    )
    return response


def form_errors(response: Response) -> str:
    text = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    found = re.findall(r'id="error-summary".*?</(?:div|section)>', text, flags=re.S)
    return "\n".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found)


def error_summary(response: Response) -> str:
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    frames = [f for f in traceback.extract_tb(exc_info[2]) if "/.venv/" not in f.filename]
    where = f" at {frames[-1].filename.split('/work/main/')[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{exc_info[0].__name__}: {exc_info[1]}{where}"


# The writes, through the pages -------------------------------------------------------------------------------


@dataclasses.dataclass
class Written:
    agreement: Agreement
    parties: list[Party]
    goal: Goal
    indicator: Indicator
    payment: Payment
    claim: RepaymentClaim
    imported: Agreement
    accepted: Party  # Mölndal's committee invited to the agreement, and accepted on its invitations page
    invited: Party  # and invited to the imported one, not answered


def agreement_of(partner_name: str) -> Agreement:
    return Agreement.objects.filter(parties__organisation__name=partner_name, parties__role="nonprofit").earliest("id")


def add_parties(client: Client, agreement: Agreement) -> list[Party]:
    """A dialogue party from the register, and a new co-operating non-profit registered on the way (its name
    has the characters that have broken pages before: ``$`` for the chart's mathematics, markup, ampersand)."""
    detail = client.get(agreement.get_absolute_url())
    edit_url = link_to(detail, r"/redigera/$")
    form = the_form(client.get(edit_url), having="parties-TOTAL_FORMS")
    blank = [
        i for i in range(int(form.value("parties-TOTAL_FORMS") or 0)) if not form.value(f"parties-{i}-organisation")
    ]
    assert len(blank) >= 2, "the party form offers fewer than two empty rows"
    first, second = blank[:2]
    in_use = {form.value(f"parties-{i}-organisation") for i in range(first)}
    dialogue_org = next(v for v, _label in form.options[f"parties-{first}-organisation"] if v and v not in in_use)
    submit(
        client,
        edit_url,
        form,
        {
            f"parties-{first}-organisation": dialogue_org,
            f"parties-{first}-role": "dialogue",
            f"parties-{first}-signatory_name": "Crawl Testsson",
            f"parties-{second}-new_name": NEW_PARTNER,
            f"parties-{second}-new_org_number": NEW_PARTNER_NUMBER,
            f"parties-{second}-new_kind": "non_profit",
            f"parties-{second}-role": "nonprofit",
        },
    )
    return [
        Party.objects.get(agreement=agreement, organisation_id=int(dialogue_org)),
        Party.objects.get(agreement=agreement, organisation__name=NEW_PARTNER),
    ]


def add_goal_and_indicator(client: Client, agreement: Agreement) -> tuple[Goal, Indicator]:
    url = link_to(client.get(agreement.get_absolute_url()), r"/mal/ny/")
    form = the_form(client.get(url), having="text")
    before = set(agreement.goals.values_list("pk", flat=True))
    submit(client, url, form, {"text": "Fler föräldrar känner till stödet (tillagt av genomgången)."})
    goal = agreement.goals.exclude(pk__in=before).get()
    url = link_to(client.get(agreement.get_absolute_url()), rf"/mal/{goal.pk}/indikatorer/ny/")
    form = the_form(client.get(url), having="name")
    submit(client, url, form, {"name": "Antal föräldrar som deltagit", "kind": "count", "follow_ups_per_year": "2"})
    return goal, goal.indicators.get()


def register_claim(client: Client, agreement: Agreement) -> RepaymentClaim:
    url = link_to(client.get(reverse("finance:agreement", args=[agreement.pk])), r"/aterbetalning/ny/$")
    form = the_form(client.get(url), having="reason")
    submit(
        client, url, form, {"amount": "12 500", "reason": "Medel som inte använts under 2024.", "due_on": "2025-10-31"}
    )
    return agreement.repayment_claims.get()


def record_invoice(client: Client, agreement: Agreement) -> Payment:
    money = client.get(reverse("finance:agreement", args=[agreement.pk]))
    url = link_to(money, r"/betalningar/\d+/$")
    payment = Payment.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
    form = the_form(client.get(url), having="invoice_number")
    submit(client, url, form, {"status": "invoiced", "invoice_number": "F-2025-0917"})
    payment.refresh_from_db()
    return payment


def import_document(client: Client) -> Agreement:
    listing = client.get(link_to(client.get(reverse("agreements:list")), r"^/import/$"))
    url = link_to(listing, r"/import/ladda-upp/$")
    form = the_form(client.get(url), having="file")
    body = option_value(form, "public_body", "Socialnämnden Nordost")
    upload = SimpleUploadedFile(TIDIGT_SEED.name, TIDIGT_SEED.read_bytes(), content_type="text/plain")
    # The file is read by a task after the upload committed, here in production's database queue: until
    # the worker has read it, the page says it is being read.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        review_url = submit(client, url, form, {"public_body": body}, files={"file": upload})["Location"]
        reading = client.get(review_url)
        assert reading.status_code == 200 and "Dokumentet väntar på att läsas." in reading.content.decode()
        call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    review = client.get(review_url)
    form = next(f for f in parse(review).forms if f.method == "post" and len(f.fields) > 10)
    # The demo has an agreement with the document's case number: the officer chooses to create a new one.
    create = next((b for b in form.buttons if b[1] == "new"), form.buttons[0] if form.buttons else None)
    response = submit(client, review_url, form, {}, button=create)
    return Agreement.objects.get(pk=int(response["Location"].strip("/").rsplit("/", 1)[1]))


MOLNDAL_COMMITTEE = "Social- och arbetsmarknadsnämnden"
OTHER_TENANTS = "Andra kommuner och regioner – bjuds in"


def invite(client: Client, agreement: Agreement, body: str) -> Party:
    """Name another municipality's body as a public party on the agreement's edit page: it is offered in the
    group of other municipalities and regions, and stored as invited."""
    edit_url = link_to(client.get(agreement.get_absolute_url()), r"/redigera/$")
    page = client.get(edit_url)
    form = the_form(page, having="parties-TOTAL_FORMS")
    blank = next(
        i for i in range(int(form.value("parties-TOTAL_FORMS") or 0)) if not form.value(f"parties-{i}-organisation")
    )
    select = page.content.decode().split(f'name="parties-{blank}-organisation"', 1)[1].split("</select>", 1)[0]
    assert f'<optgroup label="{OTHER_TENANTS}">' in select.split(f">{body}</option>", 1)[0], "not offered as invited"
    body_id = option_value(form, f"parties-{blank}-organisation", body)
    submit(client, edit_url, form, {f"parties-{blank}-organisation": body_id, f"parties-{blank}-role": "public"})
    party = Party.objects.get(agreement=agreement, organisation_id=int(body_id))
    assert party.status == Party.Status.INVITED
    return party


def accept_invitation(client: Client, party: Party) -> None:
    """Accept on the invitations page, reached from the start page."""
    url = link_to(client.get(reverse("agreements:list")), r"/inbjudningar/$")
    page = client.get(url)
    form = next(f for f in parse(page).forms if f.action == reverse("agreements:invitation_answer", args=[party.pk]))
    submit(client, url, form, {}, button=("answer", "accept"))
    party.refresh_from_db()
    assert party.status == Party.Status.ACCEPTED


def enter_index_value(client: Client) -> PlanRecalculation:
    """The platform's index keeper enters a forecast for PKV on its page: the plans it reaches are recalculated
    after the commit (a task, run at once here), and the index page shows the recalculation."""
    url = link_to(client.get(reverse("finance:index")), r"/index/\d+/nytt/$")
    form = the_form(client.get(url), having="percent")
    submit(client, url, form, {"year": "2026", "reference_month": "10", "percent": "2.9", "is_forecast": "on"})
    recalculation = PlanRecalculation.objects.get()
    assert recalculation.status == PlanRecalculation.Status.DONE and recalculation.agreements_changed
    return recalculation


def make_writes() -> Written:
    officer = login("handlaggare")
    agreement = agreement_of("Föreningen Tidigt föräldrastöd")
    parties = add_parties(officer, agreement)
    goal, indicator = add_goal_and_indicator(officer, agreement)
    imported = import_document(officer)
    controller = login("controller")
    payment = record_invoice(controller, agreement)
    assert payment.status == "invoiced" and payment.invoice_number == "F-2025-0917"
    claim = register_claim(controller, agreement)
    # (The demo's other Göteborg agreements have ended: they take no new party.)
    accepted = invite(officer, agreement, MOLNDAL_COMMITTEE)
    invited = invite(officer, imported, MOLNDAL_COMMITTEE)
    accept_invitation(login("handlaggare-molndal"), accepted)
    enter_index_value(login("plattform"))
    return Written(
        agreement=agreement,
        parties=parties,
        goal=goal,
        indicator=indicator,
        payment=payment,
        claim=claim,
        imported=imported,
        accepted=accepted,
        invited=invited,
    )


def demo_with_writes() -> Written:
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
    viewer = User.objects.create_user(username=VIEWER, password=PASSWORD, first_name="Vera")
    Membership.objects.create(
        user=viewer, organisation=Organisation.objects.get(name="Socialnämnden Nordost"), role=Role.VIEWER
    )
    partner_viewer = User.objects.create_user(username=PARTNER_VIEWER, password=PASSWORD, first_name="Pia")
    Membership.objects.create(
        user=partner_viewer,
        role=Role.PARTNER_VIEWER,
        organisation=Organisation.objects.get(name="Föreningen Tidigt föräldrastöd"),
    )
    Group.objects.create(name="Crawl")  # so that the admin site's group pages are requested with an id too
    return make_writes()


# Who may see what: the product's rule, restated independently of its selectors ------------------------------


STAFF_ROLES = {Role.CASE_OFFICER, Role.CONTROLLER, Role.VIEWER}


class Scope:
    """What ``user`` may see, from the rule in the README: staff of a public body see every agreement of that
    body and of the bodies below it; partner staff see only the agreements their organisation is party to;
    only accepted parties count (another municipality's body is invited until its staff accept); an invitation
    is for the case officers of the invited body (and above); import drafts are for the case officers of the
    body they were uploaded for (and above); the organisation register and the price index are for staff, who
    see their own tenant's bodies (a top-level public body: the demo has Göteborg and Mölndal), the shared
    organisations and another tenant's body only when it is named on an agreement they see, and edit only
    their own tenant's. (A superset: a rule that hides more is not contradicted.)"""

    def __init__(self, user: User) -> None:
        children: dict[int | None, list[int]] = {}
        parents: dict[int, int | None] = {}
        for pk, parent in Organisation.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
            parents[pk] = parent

        def top(pk: int) -> int:
            seen = {pk}
            while (parent := parents.get(pk)) is not None and parent not in seen:
                pk = parent
                seen.add(pk)
            return pk

        def below(roots: set[int]) -> set[int]:
            found, todo = set(), list(roots)
            while todo:
                pk = todo.pop()
                if pk not in found:
                    found.add(pk)
                    todo.extend(children.get(pk, []))
            return found

        memberships = list(user.memberships.all())
        self.user = user
        self.staff = any(m.role in STAFF_ROLES for m in memberships)
        self.tenants = {top(m.organisation_id) for m in memberships if m.role in STAFF_ROLES}
        self.tenant_bodies = below(self.tenants)
        self.index_keeper = user.has_perm("finance.keep_national_index")
        staff_orgs = below({m.organisation_id for m in memberships if m.role in STAFF_ROLES})
        officer_orgs = below({m.organisation_id for m in memberships if m.role == Role.CASE_OFFICER})
        partner_orgs = {m.organisation_id for m in memberships if m.role not in STAFF_ROLES}
        # Partners see an agreement their organisation is party to once it is shown to them.
        accepted = Party.objects.filter(status=Party.Status.ACCEPTED)
        self.agreements = set(accepted.filter(organisation_id__in=staff_orgs).values_list("agreement_id", flat=True))
        self.agreements |= set(
            accepted.filter(organisation_id__in=partner_orgs, agreement__shared_with_partners=True).values_list(
                "agreement_id", flat=True
            )
        )
        self.named = set(
            Party.objects.filter(agreement_id__in=self.agreements).values_list("organisation_id", flat=True)
        )
        self.invitations = set(
            Party.objects.filter(invited_at__isnull=False, organisation_id__in=officer_orgs).values_list(
                "pk", flat=True
            )
        )
        self.drafts = set(ImportDraft.objects.filter(public_body_id__in=officer_orgs).values_list("pk", flat=True))

    def refusal(self, obj: models.Model, agreement_id: int | None, pattern: str = "") -> set[int] | None:
        """None when the user may see ``obj`` (of the agreement ``agreement_id``, if any); otherwise the statuses
        that may answer for it."""
        if pattern in INVITATION_PATTERNS:
            return None if obj.pk in self.invitations else {404}
        if pattern in SEEN_THROUGH_AGREEMENT:
            return None if SEEN_THROUGH_AGREEMENT[pattern](obj) and agreement_id in self.agreements else {404}
        if isinstance(obj, ImportDraft):
            return None if obj.pk in self.drafts else {404}
        if isinstance(obj, IndexSeries | IndexValue | PlanRecalculation):
            # National series (no tenant): read by staff and the platform's index keepers; a tenant's own
            # series only by that tenant's staff. A recalculation of its plans: as its series.
            series = obj if isinstance(obj, IndexSeries) else obj.series
            if series.tenant_id is None:
                return None if self.staff or self.index_keeper else {403, 404}
            return None if series.tenant_id in self.tenants else {404}
        if isinstance(obj, Organisation):
            if not self.staff:
                return {403, 404}
            foreign = obj.kind == Organisation.Kind.PUBLIC_BODY and obj.pk not in self.tenant_bodies
            if foreign and obj.pk not in self.named:
                return {404}
            return {403, 404} if pattern == "organisations:edit" and foreign else None
        if agreement_id is not None:
            return None if agreement_id in self.agreements else {404}
        return None if self.user.is_staff else {302, 404}  # the admin site: staff only


def agreement_id_of(obj: models.Model) -> int | None:
    if isinstance(obj, Agreement):
        return obj.pk
    return owner_id(obj, Agreement)


def owner_id(obj: models.Model, model: type[models.Model]) -> int | None:
    """The id of the ``model`` object that ``obj`` belongs to, following foreign keys (nearest first)."""
    frontier: list[models.Model] = [obj]
    for _depth in range(4):
        following: list[models.Model] = []
        for item in frontier:
            if isinstance(item, model):
                return item.pk
            for field in item._meta.concrete_fields:
                if field.many_to_one or field.one_to_one:
                    related = getattr(item, field.name)
                    if related is not None:
                        following.append(related)
        frontier = following
    return None


# Every URL pattern of the project, with every object's id ----------------------------------------------------


# Which model a URL parameter names: (namespace, parameter) first, then the parameter in any namespace.
# A new pattern whose parameter is in neither fails the crawl until it is taught here.
PARAMETER_MODELS: dict[tuple[str, str] | str, type[models.Model]] = {
    ("agreements", "pk"): Agreement,
    ("finance", "pk"): Agreement,
    ("organisations", "pk"): Organisation,
    ("documents", "pk"): ImportDraft,
    "intervention_id": Intervention,
    "goal_id": Goal,
    "indicator_id": Indicator,
    "source_id": FundingSource,
    "line_id": BudgetLine,
    "payment_id": Payment,
    "claim_id": RepaymentClaim,
    "series_id": IndexSeries,
    "value_id": IndexValue,
    "recalculation_id": PlanRecalculation,
    "party_id": Party,
}
# Patterns with a parameter naming a kind of row: {pattern: (kind parameter, row parameter, {kind: model})}.
KIND_PARAMETERS: dict[str, tuple[str, str, dict[str, type[models.Model]]]] = {
    "agreements:child_delete": ("kind", "child_id", {"insats": Intervention, "mal": Goal, "indikator": Indicator}),
    "finance:row_delete": ("kind", "row_id", {"finansiar": FundingSource, "budget": BudgetLine}),
}
# Patterns whose object is seen by everyone who sees its agreement (when the condition holds), not by the
# rule of its model: an agreement's original document is an accepted import draft.
SEEN_THROUGH_AGREEMENT: dict[str, Callable[[Any], bool]] = {
    "documents:document": lambda draft: draft.status == ImportDraft.Status.ACCEPTED,
}
# Patterns about an invitation (a party of another tenant): seen by the invited body's case officers, not
# through the agreement (which they do not see until they accept).
INVITATION_PATTERNS = {"agreements:invitation_answer"}
# The admin site's generated pages are requested with this many ids per model (their views are Django's own).
ADMIN_SAMPLE = 3
TEACH = (
    "tests/apps/test_crawl.py cannot fill the parameter {param!r} of the URL pattern {name} ({route!r}). "
    "Teach it: add the model to PARAMETER_MODELS (as {param!r} or ({namespace!r}, {param!r})), or the kinds "
    "to KIND_PARAMETERS, so that the crawl requests the pattern with every object's id."
)


@dataclasses.dataclass(frozen=True)
class Pattern:
    namespace: str
    name: str
    route: str  # the whole route from the root, e.g. "avtal/<int:pk>/historik/" or a regular expression
    params: tuple[str, ...]
    regex: bool

    @property
    def label(self) -> str:
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    def url(self, values: dict[str, object]) -> str:
        if not self.regex:
            return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)
        text, out, i = self.route, [], 0
        while (start := text.find("(?P<", i)) != -1:
            out.append(text[i:start])
            name = text[start + 4 : text.index(">", start)]
            depth, j = 0, start
            while True:
                depth += {"(": 1, ")": -1}.get(text[j], 0) if text[j - 1 : j] != "\\" else 0
                j += 1
                if depth == 0:
                    break
            out.append(str(values[name]))
            i = j
        out.append(text[i:])
        return "/" + "".join(out).replace("^", "").replace("$", "")


def url_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(resolver: URLResolver, prefix: str, namespace: tuple[str, ...], regex: bool) -> None:
        for item in resolver.url_patterns:
            is_regex = regex or type(item.pattern).__name__ == "RegexPattern"
            if isinstance(item, URLResolver):
                walk(
                    item,
                    prefix + str(item.pattern),
                    (*namespace, *([item.namespace] if item.namespace else [])),
                    is_regex,
                )
            elif isinstance(item, URLPattern):
                found.append(
                    Pattern(
                        ":".join(namespace),
                        item.name or f"(unnamed {prefix}{item.pattern})",
                        prefix + str(item.pattern),
                        tuple(item.pattern.regex.groupindex),
                        is_regex,
                    )
                )

    walk(get_resolver(), "", (), False)
    return found


@dataclasses.dataclass(frozen=True)
class Target:
    pattern: Pattern
    url: str
    objects: tuple[models.Model, ...] = ()
    crossed: bool = False  # a row asked for under an object it does not belong to: never found
    agreement_ids: tuple[int | None, ...] = ()  # the agreement each object belongs to (computed once)


def targets(pattern: Pattern) -> tuple[list[Target], list[str]]:
    """Every URL of ``pattern`` with the ids of the objects that exist, and what could not be filled."""
    if not pattern.params:
        return [Target(pattern, pattern.url({}))], []
    if pattern.namespace == "admin":
        return admin_targets(pattern)
    fixed: list[tuple[dict[str, object], dict[str, type[models.Model]]]] = []
    if pattern.label in KIND_PARAMETERS:
        kind_param, row_param, kinds = KIND_PARAMETERS[pattern.label]
        for kind, model in kinds.items():
            fixed.append(({kind_param: kind}, {row_param: model}))
    else:
        fixed.append(({}, {}))
    found: list[Target] = []
    for values, models_by_param in fixed:
        for param in pattern.params:
            if param in values or param in models_by_param:
                continue
            key = (pattern.namespace, param) if (pattern.namespace, param) in PARAMETER_MODELS else param
            if key not in PARAMETER_MODELS:
                return [], [
                    TEACH.format(param=param, name=pattern.label, route=pattern.route, namespace=pattern.namespace)
                ]
            models_by_param[param] = PARAMETER_MODELS[key]
        found.extend(object_targets(pattern, values, models_by_param))
    return found, []


def object_targets(
    pattern: Pattern, values: dict[str, object], models_by_param: dict[str, type[models.Model]]
) -> Iterator[Target]:
    params = [p for p in pattern.params if p in models_by_param]  # in the route's order: the row last
    # The row the URL is about: the parameter whose model leads (by foreign keys) to all the others.
    leaf_param = params[-1]
    leaf_model = models_by_param[leaf_param]
    crossed_roots: set[int] = set()
    for leaf in leaf_model._default_manager.order_by("pk"):
        found = {p: leaf.pk if p == leaf_param else owner_id(leaf, m) for p, m in models_by_param.items()}
        missing = [p for p, pk in found.items() if pk is None]
        assert not missing, (
            f"{pattern.label}: cannot tell which {missing} a {leaf_model.__name__} belongs to; "
            "teach owner_id() in tests/apps/test_crawl.py"
        )
        ids = {p: int(pk) for p, pk in found.items() if pk is not None}
        objects = tuple(models_by_param[p]._default_manager.get(pk=ids[p]) for p in params)
        agreement_ids = tuple(map(agreement_id_of, objects))
        yield Target(pattern, pattern.url({**values, **ids}), objects, agreement_ids=agreement_ids)
        if len(params) > 1 and ids[params[0]] not in crossed_roots:  # one crossed row per parent is enough
            root_param = params[0]
            crossed_roots.add(ids[root_param])
            others = models_by_param[root_param]._default_manager.exclude(pk=ids[root_param]).order_by("pk")
            other = others.filter(pk__gt=ids[root_param]).first() or others.first()
            if other is not None:
                yield Target(
                    pattern,
                    pattern.url({**values, **ids, root_param: other.pk}),
                    (other,),
                    crossed=True,
                    agreement_ids=(agreement_id_of(other),),
                )


def admin_targets(pattern: Pattern) -> tuple[list[Target], list[str]]:
    params = set(pattern.params)
    if params == {"app_label"}:
        labels = re.search(r"\(\?P<app_label>([^)]*)\)", pattern.route)
        assert labels
        return [Target(pattern, pattern.url({"app_label": label})) for label in labels.group(1).split("|")], []
    if params == {"url"}:
        return [Target(pattern, pattern.url({"url": "ingen-sadan-sida/"}))], []
    if params == {"content_type_id", "object_id"}:
        found = []
        for model in admin.site._registry:
            if hasattr(model, "get_absolute_url"):
                ct = ContentType.objects.get_for_model(model)
                for obj in model._default_manager.order_by("pk")[:ADMIN_SAMPLE]:
                    found.append(Target(pattern, pattern.url({"content_type_id": ct.pk, "object_id": obj.pk}), (obj,)))
        return found, []
    match = re.match(r"admin/(\w+)/(\w+)/<(?:\w+:)?(\w+)>/", pattern.route)
    if match and params == {match.group(3)}:
        model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == match.group(1, 2))
        return [
            Target(pattern, pattern.url({match.group(3): obj.pk}), (obj,))
            for obj in model._default_manager.order_by("pk")[:ADMIN_SAMPLE]
        ], []
    param = sorted(params)[0]
    return [], [TEACH.format(param=param, name=pattern.label, route=pattern.route, namespace=pattern.namespace)]


# Walking ------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Answer:
    url: str
    status: int
    came_from: str
    error: str = ""

    def __str__(self) -> str:
        return f"{self.status} {self.url} (from {self.came_from}){': ' + self.error if self.error else ''}"


def same_site(base: str, href: str) -> str | None:
    """The path and query of a link within the site, or None for other sites, mail links and fragments."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def fetch(client: Client, url: str) -> Response:
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a download: read it all
    response.close()
    return response


def is_html(response: Response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def crawl(client: Client, start: str = "/") -> dict[str, Answer]:
    """Every page reachable from ``start`` through same-site links, redirects and GET forms, breadth first."""
    answers: dict[str, Answer] = {}
    queue: deque[tuple[str, str]] = deque([(start, "the start")])
    seen, variants = {start}, dict[str, int]()

    def enqueue(url: str | None, came_from: str) -> None:
        if url is None or url in seen:
            return
        path = urlsplit(url).path
        variants[path] = variants.get(path, 0) + 1
        if variants[path] <= MAX_VARIANTS_PER_PATH:
            seen.add(url)
            queue.append((url, came_from))

    while queue:
        url, came_from = queue.popleft()
        response = fetch(client, url)
        answers[url] = Answer(url, response.status_code, came_from, error_summary(response))
        if response.status_code in (301, 302, 303, 307, 308):
            enqueue(same_site(url, response["Location"]), url)
        if not is_html(response):
            continue
        page = parse(response)
        for href in page.links:
            enqueue(same_site(url, href), url)
        for form in page.forms:
            if form.method != "get":
                continue  # logout, the language switch and every write: never posted by the crawl
            action = same_site(url, form.action or url)
            if action is None:
                continue
            for button in [None, *form.buttons]:
                query = urlencode([(n, v) for n, vs in form.data(button=button).items() for v in vs])
                enqueue(f"{urlsplit(action).path}?{query}", url)
    return answers


def every_target(patterns: Sequence[Pattern]) -> tuple[list[Target], list[str]]:
    """Every pattern's URLs with the objects that exist, and what could not be requested (with how to fix it)."""
    found: list[Target] = []
    problems: list[str] = []
    for pattern in patterns:
        urls, unfilled = targets(pattern)
        problems.extend(unfilled)
        if not urls and not unfilled:
            problems.append(
                f"{pattern.label} ({pattern.route!r}) was not requested: no object of its parameters' "
                "models exists. Make one through the pages in make_writes() in tests/apps/test_crawl.py."
            )
        found.extend(urls)
    return found, problems


def request_every_pattern(
    client: Client, scope: Scope, found: Sequence[Target], crawled: dict[str, Answer] | None = None
) -> tuple[list[Answer], list[str]]:
    """Request every target. Returns the server errors, and the objects the user may not see that answered
    anything but a refusal (for a POST-only view, the POST too must refuse and change nothing).

    A URL the crawl already requested as this user is not requested again: nothing was written since.
    A row asked for under a parent the user may not see is skipped: the parent's own URL answers for it."""
    errors: list[Answer] = []
    leaks: list[str] = []
    crawled = crawled or {}
    for target in found:
        label = target.pattern.label
        if target.crossed and scope.refusal(target.objects[0], target.agreement_ids[0]) is not None:
            continue
        if target.url in crawled:
            status = crawled[target.url].status  # a server error there is reported with the crawl's answers
        else:
            response = fetch(client, target.url)
            status = response.status_code
            if status >= 500:
                errors.append(Answer(target.url, status, label, error_summary(response)))
                continue
        if status >= 500:
            continue
        allowed = refused_with(scope, target)
        if allowed is None:
            continue
        if status == 405 and (target.objects or target.crossed):
            before = AuditEvent.objects.count()
            response = client.post(target.url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
            status = response.status_code
            if status >= 500:
                errors.append(Answer(f"POST {target.url}", status, label, error_summary(response)))
                continue
            if AuditEvent.objects.count() != before:
                leaks.append(f"POST {target.url} ({label}) wrote to an object {scope.user.username} may not see")
        if status not in allowed:
            what = (
                "a row asked for under an object it does not belong to"
                if target.crossed
                else ", ".join(f"{type(o).__name__} {o.pk}" for o in target.objects)
            )
            leaks.append(
                f"{status} {target.url} ({label}): {what}, not for {scope.user.username}; "
                f"expected {' or '.join(map(str, sorted(allowed)))}"
            )
    return errors, leaks


def refused_with(scope: Scope, target: Target) -> set[int] | None:
    """None when the user may see the target; otherwise the statuses it may answer."""
    if target.pattern.namespace == "admin":  # Django's own pages; those about an object are for staff only
        return None if scope.user.is_staff or not target.objects else {302}
    if target.crossed:
        return {403, 404}
    refusals = [
        r
        for r in (
            scope.refusal(o, a, target.pattern.label) for o, a in zip(target.objects, target.agreement_ids, strict=True)
        )
        if r is not None
    ]
    if not refusals:
        return None
    return set.intersection(*refusals)


def demo_users() -> list[str]:
    """Every user of the demo (and the crawl's viewer): a user added to the demo later is walked too."""
    users = list(User.objects.order_by("pk").values_list("username", flat=True))
    assert {*DEMO_STAFF_USERS, *DEMO_PARTNER_USERS, VIEWER, PARTNER_VIEWER} <= set(users)
    return users


def pages_in_reach(scope: Scope) -> list[str]:
    """Pages the crawl must reach from the start page, so that it cannot pass by reaching nothing: each
    agreement the user sees (staff: every agreement of their bodies; partners: those shown to them) and its
    history, for the portfolio's users the Excel download (a path and query, ``format=xlsx`` in it), and for
    a case officer with an invitation to answer the invitations page."""
    agreements = Agreement.objects.filter(pk__in=scope.agreements)
    urls = [url for a in agreements for url in (a.get_absolute_url(), reverse("agreements:history", args=[a.pk]))]
    if scope.user.has_perm("finance.view_portfolio"):
        urls.append(reverse("finance:portfolio") + "?format=xlsx")
    if Party.objects.filter(pk__in=scope.invitations, status=Party.Status.INVITED).exists():
        urls.append(reverse("agreements:invitations"))  # an invitation waiting for the user's answer
    return urls


def reached(crawled: dict[str, Answer], url: str) -> bool:
    """Did the crawl get ``url`` with 200 (for a URL with a query: its path with every one of its parameters)?"""
    path, _q, query = url.partition("?")
    wanted = set(query.split("&")) - {""}
    return any(
        a.status == 200 and urlsplit(u).path == path and wanted <= set(urlsplit(u).query.split("&"))
        for u, a in crawled.items()
    )


# The tests -----------------------------------------------------------------------------------------------------


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Iterator[Written]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(TODAY, tick=False):
        yield demo_with_writes()


def test_every_page_answers_for_every_demo_user_after_the_main_writes(demo: Written) -> None:
    written = demo
    # The writes made through the pages are in the database, and show where people look for them.
    assert written.parties[1].organisation.org_number == NEW_PARTNER_NUMBER
    # Mölndal's officer sees the Göteborg agreement it accepted, not the one it has yet to answer.
    molndal = login("handlaggare-molndal")
    assert molndal.get(written.accepted.agreement.get_absolute_url()).status_code == 200
    assert molndal.get(written.invited.agreement.get_absolute_url()).status_code == 404
    assert written.indicator.goal == written.goal and written.claim.amount == 12500
    assert written.imported.import_drafts.get().status == ImportDraft.Status.ACCEPTED
    history = login("handlaggare").get(reverse("agreements:history", args=[written.agreement.pk]))
    assert history.status_code == 200 and escape(NEW_PARTNER) in history.content.decode()

    # The new partner's name ($ for the chart's mathematics, markup) in the portfolio's chart and table.
    portfolio = login("controller").get(reverse("finance:portfolio"))
    assert portfolio.status_code == 200 and escape(NEW_PARTNER) in portfolio.content.decode()

    found, unfilled = every_target(url_patterns())
    problems = [f"cannot request: {p}" for p in unfilled]
    for username in demo_users():
        client = login(username)
        crawled = crawl(client)
        scope = Scope(User.objects.get(username=username))
        problems += [
            f"{username}: the crawl did not reach {url} from the start page (with 200)"
            for url in pages_in_reach(scope)
            if not reached(crawled, url)
        ]
        for answer in crawled.values():
            if answer.status >= 500:
                problems.append(f"{username}: server error {answer}")
            elif answer.status >= 400:
                problems.append(f"{username}: a link or form on a page leads to {answer}")
        errors, leaks = request_every_pattern(client, scope, found, crawled)
        problems += [f"{username}: server error {e}" for e in errors]
        problems += [f"{username}: {leak}" for leak in leaks]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_refusal_check_reports_a_page_shown_to_someone_who_may_not_see_it(
    make_agreement: Any, users: Any, orgs: Any
) -> None:
    """The officer's client judged with another partner's scope: the history the officer opens is, for the
    check, a page shown to someone who may not see it; so the check can fail. A goal asked for under another
    agreement is reported the same way."""
    alpha = make_agreement()
    beta = make_agreement(nonprofit=orgs["beta"], case_number="SOCN-2025-00002")
    goal = alpha.goals.create(text="Mål")
    client = browser()
    client.force_login(users["officer_north"])
    patterns = [p for p in url_patterns() if p.label in ("agreements:history", "agreements:goal_edit")]
    found, unfilled = every_target(patterns)
    assert not unfilled
    _errors, leaks = request_every_pattern(client, Scope(users["partner_beta"]), found)
    assert any(leak.startswith(f"200 /avtal/{alpha.pk}/historik/") for leak in leaks), leaks
    assert any(leak.startswith(f"200 /avtal/{alpha.pk}/mal/{goal.pk}/") for leak in leaks), leaks
    assert not any(f"/avtal/{beta.pk}/historik/" in leak for leak in leaks), leaks  # beta's partner sees it
    crossed = next(t for t in found if t.crossed)
    assert crossed.url == f"/avtal/{beta.pk}/mal/{goal.pk}/" and fetch(client, crossed.url).status_code == 404


def test_a_parameter_the_crawler_cannot_fill_fails_with_how_to_teach_it() -> None:
    pattern = Pattern("followup", "report", "uppfoljning/<int:report_id>/", ("report_id",), regex=False)
    found, problems = targets(pattern)
    assert not found
    assert len(problems) == 1 and "PARAMETER_MODELS" in problems[0] and "'report_id'" in problems[0]


def test_every_pattern_with_a_parameter_is_taught() -> None:
    """Without the demo: every parameter of every pattern maps to a model (or a kind) the crawler knows."""
    unfilled = [p for pattern in url_patterns() for p in targets(pattern)[1]]
    assert not unfilled, "\n".join(unfilled)


def test_forms_are_read_as_a_browser_submits_them() -> None:
    parser = PageParser()
    parser.feed("""<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="a" value="1"><input type="checkbox" name="c" value="on"><input type="checkbox" name="d" checked>
      <select name="s"><option value="">–</option><option value="2">Två</option></select>
      <select name="m" multiple><option value="1" selected>Ett</option><option selected>Två</option></select>
      <textarea name="t">
rad</textarea><input type="text" name="off" disabled><button name="target" value="new">Skapa</button>
      <input type="submit" value="Spara"></form><a href="/y/">y</a>""")
    (form,) = parser.forms
    assert form.data() == {
        "csrfmiddlewaretoken": ["t"],
        "a": ["1"],
        "d": ["on"],
        "s": [""],
        "m": ["1", "Två"],
        "t": ["rad"],
    }
    assert form.buttons == [("target", "new")] and form.options["s"] == [("", "–"), ("2", "Två")]
    assert parser.links == ["/y/"] and form.method == "post" and form.action == "/x/"


def test_the_admin_site_answers_a_superuser_for_every_model(demo: Written) -> None:
    """The demo's users are not staff, so the admin site only redirects them; a superuser opens its pages
    (every registered model's list, add form and the pages of its first objects)."""
    User.objects.create_superuser(username="crawl-admin", password=PASSWORD)
    client = login("crawl-admin")
    found, unfilled = every_target([p for p in url_patterns() if p.namespace == "admin" and "logout" not in p.name])
    assert not unfilled
    errors, _leaks = request_every_pattern(client, Scope(User.objects.get(username="crawl-admin")), found)
    assert not errors, "\n".join(map(str, errors))


def test_the_crawl_reports_every_server_error_with_its_cause(
    make_agreement: Any, users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that fails is listed with its status, where it was linked from, and the exception."""
    agreement = make_agreement()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("the history is broken")

    monkeypatch.setattr("apps.agreements.views.agreement_events", broken)
    client = browser()
    client.force_login(users["officer_north"])
    answers = crawl(client)
    history = reverse("agreements:history", args=[agreement.pk])
    assert answers[history].status == 500
    assert answers[history].came_from == agreement.get_absolute_url()
    assert "ZeroDivisionError: the history is broken" in str(answers[history])
    assert answers[agreement.get_absolute_url()].status == 200


def test_an_end_date_decades_ahead_is_saved_or_refused_with_a_message(demo: Written) -> None:
    """The officer moves the end of an indexed agreement decades ahead on its edit page. Beyond the bounds the
    page says why (and nothing changes); within them the payment plan follows, and the money page and the
    portfolio of its last twenty years answer (PKV compounding over decades). Never a server error."""
    officer, controller = login("handlaggare"), login("controller")
    agreement = demo.agreement
    edit_url = reverse("agreements:edit", args=[agreement.pk])
    cases = [
        ("9999-12-31", False),  # beyond the years the product handles
        ("2201-01-01", False),
        ("2199-12-31", False),  # longer than the longest period amounts are computed for
        ("2075-06-30", True),  # fifty years of PKV compounding
    ]
    for end_date, saved in cases:
        form = the_form(officer.get(edit_url), having="end_date")
        before = Agreement.objects.get(pk=agreement.pk).end_date
        response = officer.post(edit_url, form.data({"end_date": end_date}))
        assert response.status_code == (302 if saved else 400), (
            f"{end_date}: {response.status_code} {error_summary(response) or form_errors(response)}"
        )
        agreement.refresh_from_db()
        if saved:
            assert agreement.end_date is not None and agreement.end_date.isoformat() == end_date
            assert Payment.objects.filter(agreement=agreement, due_on__year=2075).exists(), "the plan did not follow"
        else:
            assert form_errors(response) and agreement.end_date == before, end_date
        money = fetch(controller, reverse("finance:agreement", args=[agreement.pk]))
        assert money.status_code == 200, f"{end_date}: {error_summary(money)}"
    portfolio = fetch(controller, reverse("finance:portfolio") + "?first_year=2056&last_year=2075")
    assert portfolio.status_code == 200, error_summary(portfolio) or form_errors(portfolio)
