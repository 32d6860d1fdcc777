# SPDX-License-Identifier: EUPL-1.2
"""The review page's forms, built from an import draft: every value beside the passage it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.agreements import selectors as agreement_selectors
from apps.agreements.models import Agreement, Indicator, Party
from apps.agreements.services import PartyInput
from apps.core.forms import marked_for_deletion
from apps.organisations.models import Organisation
from domain import lifecycle, orgnr
from domain.money import format_sek

from . import extract, matching, selectors, services
from .forms import (
    NEW,
    SKIP,
    BudgetLineReviewForm,
    GoalReviewForm,
    IndicatorReviewForm,
    PartyReviewForm,
    ReviewForm,
    SectionReviewForm,
    row_formset,
)
from .models import ImportDraft
from .passages import Passage, passage

PARTY_LISTS = (
    ("public_parties", Party.Role.PUBLIC, Organisation.Kind.PUBLIC_BODY),
    ("nonprofit_parties", Party.Role.NON_PROFIT, Organisation.Kind.NON_PROFIT),
    ("dialogue_parties", Party.Role.DIALOGUE, Organisation.Kind.PUBLIC_BODY),
)

FACT_EVIDENCE = {
    "title": "title",
    "case_number": "case_number",
    "case_officer": "case_officer",
    "purpose": "purpose",
    "start_date": "period.start",
    "end_date": "period.end",
    "extension_max_months": "extension_max_months",
    "notice_period_months": "notice_period_months",
    "renewal_decision_months_before_end": "renewal_decision_months_before_end",
    "follow_ups_per_year": "follow_ups_per_year",
}
MONEY_EVIDENCE = {
    "annual_amount": "annual_amount_sek",
    "total_amount": "total_amount_sek",
    "indexation_index": "indexation",
    "indexation_reference_month": "indexation.reference_month",
    "payment_frequency": "payment_schedule",
    "payment_in_advance": "payment_schedule",
    "payment_months": "payment_schedule",
}
GOVERNANCE = (
    ("steering_group_min_meetings_per_year", gettext_lazy("Steering group: meetings per year, at least")),
    ("steering_group_min_members_per_party", gettext_lazy("Steering group: members per party, at least")),
)


TARGET_FIELD, TARGET_NEW, UPDATE_PREFIX = "target", "new", "update:"


@dataclass(frozen=True)
class ExistingAgreement:
    agreement: Agreement
    may_update: bool
    signed: bool = False  # signed or later: changes only by amendment, never overwritten by an import


@dataclass
class PartyRow:
    form: PartyReviewForm
    name: str
    org_number: str
    role_label: str
    passage: Passage | None
    added: bool = False


@dataclass
class GoalRow:
    form: GoalReviewForm
    passage: Passage | None
    indicators: list = field(default_factory=list)


def indicator_kind(text: str, dimensions: list[str]) -> str:
    """A first guess of the indicator's kind from its wording; the reviewer can change it."""
    if dimensions:
        return Indicator.Kind.COUNT_BY_DIMENSIONS
    low = (text or "").casefold()
    if "kvalitativ" in low or "berättelse" in low or "fokusgrupp" in low:
        return Indicator.Kind.QUALITATIVE
    if low.startswith(("andel", "procent")) or "enkät" in low:
        return Indicator.Kind.SHARE
    return Indicator.Kind.COUNT


def _valid_orgnr(value) -> str:
    try:
        return orgnr.normalize(value) if value else ""
    except orgnr.OrgnrError:
        return ""


def _section_title(text: str, label: str) -> tuple[str, dict | None]:
    """The title the document gives a local part: "Del 1 – Kulturtolkar i Angered" → "Kulturtolkar i Angered"."""
    found = re.search(rf"{re.escape(label)}\s*[–:\-]\s*([^\n–]{{3,120}})", text or "")
    if not found:
        return label, None
    title = found.group(1).strip().rstrip(".")
    return title, {"text": found.group(0), "start": found.start(), "end": found.end()}


class DraftReview:
    """All forms of the review page for one draft; bound to POST data when given."""

    def __init__(self, draft: ImportDraft, data=None, *, user=None):
        self.draft = draft
        self.user = user
        self.values = draft.draft or {}
        self.evidence = dict(self.values.get("evidence") or {})
        self.bound = data is not None
        self.data = data
        self.register = selectors.register_entries()
        self.officers = selectors.case_officer_choices(user) if user is not None else None
        self.form = ReviewForm(data, initial=self._fact_initial(), prefix="agreement", officers=self.officers)
        self.target: Agreement | None = None  # set by is_valid(): the agreement to update, or None for a new one
        self.target_errors: list[str] = []
        self._build_parties(data)
        self._build_sections(data)
        self._build_goals(data)
        self._build_budget(data)

    # Building ---------------------------------------------------------------------------------------------

    def passage_for(self, key: str) -> Passage | None:
        return passage(self.draft.text, self.evidence.get(key))

    def _fact_initial(self) -> dict:
        v = self.values
        period = v.get("period") or {}
        index = v.get("indexation") or {}
        schedule = v.get("payment_schedule") or {}
        advance = schedule.get("in_advance")
        return {
            "title": v.get("title") or "",
            "case_number": v.get("case_number") or "",
            "purpose": self._purpose(),
            "case_officer": self._named_officer(),
            "start_date": period.get("start"),
            "end_date": period.get("end"),
            "extension_max_months": v.get("extension_max_months"),
            "notice_period_months": v.get("notice_period_months"),
            "renewal_decision_months_before_end": v.get("renewal_decision_months_before_end"),
            "follow_ups_per_year": v.get("follow_ups_per_year")
            if 1 <= (v.get("follow_ups_per_year") or 0) <= 12
            else 2,
            "annual_amount": v.get("annual_amount_sek"),
            "total_amount": v.get("total_amount_sek"),
            "indexation_index": index.get("index") or "",
            "indexation_reference_month": index.get("reference_month"),
            "payment_frequency": schedule.get("frequency") or "",
            "payment_in_advance": "" if advance is None else ("yes" if advance else "no"),
            "payment_months": ", ".join(str(m) for m in schedule.get("months") or []),
        }

    def _purpose(self) -> str:
        """The draft's purpose, or the paragraph the document states it in."""
        if self.values.get("purpose"):
            return str(self.values["purpose"])
        found = extract.find_purpose(self.draft.text)
        if found is None:
            return ""
        self.evidence.setdefault("purpose", found.evidence(self.draft.text))
        return found.value

    def _named_officer(self) -> int | None:
        """The user the document names as case officer, when he or she is one the reviewer may choose."""
        name = self.values.get("case_officer")
        found = None if name else extract.find_case_officer(self.draft.text)
        if found is not None:
            name = found.value
            self.evidence.setdefault("case_officer", found.evidence(self.draft.text))
        if not name or self.officers is None:
            return None
        matches = [u.pk for u in self.officers if extract.same_person(u.get_full_name(), str(name))]
        return matches[0] if len(matches) == 1 else None

    def _party_specs(self) -> list[dict]:
        specs = []
        for key, role, kind in PARTY_LISTS:
            for i, item in enumerate(self.values.get(key) or []):
                name = item.get("name") if isinstance(item, dict) else item
                number = item.get("org_number") if isinstance(item, dict) else None
                if name or number:
                    specs.append(
                        {
                            "name": name or "",
                            "org_number": _valid_orgnr(number),
                            "role": role,
                            "kind": kind,
                            "evidence": f"{key}.{i}",
                            "added": False,
                        }
                    )
        if not any(s["role"] == Party.Role.PUBLIC for s in specs):
            body = self.draft.public_body
            specs.insert(
                0,
                {
                    "name": body.name,
                    "org_number": body.org_number,
                    "role": Party.Role.PUBLIC,
                    "kind": Organisation.Kind.PUBLIC_BODY,
                    "evidence": None,
                    "added": True,
                },
            )
        return specs

    def _build_parties(self, data) -> None:
        specs = self._party_specs()
        body = self.draft.public_body
        initial, row_kwargs = [], []
        shared: dict[str, Any] = {}  # the register's options, written once for every party row
        for spec in specs:
            candidates = selectors.party_candidates_in_register(spec["name"], spec["org_number"], self.register)
            best = matching.best_match(spec["name"], spec["org_number"], candidates)
            if spec["added"]:
                best = matching.Candidate(body.pk, body.name, body.org_number, 1.0, False)
            if best is None and spec["role"] == Party.Role.PUBLIC:
                # The document's committee is not in the register by that name: propose the body it was uploaded for.
                best = matching.Candidate(body.pk, body.name, body.org_number, 0.0, False)
            if best is not None and best.id not in {c.id for c in candidates}:
                candidates = [best, *candidates]
            initial.append(
                {
                    "role": spec["role"],
                    "match": f"org:{best.id}" if best else NEW,
                    "new_name": spec["name"],
                    "new_org_number": spec["org_number"],
                    "new_kind": spec["kind"],
                }
            )
            row_kwargs.append({"proposed": candidates, "register": self.register, "shared": shared})
        formset_class = row_formset(PartyReviewForm, len(specs))
        self.parties = formset_class(data, prefix="parties", initial=initial, row_kwargs=row_kwargs)
        roles = dict(Party.Role.choices)
        self.party_rows = [
            PartyRow(
                form,
                s["name"],
                s["org_number"],
                str(roles[s["role"]]),
                self.passage_for(s["evidence"]) if s["evidence"] else None,
                s["added"],
            )
            for form, s in zip(self.parties.forms, specs, strict=True)
        ]
        self.party_labels = [s["name"] or s["org_number"] for s in specs]

    def _section_labels(self) -> list[str]:
        labels: list[str] = []
        for item in [*(self.values.get("goals") or []), *(self.values.get("budget_lines") or [])]:
            label = (item.get("section") or "").strip()
            if label and label not in labels:
                labels.append(label)
        return labels

    def _build_sections(self, data) -> None:
        self.section_labels = self._section_labels()
        found = [_section_title(self.draft.text, label) for label in self.section_labels]
        initial = [
            {"label": label, "title": title} for label, (title, _ev) in zip(self.section_labels, found, strict=True)
        ]
        formset_class = forms.formset_factory(
            SectionReviewForm, extra=0, max_num=len(initial), absolute_max=len(initial), validate_max=True
        )
        self.sections = formset_class(data, prefix="sections", initial=initial)
        self.section_rows = [
            (form, passage(self.draft.text, ev)) for form, (_t, ev) in zip(self.sections.forms, found, strict=True)
        ]

    def _section_index(self, label) -> int | None:
        label = (label or "").strip()
        return self.section_labels.index(label) if label in self.section_labels else None

    def _build_goals(self, data) -> None:
        goals = self.values.get("goals") or []
        goal_initial: list[dict[str, Any]] = []
        indicator_initial: list[dict[str, Any]] = []
        for g_index, goal in enumerate(goals):
            goal_initial.append({"text": goal.get("text") or "", "section": self._section_index(goal.get("section"))})
            for ind in goal.get("indicators") or []:
                dims = [d for d in ind.get("dimensions") or [] if d in Indicator.Dimension.values]
                indicator_initial.append(
                    {
                        "goal": g_index,
                        "name": ind.get("text") or "",
                        "kind": indicator_kind(ind.get("text"), dims),
                        "dimensions": dims,
                        "collected_by": matching.match_collectors(ind.get("collected_by") or [], self.party_labels),
                    }
                )
        self.goals = row_formset(GoalReviewForm, len(goal_initial))(
            data, prefix="goals", initial=goal_initial, form_kwargs={"sections": self.section_labels}
        )
        self.indicators = row_formset(IndicatorReviewForm, len(indicator_initial))(
            data, prefix="indicators", initial=indicator_initial, form_kwargs={"parties": self.party_labels}
        )
        for formset, noun in ((self.goals, _("Remove this goal")), (self.indicators, _("Remove this indicator"))):
            for form in formset.forms:
                form.fields["DELETE"].label = noun
        self.goal_rows = [GoalRow(form, self.passage_for(f"goals.{i}")) for i, form in enumerate(self.goals.forms)]
        for i, form in enumerate(self.indicators.forms):
            goal_index = indicator_initial[i]["goal"] if i < len(indicator_initial) else None
            if goal_index is not None and goal_index < len(self.goal_rows):
                self.goal_rows[goal_index].indicators.append(form)

    def _build_budget(self, data) -> None:
        lines = self.values.get("budget_lines") or []
        initial = [
            {
                "label": b.get("label") or "",
                "amount": Decimal(b["amount_sek"]) if b.get("amount_sek") is not None else None,
                "section": self._section_index(b.get("section")),
                "year": b.get("year"),
            }
            for b in lines
        ]
        self.budget = row_formset(BudgetLineReviewForm, len(initial))(
            data, prefix="budget", initial=initial, form_kwargs={"sections": self.section_labels}
        )
        for form in self.budget.forms:
            form.fields["DELETE"].label = _("Remove this cost item")
        self.budget_rows = [(form, self.passage_for(f"budget_lines.{i}")) for i, form in enumerate(self.budget.forms)]

    # Reading ----------------------------------------------------------------------------------------------

    def fact_rows(self, names) -> list[tuple]:
        return [(self.form[name], self.passage_for(key)) for name, key in names.items()]

    @property
    def agreement_rows(self):
        return self.fact_rows(FACT_EVIDENCE)

    @property
    def money_rows(self):
        return self.fact_rows(MONEY_EVIDENCE)

    @property
    def amounts_by_year(self) -> list[tuple[str, str, Passage | None]]:
        by_year = self.values.get("amount_by_year_sek") or {}
        return [
            (year, format_sek(Decimal(amount)), self.passage_for(f"amount_by_year_sek.{year}"))
            for year, amount in sorted(by_year.items())
            if amount is not None
        ]

    @property
    def governance(self) -> list[tuple[str, object, Passage | None]]:
        return [
            (str(label), self.values.get(key), self.passage_for(key))
            for key, label in GOVERNANCE
            if self.values.get(key) is not None
        ]

    @property
    def dialogue_note(self) -> bool:
        return bool(self.values.get("dialogue_parties"))

    def all_formsets(self):
        return [self.parties, self.sections, self.goals, self.indicators, self.budget]

    # The existing agreement with the same case number ----------------------------------------------------

    @cached_property
    def case_number(self) -> str:
        value = self.form["case_number"].value() if self.form.is_bound else self.form.initial.get("case_number")
        return " ".join(str(value or "").split())

    @cached_property
    def existing(self) -> list[ExistingAgreement]:
        """Agreements the reviewer can see with the case number of the draft (as corrected on the page)."""
        if self.user is None:
            return []
        return [
            ExistingAgreement(
                a,
                bool(self.user.has_perm("agreements.change_agreement", a)) and a.status in lifecycle.REPLACEABLE,
                signed=a.status not in lifecycle.REPLACEABLE,
            )
            for a in selectors.agreements_with_case_number(self.user, self.case_number)
        ]

    @property
    def updatable(self) -> list[Agreement]:
        return [e.agreement for e in self.existing if e.may_update]

    def _check_target(self) -> bool:
        """Read the chosen button: create a new agreement, or update an existing one the reviewer may change."""
        raw = str((self.data or {}).get(TARGET_FIELD) or "")
        self.target, self.target_errors = None, []
        if raw.startswith(UPDATE_PREFIX) and raw[len(UPDATE_PREFIX) :].isdigit():
            agreement = (
                agreement_selectors.visible_agreements(self.user).filter(pk=int(raw[len(UPDATE_PREFIX) :])).first()
                if self.user is not None
                else None
            )
            if agreement is None or not self.user.has_perm("agreements.change_agreement", agreement):
                self.target_errors.append(_("The agreement to update was not found, or you may not change it."))
                return False
            self.target = agreement
            return True
        if raw == TARGET_NEW or (not raw and not self.existing):
            return True
        if raw:
            self.target_errors.append(_("Choose whether to create a new agreement or update an existing one."))
        else:
            self.target_errors.append(
                _(
                    "An agreement with the case number %(case_number)s already exists. Choose whether to update it "
                    "or to create a new agreement."
                )
                % {"case_number": self.case_number}
            )
        return False

    def is_valid(self) -> bool:
        valid = self._check_target()
        valid = self.form.is_valid() and valid
        for formset in self.all_formsets():
            valid = formset.is_valid() and valid
        if not (self.parties.is_valid() and self.goals.is_valid() and self.indicators.is_valid()):
            return False
        skipped = {i for i, f in enumerate(self.parties.forms) if f.cleaned_data.get("match") == SKIP}
        removed_goals = {i for i, f in enumerate(self.goals.forms) if marked_for_deletion(self.goals, f)}
        for form in self.indicators.live_forms():
            if form.cleaned_data["goal"] in removed_goals:
                continue
            if form.cleaned_data["goal"] >= len(self.goals.forms):
                form.add_error(None, _("This indicator belongs to no goal."))
            elif set(form.cleaned_data.get("collected_by") or []) & skipped:
                form.add_error("collected_by", _("A party that is left out of the agreement cannot collect the data."))
        return valid and not any(f.errors for f in self.indicators.forms)

    @property
    def forms_with_errors(self) -> list:
        found = [self.form] if self.form.errors else []
        for formset in self.all_formsets():
            found += [f for f in formset.forms if f.errors]
        return found

    @property
    def extra_errors(self) -> list[str]:
        return [
            *self.target_errors,
            *(str(e) for formset in self.all_formsets() if formset.is_bound for e in formset.non_form_errors()),
        ]

    def to_review(self) -> services.Review:
        """What the person confirmed, as input for :func:`services.importdraft_confirm` (call after is_valid)."""
        parties: list[PartyInput | None] = []
        for form in self.parties.forms:
            d = form.cleaned_data
            if d["match"] == SKIP:
                parties.append(None)
            elif d["match"] == NEW:
                parties.append(
                    PartyInput(
                        role=d["role"],
                        new_name=d["new_name"].strip(),
                        new_org_number=d.get("new_org_number") or "",
                        new_kind=d["new_kind"],
                    )
                )
            else:
                parties.append(PartyInput(role=d["role"], organisation=d["organisation"]))
        sections = [
            services.SectionInput(label=f.cleaned_data["label"].strip(), title=f.cleaned_data["title"].strip())
            for f in self.sections.forms
        ]
        goals: dict[int, services.GoalChoice] = {}
        for i, form in enumerate(self.goals.forms):
            if not marked_for_deletion(self.goals, form):
                goals[i] = services.GoalChoice(
                    text=form.cleaned_data["text"].strip(), section=form.cleaned_data.get("section")
                )
        for form in self.indicators.live_forms():
            d = form.cleaned_data
            if d["goal"] in goals:
                goals[d["goal"]].indicators.append(
                    services.IndicatorChoice(
                        name=d["name"].strip(),
                        kind=d["kind"],
                        dimensions=list(d.get("dimensions") or []),
                        collected_by=list(d.get("collected_by") or []),
                    )
                )
        money = services.Money(
            annual_amount=self.form.cleaned_data.get("annual_amount"),
            total_amount=self.form.cleaned_data.get("total_amount"),
            indexation=self.form.indexation(),
            payment_schedule=self.form.payment_schedule(),
            budget_lines=[
                services.BudgetLineChoice(
                    label=f.cleaned_data["label"].strip(),
                    amount=f.cleaned_data["amount"],
                    section=f.cleaned_data.get("section"),
                    year=f.cleaned_data.get("year"),
                )
                for f in self.budget.live_forms()
            ],
        )
        return services.Review(
            data=self.form.agreement_data(),
            parties=parties,
            sections=sections,
            goals=list(goals.values()),
            follow_ups_per_year=self.form.cleaned_data["follow_ups_per_year"],
            money=money,
        )
