# SPDX-License-Identifier: EUPL-1.2
"""Agreement pages. Thin: forms validate input, services write, selectors read within the user's scope."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.concurrency import changes_since
from apps.audit.display import HistoryEntry, history_rows
from apps.audit.selectors import agreement_events
from apps.core.cache import ACCESS, REGISTER, cached, cached_html, csrf_placeholder, with_csrf_token
from apps.core.forms import add_validation_error, marked_for_deletion, validation_messages
from domain import lifecycle

from . import exports, history, selectors, services
from .forms import (
    AgreementForm,
    BasePartyFormSet,
    GoalForm,
    IndicatorForm,
    InterventionForm,
    InvitationAnswerForm,
    PartyFormSet,
    RegisterFilterForm,
    TransitionForm,
    party_choices,
    party_initial,
)
from .models import Agreement, Goal, Indicator, Intervention, Party


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _page_key(request: HttpRequest, *parts: object) -> str:
    """A key for a fragment cached for this user: their id, the language, the day and ``parts``."""
    return ":".join(str(p) for p in (request.user.pk, translation.get_language(), timezone.localdate(), *parts))


def _list_content(request: HttpRequest, extra: dict[str, Any]) -> str:
    choices = selectors.register_choices(request.user)
    filter_form = RegisterFilterForm(request.GET or None, public_bodies=choices.public_bodies, years=choices.years)
    flt = filter_form.to_filter() if request.GET else selectors.RegisterFilter()
    page = Paginator(selectors.register(request.user, flt), 25).get_page(request.GET.get("page"))
    context = {
        "filter_form": filter_form,
        "page_obj": page,
        "agreements": page.object_list,
        "total": page.paginator.count,
        "can_add": request.user.has_perm("agreements.add_agreement"),
        "can_answer": request.user.has_perm("agreements.view_invitations"),
        "invitations": selectors.invitation_count(request.user),
        **extra,
    }
    return render_to_string("agreements/_list_content.html", context, request=request)


@login_required
def agreement_list(request):
    fmt = request.GET.get("format")
    if fmt in exports.FORMATS:
        choices = selectors.register_choices(request.user)
        form = RegisterFilterForm(request.GET, public_bodies=choices.public_bodies, years=choices.years)
        return exports.register_response(selectors.register(request.user, form.to_filter()), fmt)
    # The page's content for this user and query, from the shared cache until the register, their memberships
    # or their rights next change (apps.core.cache): a hit reads neither their scope nor the agreements.
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]  # whatever was typed, a key of the same length
    content = cached_html(
        request,
        "agreements.list.2",
        scope=_page_key(request, digest),
        render=lambda extra: _list_content(request, extra),
        depends_on=(REGISTER, ACCESS),
    )
    return render(request, "agreements/list.html", {"nav": "agreements", "content": content})


def _party_inputs(formset: BasePartyFormSet) -> list[services.PartyInput]:
    rows = []
    for form in formset.forms:
        if form.is_blank or marked_for_deletion(formset, form):
            continue
        d = form.cleaned_data
        rows.append(
            services.PartyInput(
                role=d["role"],
                organisation=d.get("organisation"),
                new_name=(d.get("new_name") or "").strip(),
                new_org_number=d.get("new_org_number") or "",
                new_kind=d.get("new_kind") or "non_profit",
                signatory_name=d.get("signatory_name") or "",
                signatory_title=d.get("signatory_title") or "",
            )
        )
    return rows


def _agreement_form_page(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    creating = agreement is None
    if request.method == "POST":
        form = AgreementForm(request.POST, instance=agreement or Agreement(), user=request.user)
        formset = PartyFormSet(request.POST, prefix="parties", form_kwargs={"choices": party_choices(request.user)})
        extra_errors: list[str] = []
        conflict: list[HistoryEntry] | None = None
        if form.is_valid() and formset.is_valid():
            data = {k: form.cleaned_data[k] for k in AgreementForm.Meta.fields}
            decision = form.decision_data()
            decision_input = services.DecisionInput(**decision) if decision else None
            try:
                if agreement is None:
                    agreement = services.agreement_create(
                        actor=request.user, data=data, parties=_party_inputs(formset), decision=decision_input
                    )
                    messages.success(request, _("The agreement was registered."))
                else:
                    services.agreement_update(
                        actor=request.user,
                        agreement=agreement,
                        data=data,
                        parties=_party_inputs(formset),
                        decision=decision_input,
                        expected_version=form.read_version,
                    )
                    messages.success(request, _("The changes were saved."))
                return redirect("agreements:detail", pk=agreement.pk)
            except ValidationError as exc:
                extra_errors = validation_messages(exc)
                if agreement is not None and form.refused_as_stale(exc):
                    conflict = changes_since(agreement, form.read_version)
    else:
        form = AgreementForm(instance=agreement, user=request.user)
        initial = party_initial(agreement) if agreement else [{"role": "public"}, {"role": "nonprofit"}]
        formset = PartyFormSet(prefix="parties", initial=initial, form_kwargs={"choices": party_choices(request.user)})
        extra_errors = []
        conflict = None
    forms_with_errors = [f for f in [form, *formset.forms] if f.errors]
    extra_errors = [*formset.non_form_errors(), *extra_errors] if formset.is_bound else extra_errors
    return render(
        request,
        "agreements/form.html",
        {
            "nav": "agreements",
            "form": form,
            "formset": formset,
            "agreement": agreement,
            "creating": creating,
            "forms_with_errors": forms_with_errors,
            "extra_errors": extra_errors,
            "conflict": conflict,
        },
        status=409 if conflict is not None else 400 if request.method == "POST" else 200,
    )


@login_required
def agreement_create(request):
    _require(request.user, "agreements.add_agreement")
    return _agreement_form_page(request, None)


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.access_agreement(request.user, pk, perm="agreements.change_agreement")
    if agreement.status in lifecycle.FINAL:
        messages.error(request, _("An agreement that has ended can no longer be changed."))
        return redirect("agreements:detail", pk=pk)
    return _agreement_form_page(request, agreement)


def _detail(request: HttpRequest, pk: int) -> tuple[str, str, str]:
    """The agreement page's title, address and content (the CSRF token a placeholder), after the access check."""
    agreement = selectors.access_agreement(request.user, pk, perm="agreements.view_agreement", detail=True)
    can_change = request.user.has_perm("agreements.change_agreement", agreement)
    targets = []
    if request.user.has_perm("agreements.transition_agreement", agreement):
        labels = dict(Agreement.Status.choices)
        allowed = lifecycle.allowed_targets(lifecycle.Status(agreement.status))
        targets = [(t.value, labels[t.value]) for t in sorted(allowed)]
    content = render_to_string(
        "agreements/_detail_content.html",
        {
            "agreement": agreement,
            "can_change": can_change and agreement.status not in lifecycle.FINAL,
            "targets": targets,
            "agreement_goals": [g for g in agreement.goals.all() if g.intervention_id is None],
            "waiting": [p.organisation.name for p in agreement.parties.all() if p.status == Party.Status.INVITED],
            "declined": [p.organisation.name for p in agreement.parties.all() if p.status == Party.Status.DECLINED],
            "renames": history.recent_renames(agreement),
            "csrf_token": csrf_placeholder(),
        },
        request=request,
    )
    return agreement.title, agreement.get_absolute_url(), content


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Computed after the full access check (404 for anyone who may not see it, never cached), then kept for this
    # user until the register, their memberships or their rights next change (apps.core.cache): every write
    # that could take the agreement from them retires it, so a hit is answered without reading it again.
    title, url, content = cached(
        "agreements.detail.2",
        scope=_page_key(request, pk),
        compute=lambda: _detail(request, pk),
        depends_on=(REGISTER, ACCESS),
    )
    return render(
        request,
        "agreements/detail.html",
        {"nav": "agreements", "title": title, "url": url, "content": with_csrf_token(request, content)},
    )


@login_required
@require_POST
def agreement_transition(request, pk: int):
    agreement = selectors.access_agreement(request.user, pk, perm="agreements.transition_agreement")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("agreements:detail", pk=pk)
    try:
        services.agreement_transition(
            actor=request.user, agreement=agreement, target=form.cleaned_data["target"], note=form.cleaned_data["note"]
        )
        messages.success(request, _("The status was changed."))
    except ValidationError as exc:
        messages.error(request, " ".join(validation_messages(exc)))
    return redirect("agreements:detail", pk=pk)


@login_required
@require_POST
def agreement_share(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Visa för parterna": show a hidden (imported) agreement to its non-profit parties' staff."""
    agreement = selectors.access_agreement(request.user, pk, perm="agreements.change_agreement")
    services.agreement_share_with_partners(actor=request.user, agreement=agreement)
    messages.success(request, _("The agreement is now shown to the partners."))
    return redirect("agreements:detail", pk=pk)


@login_required
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.access_agreement(request.user, pk, perm="agreements.view_agreement")
    events = agreement_events(agreement, also=history.shared_organisation_changes(agreement))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    entries = history.history_entries(history_rows(page.object_list))
    return render(
        request,
        "agreements/history.html",
        {"nav": "agreements", "agreement": agreement, "page_obj": page, "entries": entries},
    )


# Interventions, goals, indicators -----------------------------------------------------------------------


def _child_page(request, agreement, form, title: str, save, cancel_anchor: str, delete_kind: str):
    conflict: list[HistoryEntry] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save(form)
            messages.success(request, _("Saved."))
            return redirect(f"{agreement.get_absolute_url()}#{cancel_anchor}")
        except ValidationError as exc:
            add_validation_error(form, exc)
            if form.refused_as_stale(exc):
                conflict = changes_since(form.instance, form.read_version)
    return render(
        request,
        "agreements/child_form.html",
        {
            "nav": "agreements",
            "agreement": agreement,
            "form": form,
            "title": title,
            "forms_with_errors": [form] if form.errors else [],
            "cancel_anchor": cancel_anchor,
            "delete_kind": delete_kind,
            "conflict": conflict,
        },
        status=409 if conflict is not None else 400 if request.method == "POST" else 200,
    )


def _editable(request, pk: int) -> Agreement:
    agreement = selectors.access_agreement(request.user, pk, perm="agreements.change_agreement")
    if agreement.status in lifecycle.FINAL:
        raise PermissionDenied
    return agreement


@login_required
def intervention_form(request, pk: int, intervention_id: int | None = None):
    agreement = _editable(request, pk)
    instance = (
        selectors.access_intervention(request.user, intervention_id, agreement=agreement) if intervention_id else None
    )
    form = InterventionForm(request.POST or None, instance=instance, agreement=agreement)
    title = _("Edit intervention") if instance else _("Add intervention")

    def save(f):
        services.intervention_save(
            actor=request.user,
            agreement=agreement,
            data=f.cleaned_data,
            intervention=instance,
            expected_version=f.read_version,
        )

    return _child_page(request, agreement, form, title, save, "interventions", "insats")


@login_required
def goal_form(request, pk: int, goal_id: int | None = None):
    agreement = _editable(request, pk)
    instance = selectors.access_goal(request.user, goal_id, agreement=agreement) if goal_id else None
    initial = {"intervention": request.GET.get("intervention")} if not instance else None
    form = GoalForm(request.POST or None, instance=instance, agreement=agreement, initial=initial)
    title = _("Edit goal") if instance else _("Add goal")

    def save(f):
        services.goal_save(
            actor=request.user, agreement=agreement, data=f.cleaned_data, goal=instance, expected_version=f.read_version
        )

    return _child_page(request, agreement, form, title, save, "goals", "mal")


@login_required
def indicator_form(request, pk: int, goal_id: int, indicator_id: int | None = None):
    agreement = _editable(request, pk)
    goal = selectors.access_goal(request.user, goal_id, agreement=agreement)
    instance = (
        selectors.access_indicator(request.user, indicator_id, agreement=agreement, goal=goal) if indicator_id else None
    )
    form = IndicatorForm(request.POST or None, instance=instance, agreement=agreement)
    title = _("Edit indicator") if instance else _("Add indicator")

    def save(f):
        d = f.cleaned_data
        services.indicator_save(
            actor=request.user,
            goal=goal,
            indicator=instance,
            expected_version=f.read_version,
            data=services.IndicatorInput(
                name=d["name"],
                kind=d["kind"],
                dimensions=d.get("dimensions") or [],
                collected_by=list(d.get("collected_by") or []),
                follow_ups_per_year=d["follow_ups_per_year"],
                baseline=d.get("baseline"),
                target=d.get("target"),
            ),
        )

    return _child_page(request, agreement, form, title, save, "goals", "indikator")


@login_required
@require_POST
def child_delete(request: HttpRequest, pk: int, kind: str, child_id: int) -> HttpResponse:
    agreement = _editable(request, pk)
    obj: Intervention | Goal | Indicator
    if kind == "insats":
        obj = selectors.access_intervention(request.user, child_id, agreement=agreement)
    elif kind == "mal":
        obj = selectors.access_goal(request.user, child_id, agreement=agreement)
    elif kind == "indikator":
        obj = selectors.access_indicator(request.user, child_id, agreement=agreement)
    else:
        raise Http404
    services.agreement_child_delete(actor=request.user, obj=obj)
    messages.success(request, _("Removed."))
    return redirect(f"{agreement.get_absolute_url()}#{'interventions' if isinstance(obj, Intervention) else 'goals'}")


# Invitations: another municipality's or region's body is invited as a party ------------------------------


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """ "Inbjudningar": the pending invitations to the bodies the case officer answers for."""
    _require(request.user, "agreements.view_invitations")
    return render(
        request,
        "agreements/invitations.html",
        {
            "nav": "invitations",
            "invitations": selectors.invitation_list(request.user),
            "form": InvitationAnswerForm(),
        },
    )


@login_required
@require_POST
def invitation_answer(request: HttpRequest, party_id: int) -> HttpResponse:
    """Accept or decline one invitation (a POST from the invitations page, with the version it was read at)."""
    party = selectors.access_party_invitation(request.user, party_id, perm="agreements.answer_invitation")
    form = InvitationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("agreements:invitations")
    data = form.cleaned_data
    try:
        if data["answer"] == InvitationAnswerForm.ACCEPT:
            services.party_invitation_accept(actor=request.user, party=party, expected_version=data["version"])
        else:
            services.party_invitation_decline(
                actor=request.user, party=party, reason=data["reason"], expected_version=data["version"]
            )
    except ValidationError as exc:
        messages.error(request, " ".join(validation_messages(exc)))
        return redirect("agreements:invitations")
    name, title = party.organisation.name, party.agreement.title
    if data["answer"] == InvitationAnswerForm.ACCEPT:
        messages.success(request, _("%(name)s is now a party to “%(title)s”.") % {"name": name, "title": title})
        return redirect("agreements:detail", pk=party.agreement_id)
    messages.success(
        request,
        _("You declined the invitation to “%(title)s”. The inviting party sees your answer on the agreement.")
        % {"title": title},
    )
    return redirect("agreements:invitations")
