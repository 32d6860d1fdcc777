# SPDX-License-Identifier: EUPL-1.2
"""Writes of import drafts: keyword-only functions, one transaction each, each writing an audit event.

Uploading reads the document with the pure importer (:mod:`domain.importer`) and stores the file with
its draft, or stores nothing and says why. Confirming a reviewed draft creates the agreement through
the agreement services, all in one transaction: a failure anywhere leaves no agreement and no new
organisation behind.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import Role
from apps.agreements import services as agreement_services
from apps.agreements.models import Agreement, Indicator, Party
from apps.audit.services import audit_record
from apps.core.errors import describe
from apps.core.services import require_perm
from apps.organisations.models import Organisation
from apps.organisations.scope import staff_organisation_ids
from domain import lifecycle
from domain.importer import ImportFailure

from . import reader, selectors, tasks
from .models import ImportDraft

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")


def max_upload_bytes() -> int:
    return int(getattr(settings, "PARTNERSKAP_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


class AlreadyImported(ValidationError):
    """The same file was already imported for this public body (and not rejected)."""

    def __init__(self, message: str, draft: ImportDraft) -> None:
        super().__init__(message, code="already_imported")
        self.draft = draft


def _check_may_import(actor, public_body: Organisation, as_system: bool) -> None:
    if as_system:
        return
    require_perm(actor, "documents.add_importdraft")
    if not actor.is_superuser and public_body.pk not in staff_organisation_ids(actor, roles={Role.CASE_OFFICER}):
        raise PermissionDenied(_("You can only import agreements for a public body you work for as case officer."))


def _safe_name(filename: str | None) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.replace("\x00", "").strip()
    if name in ("", ".", ".."):
        name = "dokument"
    return name[-255:]


def _content(file) -> bytes:
    size = getattr(file, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest file that can be imported is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if hasattr(file, "seek"):
        file.seek(0)
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest file that can be imported is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)},
            code="too_large",
        )
    return data


def _check_suffix(name: str) -> None:
    if PurePath(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ValidationError(
            _("%(name)s is not a Word, PDF or text file. Choose a .docx, .pdf or .txt file.") % {"name": name},
            code="format",
        )


def reader_limits() -> reader.Limits:
    configured = getattr(settings, "PARTNERSKAP_IMPORT_READER", {}) or {}
    return reader.Limits(**{key: int(value) for key, value in configured.items() if key in ("memory_mb", "seconds")})


def _store(draft: ImportDraft, data: bytes) -> ImportDraft:
    draft.file.save(draft.original_name, ContentFile(data), save=False)
    try:
        draft.full_clean(exclude=["file"])
        draft.save()
    except BaseException:
        draft.file.delete(save=False)
        raise
    return draft


def _open_with(public_body: Organisation, sha: str) -> ImportDraft | None:
    """The draft of the same file for the same body that is being read or awaits review, if any."""
    return (
        ImportDraft.objects.filter(
            public_body=public_body, sha256=sha, status__in=[ImportDraft.Status.READING, ImportDraft.Status.PENDING]
        )
        .order_by("created_at")
        .first()
    )


def _is_duplicate(exc: ValidationError) -> bool:
    errors = exc.error_dict.get(NON_FIELD_ERRORS, []) if hasattr(exc, "error_dict") else exc.error_list
    return any(error.code == "already_imported" for error in errors)


def _already_imported(public_body: Organisation, sha: str) -> ValidationError:
    earlier = _open_with(public_body, sha)
    if earlier is None:  # the other upload was rolled back meanwhile
        return ValidationError(_("The same file is being imported at this moment. Try again shortly."), code="busy")
    return AlreadyImported(
        _("This file was already imported on %(date)s (%(name)s).")
        % {"date": timezone.localdate(earlier.created_at).isoformat(), "name": earlier.original_name},
        earlier,
    )


def _prepared(actor, public_body: Organisation, file, filename: str | None, as_system: bool) -> tuple[str, bytes, str]:
    """What can be decided without parsing: who may import, format, size, the same file already open.
    (name, content, SHA-256), or ValidationError in the active language."""
    _check_may_import(actor, public_body, as_system)
    name = _safe_name(filename or getattr(file, "name", ""))
    _check_suffix(name)
    data = _content(file)
    if not data:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    sha = hashlib.sha256(data).hexdigest()
    # A file being read or awaiting review is not taken twice. One that already became an agreement may be
    # imported again: the review then proposes updating that agreement (same case number).
    if _open_with(public_body, sha) is not None:
        raise _already_imported(public_body, sha)
    return name, data, sha


@transaction.atomic
def _create(actor, public_body: Organisation, name: str, data: bytes, sha: str, **fields: Any) -> ImportDraft:
    try:
        with transaction.atomic():
            draft = _store(
                ImportDraft(
                    public_body=public_body,
                    original_name=name,
                    sha256=sha,
                    size=len(data),
                    uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **fields,
                ),
                data,
            )
    except (IntegrityError, ValidationError) as exc:
        # The same file uploaded at the same moment: the other upload got there first (one open draft per
        # file and public body, importdraft_one_open_per_file), seen by the model's check of the constraint
        # or, when both passed it, by the database.
        if isinstance(exc, ValidationError) and not _is_duplicate(exc):
            raise
        raise _already_imported(public_body, sha) from exc
    audit_record(
        actor=actor,
        action="importdraft.uploaded",
        summary=gettext_noop("Document uploaded for import: %(name)s"),
        summary_params={"name": name},
        obj=draft,
        organisation=public_body,
        changes={"original_name": [None, name], "sha256": [None, sha], "size": [None, len(data)]},
    )
    return draft


@transaction.atomic
def importdraft_upload(
    *, actor, public_body: Organisation, file, filename: str | None = None, as_system: bool = False
) -> ImportDraft:
    """Store an uploaded agreement as a draft being read, and queue reading it once the upload has committed.

    Only what can be decided without parsing is checked here: ValidationError in the active language, and
    nothing is stored. Parsing is slow and untrusted, so it never runs in this transaction or in the web
    process: :func:`importdraft_read` runs as the task :func:`.tasks.read_import_draft`, in a bounded child
    process (:mod:`.reader`). ``as_system`` is for the command line: it skips the case-officer check.
    """
    name, data, sha = _prepared(actor, public_body, file, filename, as_system)
    draft = _create(actor, public_body, name, data, sha, status=ImportDraft.Status.READING)
    draft_id = draft.pk
    transaction.on_commit(lambda: tasks.read_import_draft.enqueue(draft_id))
    return draft


def importdraft_import(
    *, actor, public_body: Organisation, file, filename: str | None = None, as_system: bool = False
) -> ImportDraft:
    """Read a document at once (in the bounded reader, outside any transaction) and store its draft awaiting
    review; ValidationError and nothing stored when it cannot be read. For the command line, which imports
    a folder one file after the other and keeps the failures with :func:`importdraft_record_failure`."""
    name, data, sha = _prepared(actor, public_body, file, filename, as_system)
    try:
        result, text = reader.read_bounded(data, name, reader_limits())
    except ImportFailure as failure:
        raise ValidationError(describe(failure), code="unreadable") from failure
    now = timezone.now()
    return _create(
        actor,
        public_body,
        name,
        data,
        sha,
        status=ImportDraft.Status.PENDING,
        draft=result,
        text=text,
        warnings=list(result.get("warnings") or []),
        reading_started_at=now,
        read_at=now,
    )


def _lock_reading(draft_id: int) -> ImportDraft | None:
    """The draft, locked, while it is still being read; None once it is anything else (or gone)."""
    locked = (
        ImportDraft.objects.select_for_update(of=("self",))  # not the joined rows (PostgreSQL refuses outer joins)
        .select_related("public_body", "uploaded_by")
        .filter(pk=draft_id)
        .first()
    )
    return locked if locked is not None and locked.status == ImportDraft.Status.READING else None


def _record_read_failure(locked: ImportDraft, failure: ImportFailure) -> None:
    """A draft being read (locked) that could not be read: failed, with the reason as code and parameters."""
    locked.status = ImportDraft.Status.FAILED
    locked.error_code, locked.error_params = failure.code, dict(failure.params)
    locked.read_at = timezone.now()
    locked.save(update_fields=["status", "error_code", "error_params", "read_at", "updated_at"])
    audit_record(
        actor=locked.uploaded_by,
        action="importdraft.failed",
        summary=gettext_noop("Document could not be imported: %(name)s"),
        summary_params={"name": locked.original_name},
        obj=locked,
        organisation=locked.public_body,
        changes={"status": ["reading", "failed"], "error_code": [None, failure.code]},
    )


def importdraft_read_failed(*, draft_id: int, error: BaseException) -> None:
    """A reading task that broke (a bug, the database gone): the draft says so instead of waiting for ever."""
    with transaction.atomic():
        locked = _lock_reading(draft_id)
        if locked is not None:
            failure = ImportFailure("importer.internal_error", name=locked.original_name, error=type(error).__name__)
            _record_read_failure(locked, failure)


def importdraft_read(*, draft_id: int) -> str:
    """Read a draft's uploaded file in a bounded process and store its draft, or why it could not be read.

    Runs as a task after the upload committed. No transaction is open
    while the file is read; the result is written in one short transaction, and only onto a draft that is
    still being read, so that a repeated or late task changes nothing. Returns the status afterwards.
    """
    ImportDraft.objects.filter(pk=draft_id, status=ImportDraft.Status.READING, reading_started_at=None).update(
        reading_started_at=timezone.now()
    )
    draft = ImportDraft.objects.filter(pk=draft_id).first()
    if draft is None:
        return "missing"
    if draft.status != ImportDraft.Status.READING:
        return draft.status
    failure: ImportFailure | None = None
    result: dict = {}
    text = ""
    try:
        with draft.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        failure = ImportFailure("importer.unreadable", name=draft.original_name)
    else:
        try:
            result, text = reader.read_bounded(data, draft.original_name, reader_limits())
        except ImportFailure as exc:
            failure = exc
    with transaction.atomic():
        locked = _lock_reading(draft_id)
        if locked is None:
            current = ImportDraft.objects.filter(pk=draft_id).values_list("status", flat=True).first()
            return current or "missing"
        if failure is not None:
            _record_read_failure(locked, failure)
        else:
            locked.read_at = timezone.now()
            locked.status = ImportDraft.Status.PENDING
            locked.draft, locked.text = result, text
            locked.warnings = list(result.get("warnings") or [])
            locked.save(update_fields=["status", "draft", "text", "warnings", "read_at", "updated_at"])
            audit_record(
                actor=locked.uploaded_by,
                action="importdraft.read",
                summary=gettext_noop("Document read and ready for review: %(name)s"),
                summary_params={"name": locked.original_name},
                obj=locked,
                organisation=locked.public_body,
                changes={"status": ["reading", "pending"], "warnings": [None, locked.warning_count]},
            )
    return locked.status


@transaction.atomic
def importdraft_record_failure(
    *, actor, public_body: Organisation, file, message: str, filename: str | None = None, as_system: bool = False
) -> ImportDraft:
    """Keep a file that could not be imported (bulk import), with the reason, so that it is not forgotten."""
    _check_may_import(actor, public_body, as_system)
    name = _safe_name(filename or getattr(file, "name", ""))
    try:
        data = _content(file)
    except ValidationError:
        data = b""
    sha = hashlib.sha256(data).hexdigest()
    earlier = ImportDraft.objects.filter(
        public_body=public_body, sha256=sha, status=ImportDraft.Status.FAILED, error_message=message
    ).first()
    if earlier is not None:
        return earlier  # the same file failed the same way before: one record is enough
    draft = _store(
        ImportDraft(
            public_body=public_body,
            original_name=name,
            sha256=sha,
            size=len(data),
            status=ImportDraft.Status.FAILED,
            error_message=message,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
        data,
    )
    audit_record(
        actor=actor,
        action="importdraft.failed",
        summary=gettext_noop("Document could not be imported: %(name)s"),
        summary_params={"name": name},
        obj=draft,
        organisation=public_body,
        changes={"original_name": [None, name], "error_message": [None, message]},
    )
    return draft


def _lock_pending(actor, draft: ImportDraft, *, reading_too: bool = False) -> ImportDraft:
    """The draft, locked, if it still awaits review (or, with ``reading_too``, is still being read)."""
    locked = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if not actor.has_perm("documents.view_importdraft", locked):
        raise PermissionDenied(_("You do not have permission to do this."))
    allowed = {ImportDraft.Status.PENDING, ImportDraft.Status.READING} if reading_too else {ImportDraft.Status.PENDING}
    if locked.status not in allowed:
        raise ValidationError(
            _("This import has already been handled (%(status)s).") % {"status": locked.get_status_display()}
        )
    require_perm(actor, "documents.change_importdraft", locked)
    return locked


@transaction.atomic
def importdraft_reject(*, actor, draft: ImportDraft) -> ImportDraft:
    """Reject a draft awaiting review, or stop one being read (a reading that finishes later changes nothing)."""
    draft = _lock_pending(actor, draft, reading_too=True)
    before = draft.status
    draft.status = ImportDraft.Status.REJECTED
    draft.reviewed_by, draft.reviewed_at = actor, timezone.now()
    draft.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="importdraft.rejected",
        summary=gettext_noop("Imported document rejected: %(name)s"),
        summary_params={"name": draft.original_name},
        obj=draft,
        organisation=draft.public_body,
        changes={"status": [before, "rejected"]},
    )
    return draft


# Confirming a reviewed draft ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionInput:
    label: str
    title: str


@dataclass
class IndicatorChoice:
    name: str
    kind: str = Indicator.Kind.COUNT
    dimensions: list[str] = field(default_factory=list)
    collected_by: list[int] = field(default_factory=list)  # indexes into Review.parties


@dataclass
class GoalChoice:
    text: str
    section: int | None = None  # index into Review.sections; None: a goal of the whole agreement
    indicators: list[IndicatorChoice] = field(default_factory=list)


@dataclass(frozen=True)
class BudgetLineChoice:
    label: str
    amount: Decimal
    section: int | None = None
    year: int | None = None


@dataclass
class Money:
    annual_amount: Decimal | None = None
    total_amount: Decimal | None = None
    indexation: dict | None = None
    payment_schedule: dict | None = None
    budget_lines: list[BudgetLineChoice] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return (
            self.annual_amount is None
            and self.total_amount is None
            and not self.indexation
            and not self.payment_schedule
            and not self.budget_lines
        )


@dataclass
class Review:
    """What the person confirmed on the review page. ``parties`` keeps the draft's order; None is left out."""

    data: dict
    parties: list[agreement_services.PartyInput | None]
    sections: list[SectionInput] = field(default_factory=list)
    goals: list[GoalChoice] = field(default_factory=list)
    follow_ups_per_year: int = 2
    money: Money = field(default_factory=Money)


def finance_apply():
    """``apps.finance.services.finance_apply_draft`` once the finance app is installed, else None."""
    if not django_apps.is_installed("apps.finance"):
        return None
    try:
        from apps.finance.services import finance_apply_draft
    except ImportError:
        return None
    return finance_apply_draft


def _organisations(actor, parties: list[agreement_services.PartyInput | None]) -> list[Organisation | None]:
    """The organisation of each reviewed party (None where the reviewer left the party out)."""
    return [None if p is None else agreement_services.party_organisation(actor=actor, party=p) for p in parties]


def _key(text: str) -> str:
    """Text compared for matching an imported row with one already there: case and spacing ignored."""
    return " ".join((text or "").casefold().split())


def _case_officer(actor, chosen):
    """The chosen case officer (one the actor may name), or the actor who confirms."""
    if chosen is None:
        return actor if getattr(actor, "is_authenticated", False) and actor.pk else None
    if (
        chosen.pk != getattr(actor, "pk", None)
        and not selectors.case_officer_choices(actor).filter(pk=chosen.pk).exists()
    ):
        raise ValidationError({"case_officer": _("Choose a case officer of your public bodies.")})
    return chosen


def _update_agreement(
    actor, agreement: Agreement, data: dict, parties: list[agreement_services.PartyInput]
) -> Agreement:
    """Overwrite the agreement's facts with those the draft states; add the parties it does not have yet.

    A value the draft leaves empty keeps what the agreement holds; a party already there keeps its role
    and signatory (matched, not duplicated); no party is removed.
    """
    if agreement.status not in lifecycle.REPLACEABLE:
        raise ValidationError(
            _(
                "“%(title)s” is signed: a signed agreement changes only by an amendment approved by "
                "every party, so it cannot be updated from an imported document."
            )
            % {"title": agreement.title},
            code="signed",
        )
    stated = {key: value for key, value in data.items() if value not in (None, "")}
    current = list(agreement.parties.select_related("organisation").order_by("position", "id"))
    known = {p.organisation_id for p in current}
    added = [p for p in parties if p.organisation is not None and p.organisation.pk not in known]
    merged = None
    if added:
        merged = [
            agreement_services.PartyInput(
                role=p.role,
                organisation=p.organisation,
                signatory_name=p.signatory_name,
                signatory_title=p.signatory_title,
            )
            for p in current
        ] + added
    return agreement_services.agreement_update(actor=actor, agreement=agreement, data=stated, parties=merged)


def _intervention(actor, agreement: Agreement, section: SectionInput, existing: dict):
    """The local part labelled as ``section``: the agreement's own (its title overwritten), or a new one."""
    title = section.title or section.label
    found = existing.get(_key(section.label))
    if found is None:
        return agreement_services.intervention_save(
            actor=actor, agreement=agreement, data={"kind": "local", "label": section.label, "title": title}
        )
    if found.title != title:
        return agreement_services.intervention_save(
            actor=actor, agreement=agreement, data={"title": title}, intervention=found
        )
    return found


def _indicator(
    actor, goal, choice: IndicatorChoice, collectors: list[Organisation], follow_ups: int, existing: dict
) -> None:
    """Add the indicator to ``goal``, or bring the one of the same name in line with the draft."""
    found = existing.get(_key(choice.name))
    if found is None:
        agreement_services.indicator_save(
            actor=actor,
            goal=goal,
            data=agreement_services.IndicatorInput(
                name=choice.name,
                kind=choice.kind,
                dimensions=list(choice.dimensions),
                collected_by=collectors,
                follow_ups_per_year=follow_ups,
            ),
        )
        return
    current = sorted(p.organisation_id for p in found.collected_by.all())
    wanted = sorted(o.pk for o in collectors) if collectors else current
    if (found.kind, list(found.dimensions), found.follow_ups_per_year, current) == (
        choice.kind,
        list(choice.dimensions),
        follow_ups,
        wanted,
    ):
        return
    agreement_services.indicator_save(
        actor=actor,
        goal=goal,
        indicator=found,
        data=agreement_services.IndicatorInput(
            name=found.name,
            kind=choice.kind,
            dimensions=list(choice.dimensions),
            collected_by=collectors or [p.organisation for p in found.collected_by.select_related("organisation")],
            follow_ups_per_year=follow_ups,
            baseline=found.baseline,
            target=found.target,
        ),
    )


@transaction.atomic
def importdraft_confirm(*, actor, draft: ImportDraft, review: Review, into: Agreement | None = None) -> Agreement:
    """Create the agreement, its parties, interventions, goals, indicators (and money) from a reviewed draft.

    With ``into``, update that agreement from the draft instead of creating a duplicate (the document was
    imported before, or the agreement was registered by hand): the facts the draft states overwrite the
    agreement's, and parties, interventions (by label), goals (by text and intervention) and indicators
    (by name) it already has are matched, the others added; nothing is removed. A new agreement is hidden
    from the partners until a case officer shows it; an updated one keeps its visibility. The document
    stays with the agreement either way. All of it in one transaction, or nothing.
    """
    draft = _lock_pending(actor, draft)
    orgs = _organisations(actor, review.parties)
    party_inputs = [
        agreement_services.PartyInput(role=p.role, organisation=org)
        for p, org in zip(review.parties, orgs, strict=True)
        if p is not None
    ]
    data = {**review.data, "case_officer": _case_officer(actor, review.data.get("case_officer"))}
    if into is None:
        require_perm(actor, "agreements.add_agreement")
        agreement = agreement_services.agreement_create(
            actor=actor, data=data, parties=party_inputs, shared_with_partners=False
        )
    else:
        agreement = _update_agreement(actor, into, data, party_inputs)

    existing_interventions = {_key(i.label): i for i in agreement.interventions.all() if i.label}
    existing_goals = {(_key(g.text), g.intervention_id): g for g in agreement.goals.all()}
    interventions = [_intervention(actor, agreement, s, existing_interventions) for s in review.sections]
    for goal_choice in review.goals:
        intervention = interventions[goal_choice.section] if goal_choice.section is not None else None
        goal = existing_goals.get((_key(goal_choice.text), intervention.pk if intervention else None))
        existing_indicators = {_key(i.name): i for i in goal.indicators.all()} if goal else {}
        if goal is None:
            goal = agreement_services.goal_save(
                actor=actor, agreement=agreement, data={"text": goal_choice.text, "intervention": intervention}
            )
        for ind in goal_choice.indicators:
            collectors: list[Organisation] = []
            for index in ind.collected_by:
                org = orgs[index] if 0 <= index < len(orgs) else None
                if org is None:
                    raise ValidationError(
                        {
                            "collected_by": _(
                                "The party collecting the data for “%(indicator)s” is left out of the agreement."
                            )
                            % {"indicator": ind.name[:80]}
                        }
                    )
                collectors.append(org)
            _indicator(actor, goal, ind, collectors, review.follow_ups_per_year, existing_indicators)

    money_applied = False
    apply = finance_apply()
    if apply is not None and not review.money.is_empty:
        apply(
            actor=actor,
            agreement=agreement,
            annual_amount=review.money.annual_amount,
            total_amount=review.money.total_amount,
            indexation=review.money.indexation,
            payment_schedule=review.money.payment_schedule,
            budget_lines=[
                {
                    "label": b.label,
                    "amount": b.amount,
                    "year": b.year,
                    "section": review.sections[b.section].label if b.section is not None else None,
                }
                for b in review.money.budget_lines
            ],
        )
        money_applied = True

    draft.status = ImportDraft.Status.ACCEPTED
    draft.agreement = agreement
    draft.reviewed_by, draft.reviewed_at = actor, timezone.now()
    draft.save(update_fields=["status", "agreement", "reviewed_by", "reviewed_at", "updated_at"])
    summary = (
        gettext_noop("Agreement updated from the imported document %(name)s")
        if into is not None
        else gettext_noop("Agreement created from the imported document %(name)s")
    )
    audit_record(
        actor=actor,
        action="importdraft.accepted",
        summary=summary,
        summary_params={"name": draft.original_name},
        obj=draft,
        agreement=agreement,
        organisation=draft.public_body,
        changes={
            "status": ["pending", "accepted"],
            "agreement": [None, str(agreement)],
            "updated_existing": [None, into is not None],
            "money_applied": [None, money_applied],
        },
    )
    return agreement


PARTY_ROLES = {
    "public_parties": Party.Role.PUBLIC,
    "nonprofit_parties": Party.Role.NON_PROFIT,
    "dialogue_parties": Party.Role.DIALOGUE,
}
