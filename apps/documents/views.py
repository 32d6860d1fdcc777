# SPDX-License-Identifier: EUPL-1.2
"""Import pages. Thin: forms validate input, services write, selectors read within the user's scope."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import validation_messages

from . import selectors, services
from .forms import UploadForm
from .models import ImportDraft
from .review import DraftReview

DRAFTS_PER_PAGE = 25


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def draft_list(request):
    _require(request.user, "documents.add_importdraft")
    # Each section pages on its own (?pending=2&failed=3 …), so none grows with the number of drafts.
    Status = ImportDraft.Status
    sections = {
        "reading": (Status.READING,),
        "pending": (Status.PENDING,),
        "failed": (Status.FAILED,),
        "handled": (Status.ACCEPTED, Status.REJECTED),
    }
    counts = selectors.draft_counts(request.user)  # one query for every section's count
    pages = {}
    for name, statuses in sections.items():
        paginator = Paginator(selectors.draft_list(request.user, statuses), DRAFTS_PER_PAGE)
        paginator.count = sum(counts.get(status, 0) for status in statuses)  # counted above, with the other sections
        pages[name] = paginator.get_page(request.GET.get(f"{name}_page"))
    return render(request, "documents/list.html", {"nav": "import", **pages})


@login_required
def draft_upload(request):
    _require(request.user, "documents.add_importdraft")
    bodies = list(selectors.upload_public_bodies(request.user))
    form = UploadForm(request.POST or None, request.FILES or None, public_bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.importdraft_upload(
                actor=request.user, public_body=form.cleaned_data["public_body"], file=form.cleaned_data["file"]
            )
        except services.AlreadyImported as exc:
            form.add_error("file", exc.messages[0])
        except ValidationError as exc:
            for message in validation_messages(exc):
                form.add_error("file", message)
        else:
            # The file is read by a task once the upload has committed: at once in the quick start (then the
            # draft is ready or failed here), by a worker in production (then the page shows its progress).
            draft.refresh_from_db()
            if draft.status == ImportDraft.Status.FAILED:
                form.add_error("file", draft.failure_text)
            else:
                if draft.status == ImportDraft.Status.PENDING:
                    messages.success(request, _("The document was read. Check the values and create the agreement."))
                return redirect(draft.get_absolute_url())
    return render(
        request,
        "documents/upload.html",
        {
            "nav": "import",
            "form": form,
            "forms_with_errors": [form] if form.errors else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def draft_review(request, pk: int):
    draft = selectors.access_import_draft(request.user, pk, perm="documents.view_importdraft")
    if draft.status == ImportDraft.Status.READING:
        return _reading(request, draft)
    if draft.status != ImportDraft.Status.PENDING:
        return render(request, "documents/handled.html", {"nav": "import", "draft": draft})
    _require(request.user, "documents.change_importdraft", draft)
    review = DraftReview(draft, request.POST if request.method == "POST" else None, user=request.user)
    extra_errors: list[str] = []
    if request.method == "POST" and review.is_valid():
        try:
            agreement = services.importdraft_confirm(
                actor=request.user, draft=draft, review=review.to_review(), into=review.target
            )
        except ValidationError as exc:
            extra_errors = validation_messages(exc)
        else:
            messages.success(
                request,
                _("The agreement was updated from the imported document.")
                if review.target
                else _(
                    "The agreement was created from the imported document. It is not shown to the "
                    "partners until you choose to show it."
                ),
            )
            return redirect(agreement.get_absolute_url())
    return render(
        request,
        "documents/review.html",
        {
            "nav": "import",
            "draft": draft,
            "review": review,
            "forms_with_errors": review.forms_with_errors if review.bound else [],
            "extra_errors": [*review.extra_errors, *extra_errors] if review.bound else [],
            "finance_available": services.finance_apply() is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


def _htmx(request: HttpRequest) -> bool:
    """Asked by htmx (django-htmx sets ``request.htmx``)?"""
    return bool(getattr(request, "htmx", False))


READING_SLOW_AFTER = dt.timedelta(minutes=2)  # no worker has taken it, or it hangs: say so


def _reading(request: HttpRequest, draft: ImportDraft) -> HttpResponse:
    """The draft while its file is read: a status region that asks again every two seconds (htmx) and
    reloads into the review once the reading is done; without JavaScript a link does the same."""
    started = draft.reading_started_at is not None
    slow = timezone.now() - (draft.reading_started_at or draft.created_at) > READING_SLOW_AFTER
    phase = "slow" if slow else "reading" if started else "queued"
    if _htmx(request) and request.GET.get("phase") == phase:
        return HttpResponse(status=204)  # nothing new to say: the region stays as it is (no repeated announcement)
    context = {
        "nav": "import",
        "draft": draft,
        "started": started,
        "slow": slow,
        "phase": phase,
        "can_reject": request.user.has_perm("documents.change_importdraft", draft),
    }
    template = "documents/_reading_status.html" if _htmx(request) else "documents/reading.html"
    return render(request, template, context)


@login_required
def draft_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The reading page's status region, asked for every two seconds; once the file is read, the page
    goes to the review (or to why it could not be read)."""
    draft = selectors.access_import_draft(request.user, pk, perm="documents.view_importdraft")
    if draft.status == ImportDraft.Status.READING:
        return _reading(request, draft)
    if not _htmx(request):
        return redirect(draft.get_absolute_url())
    response = HttpResponse(status=204)
    response["HX-Redirect"] = draft.get_absolute_url()
    return response


@login_required
@require_POST
def draft_reject(request, pk: int):
    draft = selectors.access_import_draft(request.user, pk, perm="documents.change_importdraft")
    try:
        services.importdraft_reject(actor=request.user, draft=draft)
    except ValidationError as exc:
        messages.error(request, " ".join(validation_messages(exc)))
        return redirect(draft.get_absolute_url())
    messages.success(request, _("The imported document was rejected."))
    return redirect("documents:list")


@login_required
def draft_file(request, pk: int):
    """The uploaded file, only through this permission-checked view (never a public media URL)."""
    draft = selectors.access_import_draft(request.user, pk, perm="documents.view_importdraft")
    try:
        handle = draft.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=draft.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    """An agreement's original document, for everyone who may see the agreement; 404 for anyone else."""
    document = selectors.access_agreement_document(request.user, pk, perm="documents.view_document")
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=document.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
