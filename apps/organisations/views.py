# SPDX-License-Identifier: EUPL-1.2
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.audit.concurrency import changes_since
from apps.audit.display import HistoryEntry
from apps.core.forms import add_validation_error

from . import pages, selectors, services
from .forms import OrganisationFilterForm, OrganisationForm
from .models import Organisation


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def organisation_list(request):
    _require(request.user, "organisations.view_organisation")
    form = OrganisationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organisations(request.user, q=data.get("q", ""), kind=data.get("kind", ""))
    columns = pages.count_columns()
    page = Paginator(selectors.with_counts(request.user, qs), 50).get_page(request.GET.get("page"))
    rows = [(o, [getattr(o, f"count_{c.name}") for c in columns]) for o in page.object_list]
    return render(
        request,
        "organisations/list.html",
        {
            "nav": "organisations",
            "filter_form": form,
            "page_obj": page,
            "rows": rows,
            "count_columns": columns,
            "can_add": request.user.has_perm("organisations.add_organisation"),
        },
    )


@login_required
def organisation_detail(request, pk: int):
    _require(request.user, "organisations.view_organisation")
    org = selectors.access_organisation(request.user, pk, perm="organisations.view_organisation")
    parent, children = selectors.neighbours(request.user, org)
    return render(
        request,
        "organisations/detail.html",
        {
            "nav": "organisations",
            "organisation": org,
            "parent": parent,
            "sections": pages.render_sections(request, org),
            "children": children,
            "can_change": request.user.has_perm("organisations.change_organisation", org),
        },
    )


def _form_page(request, org: Organisation | None):
    form = OrganisationForm(request.POST or None, instance=org, user=request.user)
    conflict: list[HistoryEntry] | None = None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in OrganisationForm.Meta.fields}
        try:
            if org is None:
                org = services.organisation_create(actor=request.user, data=data)
                messages.success(request, _("The organisation was registered."))
            else:
                services.organisation_update(
                    actor=request.user, organisation=org, data=data, expected_version=form.read_version
                )
                messages.success(request, _("The changes were saved."))
            return redirect("organisations:detail", pk=org.pk)
        except ValidationError as exc:
            add_validation_error(form, exc)
            if org is not None and form.refused_as_stale(exc):
                conflict = changes_since(org, form.read_version)
    return render(
        request,
        "organisations/form.html",
        {
            "nav": "organisations",
            "form": form,
            "organisation": org,
            "forms_with_errors": [form] if form.errors else [],
            "conflict": conflict,
        },
        status=409 if conflict is not None else 400 if request.method == "POST" else 200,
    )


@login_required
def organisation_create(request):
    _require(request.user, "organisations.add_organisation")
    return _form_page(request, None)


@login_required
def organisation_edit(request, pk: int):
    org = selectors.access_organisation(request.user, pk, perm="organisations.change_organisation")
    return _form_page(request, org)
