# SPDX-License-Identifier: EUPL-1.2
"""The register bench/scale.py measures: N agreements of a national installation, built fast and as the
services build them.

Many tenants (about N/30 municipalities, then regions: each a top-level public body with one or two
committees, some with a department, and staff: a case officer over the committees, a controller and a viewer
over the municipality), non-profits shared between neighbouring municipalities and a few national ones with a
partner login each, agreements from 2018 to 2030 in every status their dates allow, with decisions,
interventions and local parts, goals and sub-goals with indicators of every kind, money terms (a yearly amount
or a fixed total, PKV indexation on the national series, the payment rules the product has), funding sources
(a fixed amount or a share, invoiced separately or not), budget lines adding up, and payment plans partly
invoiced and paid.

Every agreement is first described as a :class:`Spec` (plain values, from a seeded random generator). A sample
goes through the real services (:func:`create_through_services`: agreement, parties, decision, interventions,
goals, indicators, funding sources, terms, budget lines, payments recorded, status transitions — each write
audited as the product audits it). The rest is written with ``bulk_create`` (:class:`BulkWriter`) using the same
domain functions for the plans (``apps.finance.calculations.new_plan`` → ``domain.payments``), and audit events
worded as the services word them (the same message ids; their field changes are abridged). :func:`verify`
proves the two equal: it builds a twin of a few bulk agreements through the services and compares every row
(agreement, parties, decision, interventions, goals, indicators, terms, sources, budget lines, payments with
their recorded status and invoice details, versions included), and regenerates the bulk agreement's plan
through ``payment_plan_regenerate``, which must find nothing to change.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from apps.accounts.models import Membership, Role, User
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Decision, Goal, Indicator, Intervention, Party
from apps.audit.models import AuditEvent
from apps.audit.services import choice_param, diff, money_param, snapshot
from apps.audit.summaries import render_summary
from apps.documents import services as document_services
from apps.finance import amounts, calculations
from apps.finance import services as finance_services
from apps.finance.models import (
    BudgetLine,
    CommitmentSummary,
    FinanceTerms,
    FundingSource,
    IndexSeries,
    IndexValue,
    Payment,
    YearAmount,
    YearSourceAmount,
)
from apps.organisations.models import Organisation
from domain.orgnr import check_digit

FIRST_YEAR, LAST_YEAR = 2018, 2030
# PKV (October of the year, applied from the next January). Example values for the benchmark, not SKR's.
PKV_VALUES: list[tuple[int, str, bool]] = [
    (2017, "2.6", False),
    (2018, "2.9", False),
    (2019, "2.7", False),
    (2020, "1.6", False),
    (2021, "2.9", False),
    (2022, "5.9", False),
    (2023, "5.3", False),
    (2024, "3.4", False),
    (2025, "2.9", False),
    (2026, "2.6", True),
    (2027, "2.4", True),
]
PKV_SOURCE = "Exempelvärde för prestandamätning – inte publicerat av SKR"
SEEDS = Path(__file__).resolve().parents[1] / "tests" / "domain" / "importer" / "fixtures" / "seeds"

_MUNICIPALITY_NAMES = (  # the 290 municipalities; "_" stands for a space in a name
    "Ale Alingsås Alvesta Aneby Arboga Arjeplog Arvidsjaur Arvika Askersund Avesta Bengtsfors Berg Bjurholm Bjuv "
    "Boden Bollebygd Bollnäs Borgholm Borlänge Borås Botkyrka Boxholm Bromölla Bräcke Burlöv Båstad Dals-Ed "
    "Danderyd Degerfors Dorotea Eda Ekerö Eksjö Emmaboda Enköping Eskilstuna Eslöv Essunga Fagersta Falkenberg "
    "Falköping Falun Filipstad Finspång Flen Forshaga Färgelanda Gagnef Gislaved Gnesta Gnosjö Gotland Grums "
    "Grästorp Gullspång Gällivare Gävle Göteborg Götene Habo Hagfors Hallsberg Hallstahammar Halmstad Hammarö "
    "Haninge Haparanda Heby Hedemora Helsingborg Herrljunga Hjo Hofors Huddinge Hudiksvall Hultsfred Hylte Håbo "
    "Hällefors Härjedalen Härnösand Härryda Hässleholm Höganäs Högsby Hörby Höör Jokkmokk Järfälla Jönköping "
    "Kalix Kalmar Karlsborg Karlshamn Karlskoga Karlskrona Karlstad Katrineholm Kil Kinda Kiruna Klippan Knivsta "
    "Kramfors Kristianstad Kristinehamn Krokom Kumla Kungsbacka Kungsör Kungälv Kävlinge Köping Laholm "
    "Landskrona Laxå Lekeberg Leksand Lerum Lessebo Lidingö Lidköping Lilla_Edet Lindesberg Linköping Ljungby "
    "Ljusdal Ljusnarsberg Lomma Ludvika Luleå Lund Lycksele Lysekil Malmö Malung-Sälen Malå Mariestad Mark "
    "Markaryd Mellerud Mjölby Mora Motala Mullsjö Munkedal Munkfors Mölndal Mönsterås Mörbylånga Nacka Nora "
    "Norberg Nordanstig Nordmaling Norrköping Norrtälje Norsjö Nybro Nykvarn Nyköping Nynäshamn Nässjö Ockelbo "
    "Olofström Orsa Orust Osby Oskarshamn Ovanåker Oxelösund Pajala Partille Perstorp Piteå Ragunda Robertsfors "
    "Ronneby Rättvik Sala Salem Sandviken Sigtuna Simrishamn Sjöbo Skara Skellefteå Skinnskatteberg Skurup "
    "Skövde Smedjebacken Sollefteå Sollentuna Solna Sorsele Sotenäs Staffanstorp Stenungsund Stockholm Storfors "
    "Storuman Strängnäs Strömstad Strömsund Sundbyberg Sundsvall Sunne Surahammar Svalöv Svedala Svenljunga "
    "Säffle Säter Sävsjö Söderhamn Söderköping Södertälje Sölvesborg Tanum Tibro Tidaholm Tierp Timrå Tingsryd "
    "Tjörn Tomelilla Torsby Torsås Tranemo Tranås Trelleborg Trollhättan Trosa Tyresö Täby Töreboda Uddevalla "
    "Ulricehamn Umeå Upplands_Väsby Upplands-Bro Uppsala Uppvidinge Vadstena Vaggeryd Valdemarsvik Vallentuna "
    "Vansbro Vara Varberg Vaxholm Vellinge Vetlanda Vilhelmina Vimmerby Vindeln Vingåker Vårgårda Vänersborg "
    "Vännäs Värmdö Värnamo Västervik Västerås Växjö Ydre Ystad Åmål Ånge Åre Årjäng Åsele Åstorp Åtvidaberg "
    "Älmhult Älvdalen Älvkarleby Älvsbyn Ängelholm Öckerö Ödeshög Örebro Örkelljunga Örnsköldsvik Östersund "
    "Österåker Östhammar Östra_Göinge Överkalix Övertorneå"
)
MUNICIPALITIES = [name.replace("_", " ") for name in _MUNICIPALITY_NAMES.split()]
REGIONS = [
    "Stockholm",
    "Uppsala",
    "Sörmland",
    "Östergötland",
    "Jönköpings län",
    "Kronoberg",
    "Kalmar län",
    "Blekinge",
    "Skåne",
    "Halland",
    "Västra Götaland",
    "Värmland",
    "Örebro län",
    "Västmanland",
    "Dalarna",
    "Gävleborg",
    "Västernorrland",
    "Jämtland Härjedalen",
    "Västerbotten",
    "Norrbotten",
    "Gotland",
]
COMMITTEES = [
    ("Socialnämnden", "SN", "Socialförvaltningen"),
    ("Arbetsmarknadsnämnden", "AMN", "Arbetsmarknadsförvaltningen"),
    ("Kultur- och fritidsnämnden", "KFN", "Kultur- och fritidsförvaltningen"),
    ("Utbildningsnämnden", "UN", "Utbildningsförvaltningen"),
]
NONPROFIT_FORMS = ["Föreningen", "Stiftelsen", "Ideella föreningen", "Föreningen för", "Riksföreningen", "Kooperativet"]
TOPICS = [
    "Läxhjälp",
    "Tidigt föräldrastöd",
    "Fritidsgården",
    "Kvinnojouren",
    "Tjejjouren",
    "Brottsofferjouren",
    "Kulturtolkarna",
    "Idrott för alla",
    "Mentorsmammor",
    "Stadsmissionen",
    "Trygghetsvandrarna",
    "Nattvandrarna",
    "Språkcaféet",
    "Seniorträffen",
    "Härbärget",
    "Ungdomens hus",
    "Familjecentralen",
    "Arbetsträning",
    "Matkassen",
    "Demensstödet",
]
NATIONAL = [
    "Rädda Barnen",
    "Röda Korset",
    "Stadsmissionen",
    "Individuell Människohjälp",
    "Bris",
    "Friends",
    "Fryshuset",
    "Maskrosbarn",
    "Hela Människan",
    "Unga Kvinnors Värn",
    "Läxhjälpen",
    "Mentor Sverige",
    "Stiftelsen Allakando",
    "Föreningen Nattvandring.nu",
    "ECPAT Sverige",
    "Bräcke diakoni",
    "Sveriges Kvinno- och Tjejjourers Riksförbund",
    "KFUM Sverige",
    "Skyddsvärnet",
    "Reningsborg",
]
SENTENCES = [
    "Partnerskapet ska stärka föräldrar och vårdnadshavare i området i deras föräldraskap.",
    "Verksamheten riktar sig till barn och unga som riskerar att hamna i utanförskap.",
    "Genom samverkan mellan förvaltningen och föreningen når insatserna fler i målgruppen.",
    "Föreningen bidrar med frivilliga, lokalkännedom och förtroende i lokalsamhället.",
    "Förvaltningen bidrar med kunskap om socialtjänstens stöd och med finansiering enligt överenskommelsen.",
    "Målgruppen är föräldrar med barn i åldern 0–18 år som bor i stadsdelen.",
    "Insatserna följs upp två gånger per år med indikatorer och en skriftlig redovisning.",
    "Parterna träffas i en styrgrupp minst två gånger per år och i en samverkansgrupp varje kvartal.",
    "Överenskommelsen bygger på ömsesidig tillit, öppenhet och dialog mellan parterna.",
    "Verksamheten bedrivs i föreningens lokaler och ute i bostadsområdena, kvällar och helger.",
    "Statistik redovisas uppdelad på kön och åldersgrupp; inga enskilda personer registreras.",
    "Föreningen ansvarar för att personal som arbetar med barn har visat utdrag ur belastningsregistret.",
    "Partnerskapet ska bidra till att förebygga skolavbrott, missbruk och rekrytering till kriminella nätverk.",
    "Kommunfullmäktige har avsatt medel för förebyggande arbete i samverkan med civilsamhället.",
    "Behovet har identifierats i förvaltningens lägesbild och i dialog med föreningslivet.",
    "Parterna har ett gemensamt ansvar för att utveckla verksamheten under avtalsperioden.",
]
# (frequency, in advance, months, weight): the payment rules of FinanceTerms.Frequency as agreements use them.
PAYMENT_RULES: list[tuple[str, bool, list[int], int]] = [
    ("semiannual", True, [1, 7], 40),  # twice a year in advance, January and July
    ("annual", True, [], 15),  # yearly in advance
    ("once", True, [], 5),  # once, in the start month
    ("quarterly", True, [], 13),
    ("semiannual", False, [], 10),  # half-yearly invoicing, in arrears
    ("monthly", True, [], 10),
    ("", True, [], 7),  # no payment rule: money terms without a plan
]


def org_number(first_digit: int, n: int) -> str:
    nine = f"{first_digit}{n % 10**8:08d}"
    return f"{nine[:6]}-{nine[6:]}{check_digit(nine)}"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Tenant:
    index: int
    body: Organisation
    committees: list[Organisation]
    departments: dict[int, Organisation]  # committee id → its department
    officer: User
    controller: User
    viewer: User
    abbreviations: dict[int, str] = field(default_factory=dict)  # committee id → case number prefix


@dataclass
class IndicatorSpec:
    name: str
    kind: str
    dimensions: list[str]
    follow_ups: int
    baseline: Decimal | None
    target: Decimal | None
    collectors: list[int]  # organisation ids (parties of the agreement)


@dataclass
class GoalSpec:
    text: str
    intervention: int | None  # index into Spec.interventions
    parent: int | None  # index into Spec.goals
    indicators: list[IndicatorSpec]


@dataclass
class Spec:
    """One agreement as plain values: what both writers (services and bulk) are given."""

    n: int
    tenant: Tenant
    fields: dict[str, Any]  # AGREEMENT_FIELDS except case_officer
    status: str
    parties: list[tuple[str, Organisation]]  # (role, organisation), in order
    decision: tuple[str, dt.date, str] | None
    interventions: list[tuple[str, str, str, str, int | None]]  # kind, label, title, description, parent index
    goals: list[GoalSpec]
    terms: dict[str, Any] | None  # FinanceTerms fields (index_series as a bool: PKV or none)
    sources: list[dict[str, Any]]
    lines: list[tuple[str, str, str, Decimal, int | None]]  # label, category, staffing, amount, intervention

    @property
    def officer(self) -> User:
        return self.tenant.officer

    def diversity(self) -> tuple[Any, ...]:
        """What makes plans differ: basis, rule, indexation and the kinds of funding sources."""
        t = self.terms or {}
        kinds = tuple(
            sorted(
                ("share" if s["share_percent"] is not None else "fixed", s["invoiced_separately"]) for s in self.sources
            )
        )
        return (t.get("basis"), t.get("payment_frequency"), t.get("payment_in_advance"), bool(t.get("index")), kinds)


def transitions_to(status: str) -> list[str]:
    """The lifecycle path from draft to ``status`` (domain.lifecycle.TRANSITIONS)."""
    path = ["decided", "signed", "active"]
    return {
        "draft": [],
        "decided": path[:1],
        "signed": path[:2],
        "active": path,
        "ended": [*path, "ended"],
        "terminated": [*path, "terminated"],
        "rescinded": [*path, "rescinded"],
    }[status]


def recording(spec: Spec, key: str, due_on: dt.date, today: dt.date) -> tuple[str, str, dt.date, dt.date | None] | None:
    """How a planned payment stands today: (status, invoice number, invoiced on, paid on), or None (planned).

    Decided from the agreement and the payment's key alone, so the services and the bulk writer agree.
    """
    if spec.status in ("draft", "decided") or due_on >= today:
        return None
    h = zlib.crc32(f"{spec.n}:{key}".encode()) % 100
    invoiced_on = max(due_on - dt.timedelta(days=14), spec.fields["start_date"] - dt.timedelta(days=30))
    number = f"F{due_on:%y%m}-{spec.n:06d}-{h:02d}"
    paid_on = min(due_on + dt.timedelta(days=h % 20), today)
    if due_on < today - dt.timedelta(days=60):
        if h < 94:
            return ("paid", number, invoiced_on, paid_on)
        return ("invoiced", number, invoiced_on, None) if h < 98 else None  # a few overdue, never invoiced
    if h < 40:
        return ("paid", number, invoiced_on, paid_on)
    return ("invoiced", number, invoiced_on, None) if h < 80 else None


# Generating the world -------------------------------------------------------------------------------------------


class Generator:
    """Seeded: the same N and seed give the same register."""

    def __init__(self, agreements: int, seed: int, today: dt.date) -> None:
        self.n = agreements
        self.rng = random.Random(seed)
        self.today = today
        self.tenant_count = max(2, round(agreements / 30))
        self.nonprofit_count = max(len(NATIONAL) // 4, agreements // 5)

    # Names -----------------------------------------------------------------------------------------------
    def tenant_name(self, i: int) -> str:
        municipalities = MUNICIPALITIES
        if i < len(municipalities):
            return f"{municipalities[i]} kommun"
        j = i - len(municipalities)
        if j < len(REGIONS):
            return f"Region {REGIONS[j]}"
        return f"{municipalities[j % len(municipalities)]} kommun {j // len(municipalities) + 1}"

    def sizes(self) -> list[int]:
        """Agreements per tenant: the measured one (0) has 40 (or half of a small register), the others 10–50."""
        first = min(40, self.n // 2)
        weights = [self.rng.uniform(10, 50) for _ in range(self.tenant_count - 1)]
        rest = self.n - first
        sizes = [int(rest * w / sum(weights)) for w in weights]
        for k in range(rest - sum(sizes)):
            sizes[k % len(sizes)] += 1
        return [first, *sizes]

    def text(self, low: int, high: int) -> str:
        return " ".join(self.rng.sample(SENTENCES, self.rng.randint(low, high)))


def build_organisations(
    gen: Generator,
) -> tuple[list[Organisation], list[list[Organisation]], dict[int, Organisation], list[Organisation]]:
    """Tenants, their committees and departments, and the non-profits (national ones first), in bulk."""
    rng = gen.rng
    tenants = [
        Organisation(name=gen.tenant_name(i), org_number=org_number(2, 12_000_000 + i), kind="public_body")
        for i in range(gen.tenant_count)
    ]
    Organisation.objects.bulk_create(tenants)
    committees: list[list[Organisation]] = []
    flat = []
    for i, tenant in enumerate(tenants):
        place = tenant.name.removesuffix(" kommun")
        chosen = [COMMITTEES[0]] if i % 3 else [COMMITTEES[0], rng.choice(COMMITTEES[1:])]
        mine = [
            Organisation(name=f"{name} i {place}", org_number=tenant.org_number, kind="public_body", parent=tenant)
            for name, _abbr, _dept in chosen
        ]
        committees.append(mine)
        flat.extend(mine)
    Organisation.objects.bulk_create(flat)
    departments: dict[int, Organisation] = {}
    for i, mine in enumerate(committees):
        if i % 2 == 0:
            name = next(d for c, _a, d in COMMITTEES if mine[0].name.startswith(c))
            place = tenants[i].name.removesuffix(" kommun")
            departments[mine[0].pk] = Organisation(
                name=f"{name} i {place}", org_number=tenants[i].org_number, kind="public_body", parent=mine[0]
            )
    Organisation.objects.bulk_create(list(departments.values()))
    municipalities = MUNICIPALITIES
    nonprofits = []
    for k in range(gen.nonprofit_count):
        if k < len(NATIONAL):
            name = NATIONAL[k]
        else:
            form, topic = NONPROFIT_FORMS[k % len(NONPROFIT_FORMS)], TOPICS[(k // 7) % len(TOPICS)]
            name = f"{form} {topic} i {municipalities[k % len(municipalities)]}"
        nonprofits.append(
            Organisation(
                name=name,
                org_number=org_number(8, 2_000_000 + k),
                kind="non_profit",
                kammarkollegiet_registered_on=dt.date(2021, 1, 1) + dt.timedelta(days=k % 1500) if k % 4 == 0 else None,
            )
        )
    Organisation.objects.bulk_create(nonprofits)
    return tenants, committees, departments, nonprofits


def build_users(
    tenants: list[Organisation],
    committees: list[list[Organisation]],
    departments: dict[int, Organisation],
    nonprofits: list[Organisation],
) -> tuple[list[Tenant], dict[int, User], User, User]:
    """Staff of every tenant, a partner login per non-profit, a superuser and the national index keeper."""
    password = make_password(None)  # nobody logs in with a password: the benchmark signs in by session
    users: list[User] = []
    for i, tenant in enumerate(tenants):
        for role in ("handlaggare", "controller", "lasare"):
            users.append(
                User(
                    username=f"t{i:04d}-{role}", first_name=role.capitalize(), last_name=tenant.name, password=password
                )
            )
    for k, org in enumerate(nonprofits):
        users.append(
            User(username=f"np{k:05d}-partner", first_name="Partner", last_name=org.name[:150], password=password)
        )
    admin = User(
        username="bench-admin",
        first_name="Bench",
        last_name="Admin",
        password=password,
        is_superuser=True,
        is_staff=True,
    )
    keeper = User(username="bench-plattform", first_name="Petra", last_name="Plattform", password=password)
    users += [admin, keeper]
    User.objects.bulk_create(users, batch_size=2000)
    by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    keeper = by_name["bench-plattform"]
    keeper.user_permissions.add(
        Permission.objects.get(content_type__app_label="finance", codename="keep_national_index")
    )
    memberships = []
    result = []
    for i, tenant in enumerate(tenants):
        officer, controller, viewer = (by_name[f"t{i:04d}-{r}"] for r in ("handlaggare", "controller", "lasare"))
        memberships += [Membership(user=officer, organisation=c, role=Role.CASE_OFFICER) for c in committees[i]]
        memberships += [
            Membership(user=controller, organisation=tenant, role=Role.CONTROLLER),
            Membership(user=viewer, organisation=tenant, role=Role.VIEWER),
        ]
        mine = committees[i]
        result.append(
            Tenant(
                index=i,
                body=tenant,
                committees=mine,
                departments={c.pk: departments[c.pk] for c in mine if c.pk in departments},
                officer=officer,
                controller=controller,
                viewer=viewer,
                abbreviations={c.pk: next(a for name, a, _d in COMMITTEES if c.name.startswith(name)) for c in mine},
            )
        )
    partners = {}
    for k, org in enumerate(nonprofits):
        partner = by_name[f"np{k:05d}-partner"]
        partners[org.pk] = partner
        memberships.append(Membership(user=partner, organisation=org, role=Role.PARTNER_EDITOR))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    return result, partners, by_name["bench-admin"], keeper


def build_index(keeper: User) -> tuple[IndexSeries, list[IndexValue]]:
    """The national PKV series, its values entered through the service by the platform's index keeper."""
    series = IndexSeries.objects.create(code="PKV", name="Prisindex för kommunal verksamhet (SKR)")
    for year, percent, forecast in PKV_VALUES:
        finance_services.index_value_save(
            actor=keeper,
            series=series,
            data={
                "year": year,
                "reference_month": 10,
                "percent": Decimal(percent),
                "is_forecast": forecast,
                "is_example": True,
                "source": PKV_SOURCE,
                "published_on": None if forecast else dt.date(year, 11, 15),
            },
        )
    return series, list(IndexValue.objects.filter(series=series))


def _nonprofit_for(gen: Generator, tenant_index: int, nonprofits: list[Organisation]) -> Organisation:
    """A national non-profit now and then; otherwise one of a window of local ones that neighbours share."""
    rng = gen.rng
    # As many draws whatever the register's size, so that a municipality's agreements come out the same.
    local_draw, national_draw, offset = rng.random(), rng.random(), rng.randint(0, 7)
    national = min(len(NATIONAL), len(nonprofits))
    local = len(nonprofits) - national
    if local <= 0 or local_draw < 0.25:
        return nonprofits[int(national_draw * national)]
    centre = tenant_index * local // gen.tenant_count
    return nonprofits[national + (centre + offset) % local]


def _dates(gen: Generator) -> tuple[dt.date, dt.date]:
    rng = gen.rng
    year = rng.randint(FIRST_YEAR, LAST_YEAR - 1)
    month = rng.choices([1, 7, rng.randint(2, 12)], weights=[60, 20, 20])[0]
    start = dt.date(year, month, 1)
    years = rng.choices([1, 2, 3, 4], weights=[25, 30, 30, 15])[0]
    end = dt.date(year + years, month, 1) - dt.timedelta(days=1)
    if rng.random() < 0.2:  # some run to the end of a calendar year
        end = dt.date(end.year, 12, 31)
    return start, min(end, dt.date(LAST_YEAR, 12, 31))


def _status(gen: Generator, start: dt.date, end: dt.date) -> str:
    rng, today = gen.rng, gen.today
    if end < today:
        return rng.choices(["ended", "terminated", "rescinded"], weights=[90, 7, 3])[0]
    if start <= today:
        return rng.choices(["active", "signed", "terminated"], weights=[93, 4, 3])[0]
    return rng.choices(["signed", "decided", "draft"], weights=[50, 25, 25])[0]


def make_spec(
    gen: Generator, n: int, tenant: Tenant, nonprofits: list[Organisation], pinned: Organisation | None = None
) -> Spec:
    rng = gen.rng
    committee = rng.choice(tenant.committees)
    public = tenant.departments.get(committee.pk, committee) if rng.random() < 0.6 else committee
    partner = pinned or _nonprofit_for(gen, tenant.index, nonprofits)
    parties: list[tuple[str, Organisation]] = [("public", public), ("nonprofit", partner)]
    if rng.random() < 0.15:
        other = _nonprofit_for(gen, tenant.index, nonprofits)
        if other.pk != partner.pk:
            parties.append(("nonprofit", other))
    others = [c for c in tenant.committees if c.pk != committee.pk]
    if others and rng.random() < 0.3:
        parties.append(("dialogue", others[0]))
    start, end = _dates(gen)
    status = _status(gen, start, end)
    topic = partner.name.split(" i ")[0]
    place = tenant.body.name.removesuffix(" kommun")
    fields: dict[str, Any] = {
        "title": f"Idéburet offentligt partnerskap med {topic} – {rng.choice(TOPICS).lower()} i {place} {start.year}–{end.year}",
        "case_number": f"{tenant.abbreviations[committee.pk]}-{start.year - 1}-{n:05d}" if rng.random() < 0.9 else "",
        "case_officer_name": "",
        "purpose": gen.text(2, 4),
        "background": gen.text(4, 10),
        "target_group": gen.text(1, 2),
        "target_area": f"{place}, {rng.choice(['centrum', 'norr', 'söder', 'öster', 'väster'])}",
        "values": gen.text(1, 3),
        "start_date": start,
        "end_date": end,
        "extension_max_months": rng.choice([None, 12, 24]),
        "notice_period_months": rng.choice([None, 3, 4, 6]),
        "renewal_decision_months_before_end": rng.choice([None, 2, 6]),
        "ends_automatically": rng.random() < 0.8,
    }
    decision = None
    if status != "draft" or rng.random() < 0.3:
        decided_on = start - dt.timedelta(days=rng.randint(20, 120))
        decision = (committee.name, decided_on, f"§ {rng.randint(1, 250)}")
    interventions: list[tuple[str, str, str, str, int | None]] = [
        ("overall", "", f"{topic} – övergripande insats", gen.text(1, 3), None)
    ]
    for part in range(rng.choice([0, 0, 1, 2])):
        interventions.append(("local", f"Del {part + 1}", f"{rng.choice(TOPICS)} i {place}", gen.text(1, 2), 0))
    nonprofit_ids = [o.pk for role, o in parties if role == "nonprofit"]
    goals: list[GoalSpec] = []

    def indicators(count: int) -> list[IndicatorSpec]:
        found = []
        for j in range(count):
            kind = rng.choices(["count", "count_by_dimensions", "share", "qualitative"], weights=[40, 30, 15, 15])[0]
            dimensions = (
                rng.sample(["gender", "age", "language_group", "school"], rng.randint(1, 2))
                if kind == "count_by_dimensions"
                else []
            )
            numeric = kind in ("count", "count_by_dimensions", "share")
            collectors = [nonprofit_ids[0]] + ([public.pk] if rng.random() < 0.3 else [])
            found.append(
                IndicatorSpec(
                    name=f"Antal deltagare i {rng.choice(TOPICS).lower()} (indikator {j + 1})"
                    if kind != "qualitative"
                    else "Redovisning och analys av kvalitativa data från målgruppen",
                    kind=kind,
                    dimensions=dimensions,
                    follow_ups=rng.choice([1, 2, 2, 4]),
                    baseline=Decimal(rng.randint(0, 50)) if numeric and rng.random() < 0.5 else None,
                    target=Decimal(rng.randint(50, 400)) if numeric else None,
                    collectors=collectors,
                )
            )
        return found

    goals.append(GoalSpec(gen.text(1, 1), None, None, indicators(rng.randint(1, 3))))
    for _sub in range(rng.randint(1, 3)):
        goals.append(GoalSpec(gen.text(1, 1), None, 0, indicators(rng.randint(0, 2))))
    for k in range(1, len(interventions)):
        goals.append(GoalSpec(gen.text(1, 1), k, None, indicators(rng.randint(1, 2))))
    terms = sources = None
    lines: list[tuple[str, str, str, Decimal, int | None]] = []
    sources_list: list[dict[str, Any]] = []
    if rng.random() < 0.92:
        annual = Decimal(rng.randint(10, 500) * 10_000)
        years = max(1, end.year - start.year + 1)
        basis = "total" if rng.random() < 0.15 else "annual"
        frequency, in_advance, months, _w = rng.choices(PAYMENT_RULES, weights=[r[3] for r in PAYMENT_RULES])[0]
        terms = {
            "basis": basis,
            "annual_amount": annual if basis == "annual" else None,
            "total_amount": annual * years if basis == "total" else None,
            "default_source": committee.name,
            "index": rng.random() < 0.85,
            "index_reference_month": 10,
            "payment_frequency": frequency,
            "payment_in_advance": in_advance,
            "payment_months": list(months),
            "deviation_threshold_percent": Decimal(rng.choice([5, 10, 10, 15])),
        }
        if basis == "annual" and rng.random() < 0.35:
            sources_list.append(
                {
                    "name": "Folkhälsomedel",
                    "annual_amount": (annual * Decimal(rng.choice([10, 15, 20, 25])) / 100).quantize(Decimal(1000)),
                    "share_percent": None,
                    "invoiced_separately": rng.random() < 0.5,
                    "co_financing": "50/50 mellan regionen och nämnden" if rng.random() < 0.5 else "",
                }
            )
        if rng.random() < 0.1:
            sources_list.append(
                {
                    "name": "Regionens bidrag",
                    "annual_amount": None,
                    "share_percent": Decimal(rng.choice([25, 50])),
                    "invoiced_separately": True,
                    "co_financing": "",
                }
            )
        expected = annual if basis == "annual" else annual * years
        personnel = (expected * Decimal(rng.randint(60, 75)) / 100).quantize(Decimal(1))
        premises = (expected * Decimal(rng.randint(8, 20)) / 100).quantize(Decimal(1))
        lines = [
            (
                "Löner: projektledare och verksamhetspersonal",
                "personnel",
                f"projektledare {rng.choice([50, 60, 80, 100])} %",
                personnel,
                0,
            ),
            ("Lokalhyra", "premises", "", premises, 0 if len(interventions) == 1 else 1),
            (
                "Övriga verksamhetskostnader (material, resor, information)",
                "other",
                "",
                expected - personnel - premises,
                None,
            ),
        ]
    sources = sources_list
    return Spec(
        n=n,
        tenant=tenant,
        fields=fields,
        status=status,
        parties=parties,
        decision=decision,
        interventions=interventions,
        goals=goals,
        terms=terms,
        sources=sources,
        lines=lines,
    )


def _terms_data(spec: Spec, series: IndexSeries) -> dict[str, Any]:
    assert spec.terms is not None
    data = {k: v for k, v in spec.terms.items() if k != "index"}
    data["index_series"] = series if spec.terms["index"] else None
    return data


# Through the services -----------------------------------------------------------------------------------------


def create_through_services(spec: Spec, series: IndexSeries, today: dt.date) -> Agreement:
    """The agreement as a case officer registers it: every write through its service, audited."""
    actor = spec.officer
    agreement = agreement_services.agreement_create(
        actor=actor,
        data={**spec.fields, "case_officer": actor},
        parties=[agreement_services.PartyInput(role=role, organisation=org) for role, org in spec.parties],
        decision=agreement_services.DecisionInput(
            body=spec.decision[0], decided_on=spec.decision[1], paragraph=spec.decision[2]
        )
        if spec.decision
        else None,
    )
    interventions: list[Intervention] = []
    for kind, label, title, description, parent in spec.interventions:
        interventions.append(
            agreement_services.intervention_save(
                actor=actor,
                agreement=agreement,
                data={
                    "kind": kind,
                    "label": label,
                    "title": title,
                    "description": description,
                    "parent": interventions[parent] if parent is not None else None,
                },
            )
        )
    goals: list[Goal] = []
    orgs = {org.pk: org for _role, org in spec.parties}
    for g in spec.goals:
        goal = agreement_services.goal_save(
            actor=actor,
            agreement=agreement,
            data={
                "text": g.text,
                "intervention": interventions[g.intervention] if g.intervention is not None else None,
                "parent": goals[g.parent] if g.parent is not None else None,
            },
        )
        goals.append(goal)
        for ind in g.indicators:
            agreement_services.indicator_save(
                actor=actor,
                goal=goal,
                data=agreement_services.IndicatorInput(
                    name=ind.name,
                    kind=ind.kind,
                    dimensions=list(ind.dimensions),
                    collected_by=[orgs[pk] for pk in ind.collectors],
                    follow_ups_per_year=ind.follow_ups,
                    baseline=ind.baseline,
                    target=ind.target,
                ),
            )
    if spec.terms is not None:
        for source in spec.sources:  # before the terms, as the demo does: the plan is generated once
            finance_services.funding_source_save(actor=actor, agreement=agreement, data=dict(source))
        finance_services.finance_terms_save(actor=actor, agreement=agreement, data=_terms_data(spec, series))
        for label, category, staffing, amount, intervention in spec.lines:
            finance_services.budget_line_save(
                actor=actor,
                agreement=agreement,
                data={
                    "label": label,
                    "category": category,
                    "staffing_note": staffing,
                    "annual_amount": amount,
                    "intervention": interventions[intervention] if intervention is not None else None,
                    "funding_source": "",
                },
            )
        for payment in Payment.objects.filter(agreement=agreement).order_by("due_on", "key"):
            recorded = recording(spec, payment.key, payment.due_on, today)
            if recorded is not None:
                status, number, invoiced_on, paid_on = recorded
                finance_services.payment_record(
                    actor=actor,
                    payment=payment,
                    status=status,
                    invoice_number=number,
                    invoiced_on=invoiced_on,
                    paid_on=paid_on,
                )
    for target in transitions_to(spec.status):
        agreement = agreement_services.agreement_transition(
            actor=actor, agreement=agreement, target=target, today=today
        )
    return agreement


# In bulk ---------------------------------------------------------------------------------------------------------


def _event(
    actor: User, action: str, msgid: str, params: Any, obj: models.Model, agreement_id: int, changes: dict | None = None
) -> AuditEvent:
    """An audit event as audit_record writes it (unsaved): the same message id, parameters and Swedish summary."""
    text = render_summary(msgid, params) or msgid
    return AuditEvent(
        actor=actor,
        action=action,
        summary=text[:500],
        summary_msgid=msgid,
        summary_params=params,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agreement_id=agreement_id,
        changes=changes or {},
    )


class BulkWriter:
    """Writes specs with bulk_create, the plans from the same domain functions the services use."""

    def __init__(self, series: IndexSeries, values: list[IndexValue], today: dt.date) -> None:
        self.series, self.values, self.today = series, values, today
        self.rows: Counter[str] = Counter()

    def write(self, specs: list[Spec]) -> list[Agreement]:
        with transaction.atomic(), translation.override("sv"):
            written = self._write(specs)
            # The committed amounts kept as data, by the product's own bulk path (what the services store too).
            amounts.refresh([a.pk for a in written])
            return written

    def _write(self, specs: list[Spec]) -> list[Agreement]:
        agreements = [
            Agreement(
                **spec.fields,
                case_officer=spec.officer,
                status=spec.status,
                created_by=spec.officer,
                shared_with_partners=True,
            )
            for spec in specs
        ]
        self._create(Agreement, agreements)
        events: list[AuditEvent] = []
        parties: list[Party] = []
        decisions: list[Decision] = []
        overall: list[Intervention] = []
        local: list[Intervention] = []
        by_spec: list[dict[str, Any]] = []
        for spec, a in zip(specs, agreements, strict=True):
            events.append(
                _event(
                    spec.officer,
                    "agreement.created",
                    gettext_noop("Agreement registered"),
                    {},
                    a,
                    a.pk,
                    {k: [None, v] for k, v in snapshot(a).items() if v not in ("", None)},
                )
            )
            mine: dict[str, Any] = {
                "parties": [
                    Party(agreement=a, organisation=org, role=role, position=i)
                    for i, (role, org) in enumerate(spec.parties)
                ],
                "interventions": [
                    Intervention(agreement=a, kind=kind, label=label, title=title, description=description, position=i)
                    for i, (kind, label, title, description, _parent) in enumerate(spec.interventions)
                ],
            }
            parties += mine["parties"]
            for iv, (*_rest, parent) in zip(mine["interventions"], spec.interventions, strict=True):
                (overall if parent is None else local).append(iv)
            if spec.decision:
                decisions.append(
                    Decision(
                        agreement=a, body=spec.decision[0], decided_on=spec.decision[1], paragraph=spec.decision[2]
                    )
                )
            by_spec.append(mine)
        self._create(Party, parties)
        self._create(Decision, decisions)
        self._create(Intervention, overall)
        for spec, mine in zip(specs, by_spec, strict=True):
            for iv, (*_rest, parent) in zip(mine["interventions"], spec.interventions, strict=True):
                if parent is not None:
                    iv.parent = mine["interventions"][parent]
        self._create(Intervention, local)
        top_goals: list[Goal] = []
        sub_goals: list[Goal] = []
        for spec, a, mine in zip(specs, agreements, by_spec, strict=True):
            mine["goals"] = [
                Goal(
                    agreement=a,
                    text=g.text,
                    intervention=mine["interventions"][g.intervention] if g.intervention is not None else None,
                    position=i,
                )
                for i, g in enumerate(spec.goals)
            ]
            for goal, g in zip(mine["goals"], spec.goals, strict=True):
                (top_goals if g.parent is None else sub_goals).append(goal)
        self._create(Goal, top_goals)
        for spec, mine in zip(specs, by_spec, strict=True):
            for goal, g in zip(mine["goals"], spec.goals, strict=True):
                if g.parent is not None:
                    goal.parent = mine["goals"][g.parent]
        self._create(Goal, sub_goals)
        indicators, collectors = [], []
        for spec, mine in zip(specs, by_spec, strict=True):
            party_of = {p.organisation_id: p for p in mine["parties"]}
            mine["indicators"] = []
            for goal, g in zip(mine["goals"], spec.goals, strict=True):
                for j, ind in enumerate(g.indicators):
                    obj = Indicator(
                        goal=goal,
                        name=ind.name,
                        kind=ind.kind,
                        dimensions=list(ind.dimensions),
                        follow_ups_per_year=ind.follow_ups,
                        baseline=ind.baseline,
                        target=ind.target,
                        position=j,
                    )
                    indicators.append(obj)
                    mine["indicators"].append(obj)
                    collectors.append((obj, [party_of[pk] for pk in ind.collectors]))
        self._create(Indicator, indicators)
        through = Indicator.collected_by.through
        self._create(through, [through(indicator_id=obj.pk, party_id=p.pk) for obj, ps in collectors for p in ps])
        terms_rows, source_rows, line_rows, payment_rows = [], [], [], []
        for spec, a, mine in zip(specs, agreements, by_spec, strict=True):
            actor = spec.officer
            for iv in mine["interventions"]:
                events.append(
                    _event(
                        actor,
                        "intervention.created",
                        gettext_noop("Intervention added: %s"),
                        [str(iv)],
                        iv,
                        a.pk,
                        diff({}, snapshot(iv)),
                    )
                )
            for goal in mine["goals"]:
                events.append(
                    _event(
                        actor,
                        "goal.created",
                        gettext_noop("Goal added: %s"),
                        [str(goal)],
                        goal,
                        a.pk,
                        diff({}, snapshot(goal)),
                    )
                )
            for ind in mine["indicators"]:
                events.append(
                    _event(
                        actor,
                        "indicator.created",
                        gettext_noop("Indicator added: %s"),
                        [str(ind)],
                        ind,
                        a.pk,
                        diff({}, snapshot(ind)),
                    )
                )
            if spec.terms is not None:
                sources = [FundingSource(agreement=a, position=i, **source) for i, source in enumerate(spec.sources)]
                terms = FinanceTerms(agreement=a, **_terms_data(spec, self.series))
                plan = calculations.new_plan(a, terms, sources, self.values if terms.index_series_id else [])
                terms_rows.append(terms)
                source_rows += sources
                line_rows += [
                    BudgetLine(
                        agreement=a,
                        label=label,
                        category=category,
                        staffing_note=staffing,
                        annual_amount=amount,
                        intervention=mine["interventions"][intervention] if intervention is not None else None,
                        funding_source="",
                        position=i,
                    )
                    for i, (label, category, staffing, amount, intervention) in enumerate(spec.lines)
                ]
                mine["payments"] = []
                for p in plan:
                    row = Payment(
                        agreement=a,
                        key=p.key,
                        due_on=p.due_on,
                        amount=p.amount,
                        funding_source=p.funding_source,
                        covers_from=p.covers.start,
                        covers_to=p.covers.end,
                        adjusts=p.adjusts or "",
                        status=Payment.Status.PLANNED,
                    )
                    recorded = recording(spec, p.key, p.due_on, self.today)
                    if recorded is not None:
                        row.status, row.invoice_number, row.invoiced_on, row.paid_on = recorded
                        row.version = 2  # one recorded change, as payment_record moves it on
                    payment_rows.append(row)
                    mine["payments"].append(row)
                mine["terms"], mine["sources"], mine["plan"] = terms, sources, plan
        self._create(FinanceTerms, terms_rows)
        self._create(FundingSource, source_rows)
        self._create(BudgetLine, line_rows)
        self._create(Payment, payment_rows)
        for spec, a, mine in zip(specs, agreements, by_spec, strict=True):
            actor = spec.officer
            if spec.terms is not None:
                for source in mine["sources"]:
                    events.append(
                        _event(
                            actor,
                            "finance.funding_source_saved",
                            gettext_noop("Funding source saved: %s"),
                            [str(source)],
                            source,
                            a.pk,
                            diff({}, snapshot(source)),
                        )
                    )
                terms = mine["terms"]
                events.append(
                    _event(
                        actor,
                        "finance.terms_saved",
                        gettext_noop("Money terms saved"),
                        {},
                        terms,
                        a.pk,
                        diff({}, snapshot(terms)),
                    )
                )
                if mine["plan"]:
                    events.append(
                        _event(
                            actor,
                            "payment_plan.regenerated",
                            gettext_noop("Payment plan updated"),
                            {},
                            a,
                            a.pk,
                            {"added": [None, len(mine["plan"])], "changed": [None, 0], "removed": [None, 0]},
                        )
                    )
                for row in mine["payments"]:
                    if row.status != Payment.Status.PLANNED:
                        params = {"due": row.due_on.isoformat(), "status": choice_param(row, "status", lower=True)}
                        events.append(
                            _event(
                                actor,
                                "payment.recorded",
                                gettext_noop("Payment due %(due)s: %(status)s"),
                                params,
                                row,
                                a.pk,
                                {
                                    "status": ["planned", row.status],
                                    "version": [1, 2],
                                    "amount_paid": [None, money_param(row.amount)["value"]],
                                },
                            )
                        )
            previous = "draft"
            for target in transitions_to(spec.status):
                a.status = previous
                old = choice_param(a, "status")
                a.status = target
                events.append(
                    _event(
                        actor,
                        "agreement.status_changed",
                        gettext_noop("Status changed from %(old)s to %(new)s"),
                        {"old": old, "new": choice_param(a, "status")},
                        a,
                        a.pk,
                        {"status": [previous, target]},
                    )
                )
                previous = target
        self._create(AuditEvent, events)
        return agreements

    def _create(self, model: type[models.Model], rows: list[Any]) -> None:
        if rows:
            model._default_manager.bulk_create(rows, batch_size=1000)
            self.rows[model._meta.label] += len(rows)


# Comparing what the two writers wrote --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def canonical(agreement_id: int) -> dict[str, Any]:
    """Every row the agreement owns, as comparable values: ids replaced by positions, organisations by id."""
    a = Agreement.objects.get(pk=agreement_id)
    interventions = list(Intervention.objects.filter(agreement=a).order_by("position", "id"))
    iv_pos = {iv.pk: i for i, iv in enumerate(interventions)}
    goals = list(Goal.objects.filter(agreement=a).order_by("position", "id"))
    goal_pos = {g.pk: i for i, g in enumerate(goals)}
    parties = list(Party.objects.filter(agreement=a).order_by("position", "id"))
    party_org = {p.pk: p.organisation_id for p in parties}
    indicators = (
        Indicator.objects.filter(goal__agreement=a)
        .order_by("goal__position", "position", "id")
        .prefetch_related("collected_by")
    )
    result: dict[str, Any] = {
        "agreement": {
            k: _plain(getattr(a, k))
            for k in (
                *agreement_services.AGREEMENT_FIELDS[:2],
                "case_officer_id",
                *agreement_services.AGREEMENT_FIELDS[3:],
            )
        }
        | {
            "status": a.status,
            "shared_with_partners": a.shared_with_partners,
            "created_by_id": a.created_by_id,
            "version": a.version,
        },
        "parties": [
            (p.organisation_id, p.role, p.signatory_name, p.signatory_title, p.position, p.status, p.version)
            for p in parties
        ],
        "decisions": [
            (d.body, _plain(d.decided_on), d.paragraph, _plain(d.fsg_informed_on))
            for d in Decision.objects.filter(agreement=a).order_by("id")
        ],
        "interventions": [
            (
                iv.kind,
                iv.label,
                iv.title,
                iv.description,
                iv.position,
                iv_pos.get(iv.parent_id) if iv.parent_id else None,
                iv.version,
            )
            for iv in interventions
        ],
        "goals": [
            (
                g.text,
                g.position,
                iv_pos.get(g.intervention_id) if g.intervention_id else None,
                goal_pos.get(g.parent_id) if g.parent_id else None,
                g.version,
            )
            for g in goals
        ],
        "indicators": [
            (
                goal_pos[i.goal_id],
                i.name,
                i.kind,
                list(i.dimensions),
                i.follow_ups_per_year,
                _plain(i.baseline),
                _plain(i.target),
                i.position,
                sorted(party_org[p.pk] for p in i.collected_by.all()),
                i.version,
            )
            for i in indicators
        ],
        "terms": [
            tuple(
                _plain(getattr(t, f if f != "index_series" else "index_series_id"))
                for f in finance_services.TERMS_FIELDS
            )
            + (t.version,)
            for t in FinanceTerms.objects.filter(agreement=a)
        ],
        "sources": [
            (
                s.name,
                _plain(s.annual_amount),
                _plain(s.share_percent),
                s.invoiced_separately,
                s.co_financing,
                s.position,
                s.version,
            )
            for s in FundingSource.objects.filter(agreement=a).order_by("position", "id")
        ],
        "budget_lines": [
            (
                b.label,
                b.category,
                b.staffing_note,
                _plain(b.annual_amount),
                iv_pos.get(b.intervention_id) if b.intervention_id else None,
                b.funding_source,
                b.position,
                b.version,
            )
            for b in BudgetLine.objects.filter(agreement=a).order_by("position", "id")
        ],
        "payments": [
            (
                p.key,
                _plain(p.due_on),
                _plain(p.amount),
                p.funding_source,
                _plain(p.covers_from),
                _plain(p.covers_to),
                p.adjusts,
                p.status,
                p.invoice_number,
                _plain(p.invoiced_on),
                _plain(p.paid_on),
                p.note,
                p.version,
            )
            for p in Payment.objects.filter(agreement=a).order_by("key")
        ],
        "year_amounts": [
            (y.year, y.months, _plain(y.base_amount), _plain(y.indexed_amount), y.is_forecast)
            for y in YearAmount.objects.filter(agreement=a).order_by("year")
        ],
        "year_source_amounts": [
            (y.year, y.position, y.source, _plain(y.amount))
            for y in YearSourceAmount.objects.filter(agreement=a).order_by("year", "position")
        ],
        "commitment_summary": [
            (c.partners, c.partner_names, c.problem_code, c.problem_params)
            for c in CommitmentSummary.objects.filter(agreement=a)
        ],
    }
    return result


def differences(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    found = []
    for part in left:
        if left[part] != right[part]:
            if isinstance(left[part], dict):
                keys = [k for k in left[part] if left[part][k] != right[part].get(k)]
                found.append(f"{part}: {', '.join(f'{k} {left[part][k]!r} ≠ {right[part].get(k)!r}' for k in keys)}")
            else:
                only_left = [row for row in left[part] if row not in right[part]]
                only_right = [row for row in right[part] if row not in left[part]]
                found.append(f"{part}: bulk only {only_left[:3]!r}; services only {only_right[:3]!r}")
    return found


def verify(
    specs: list[tuple[Spec, int]], series: IndexSeries, controller_of: Callable[[Spec], User], today: dt.date
) -> dict[str, Any]:
    """A few bulk agreements, each built again through the services (a twin, removed afterwards) and compared
    row by row, then its own plan regenerated through the service: nothing may differ and nothing may change."""
    checked, problems = [], []
    for spec, bulk_id in specs:
        twin = create_through_services(spec, series, today)
        try:
            found = differences(canonical(bulk_id), canonical(twin.pk))
        finally:
            with transaction.atomic():
                Agreement.objects.filter(pk=twin.pk).delete()
        before = canonical(bulk_id)
        counts = finance_services.payment_plan_regenerate(
            actor=controller_of(spec), agreement=Agreement.objects.get(pk=bulk_id), as_of=today
        )
        changed = {k: v for k, v in counts.items() if k != "keep" and v}
        if changed:
            found.append(f"payment_plan_regenerate changed the bulk plan: {changed}")
        if canonical(bulk_id) != before:
            found.append("payment_plan_regenerate rewrote rows of the bulk plan")
        payments = len(before["payments"])
        recorded = sum(1 for p in before["payments"] if p[7] != "planned")
        line = f"agreement {bulk_id} ({spec.status}, {spec.diversity()}): {payments} payments, {recorded} recorded"
        checked.append({"agreement": bulk_id, "payments": payments, "recorded": recorded, "equal": not found})
        if found:
            problems.append({"agreement": bulk_id, "differences": found})
            progress(f"  ✗ {line}: DIFFERS\n    " + "\n    ".join(found))
        else:
            progress(f"  ✓ {line}: identical to the services' (rows and plan), regeneration changes nothing")
    return {"checked": checked, "problems": problems}


def pick_for_verification(specs: Iterable[tuple[Spec, int]], count: int) -> list[tuple[Spec, int]]:
    """Bulk agreements with different kinds of plans (rule, basis, index, sources), recorded payments first."""
    chosen, seen = [], set()
    candidates = sorted(specs, key=lambda item: (item[0].status in ("draft", "decided"), item[0].terms is None))
    for spec, pk in candidates:
        key = spec.diversity()
        if key not in seen and spec.terms is not None:
            seen.add(key)
            chosen.append((spec, pk))
        if len(chosen) >= count:
            break
    return chosen


# The whole build ------------------------------------------------------------------------------------------------


@dataclass
class World:
    """What the measurements need from the built register."""

    agreements: int
    sample_ids: list[int]
    tenant: Tenant
    superuser: User
    keeper: User
    partner: User  # the partner login of a national non-profit that works with the measured municipality
    shared_nonprofit: Organisation
    agreement_id: int  # the measured agreement: the measured municipality's active one with the most payments
    draft_id: int
    series: IndexSeries
    search: str  # a word the agreement search finds in titles and party names
    build_seconds: float
    rows: dict[str, int]
    verification: dict[str, Any]
    verified: list[tuple[Spec, int]]  # the bulk agreements verified, with the specs they were written from
    today: dt.date


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def build(agreements: int, *, sample: int, seed: int, verify_count: int) -> World:
    started = time.perf_counter()
    today = timezone.localdate()
    gen = Generator(agreements, seed, today)
    tenants_orgs, committees, departments, nonprofits = build_organisations(gen)
    tenants, partners, superuser, keeper = build_users(tenants_orgs, committees, departments, nonprofits)
    progress(
        f"built {len(tenants)} tenants, {len(nonprofits)} non-profits and {User.objects.count()} users "
        f"({time.perf_counter() - started:.1f} s)"
    )
    series, values = build_index(keeper)
    shared = nonprofits[0]
    specs: list[Spec] = []
    n = 0
    for tenant, size in zip(tenants, gen.sizes(), strict=True):
        # Each municipality from its own seed: the measured one (0) holds the same 40 agreements at every N.
        gen.rng = random.Random(f"{seed}:{tenant.index}")
        for k in range(size):
            n += 1
            # The measured municipality works with the first national non-profit in many of its agreements.
            pinned = shared if tenant.index == 0 and k % 4 == 0 else None
            specs.append(make_spec(gen, n, tenant, nonprofits, pinned))
    sample_specs, bulk_specs = specs[:sample], specs[sample:]
    sample_ids = []
    t0 = time.perf_counter()
    for i, spec in enumerate(sample_specs, 1):
        sample_ids.append(create_through_services(spec, series, today).pk)
        if i % 10 == 0 or i == len(sample_specs):
            progress(f"through the services: {i}/{len(sample_specs)} agreements ({time.perf_counter() - t0:.1f} s)")
    writer = BulkWriter(series, values, today)
    bulk_ids: list[tuple[Spec, int]] = []
    t0 = time.perf_counter()
    done = 0
    for chunk in _chunks(bulk_specs, 500):
        written = writer.write(chunk)
        bulk_ids += [(spec, a.pk) for spec, a in zip(chunk, written, strict=True)]
        done += len(chunk)
        progress(f"in bulk: {done}/{len(bulk_specs)} agreements ({time.perf_counter() - t0:.1f} s)")
    body = tenants[0].committees[0]
    with (SEEDS / next(p.name for p in sorted(SEEDS.glob("002_*.txt")))).open("rb") as handle:
        draft = document_services.importdraft_import(actor=tenants[0].officer, public_body=body, file=handle)
    progress("verifying the bulk agreements against the services:")
    controllers = {t.index: t.controller for t in tenants}
    verified = pick_for_verification(bulk_ids, verify_count)
    verification = verify(verified, series, lambda s: controllers[s.tenant.index], today)
    # Among the first 20 of the measured municipality, built through the services at every N from N = 100 on:
    # the same agreement whatever the register's size.
    measured = (
        Agreement.objects.filter(
            pk__in=sample_ids[:20],
            parties__organisation__in=tenants[0].committees + list(tenants[0].departments.values()),
        )
        .filter(status="active")
        .annotate(count=models.Count("payments", distinct=True))
        .order_by("-count", "pk")
        .first()
    ) or Agreement.objects.filter(pk__in=sample_ids).first()
    assert measured is not None, "no agreement was built"
    models_counted: list[tuple[str, type[models.Model]]] = [
        ("organisations", Organisation),
        ("users", User),
        ("agreements", Agreement),
        ("parties", Party),
        ("goals", Goal),
        ("indicators", Indicator),
        ("funding_sources", FundingSource),
        ("budget_lines", BudgetLine),
        ("payments", Payment),
        ("year_amounts", YearAmount),
        ("audit_events", AuditEvent),
    ]
    rows = {label: model._default_manager.count() for label, model in models_counted}
    seconds = time.perf_counter() - started
    progress(f"built {agreements} agreements in {seconds:.1f} s: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    return World(
        agreements=agreements,
        sample_ids=sample_ids,
        tenant=tenants[0],
        superuser=superuser,
        keeper=keeper,
        partner=partners[shared.pk],
        shared_nonprofit=shared,
        agreement_id=measured.pk,
        draft_id=draft.pk,
        series=series,
        search=shared.name.split()[0],
        build_seconds=round(seconds, 1),
        rows=rows,
        verification=verification,
        verified=verified,
        today=today,
    )
