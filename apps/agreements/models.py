# SPDX-License-Identifier: EUPL-1.2
"""The agreement register: agreements, their parties, decisions, interventions, goals and indicators."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.versioning import Versioned
from domain.lifecycle import Status as LifecycleStatus


class Agreement(Versioned):
    class Status(models.TextChoices):
        DRAFT = LifecycleStatus.DRAFT, _("Draft")
        DECIDED = LifecycleStatus.DECIDED, _("Decided")
        SIGNED = LifecycleStatus.SIGNED, _("Signed")
        ACTIVE = LifecycleStatus.ACTIVE, _("Active")
        ENDED = LifecycleStatus.ENDED, _("Ended")
        TERMINATED = LifecycleStatus.TERMINATED, _("Terminated by notice")
        RESCINDED = LifecycleStatus.RESCINDED, _("Rescinded")

    title = models.CharField(_("title"), max_length=300)
    case_number = models.CharField(
        _("case number"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Diarienummer, for example SOCN-2025-00771."),
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements_as_case_officer",
    )
    case_officer_name = models.CharField(
        _("case officer (name)"),
        max_length=200,
        blank=True,
        help_text=_("If the case officer has no account in Partnerskap."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    background = models.TextField(_("background"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    target_area = models.CharField(_("area"), max_length=300, blank=True)
    values = models.TextField(_("shared values"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    extension_max_months = models.PositiveSmallIntegerField(
        _("extension option (months)"),
        null=True,
        blank=True,
        help_text=_("The longest extension the agreement allows, in months."),
    )
    notice_period_months = models.PositiveSmallIntegerField(_("notice period (months)"), null=True, blank=True)
    renewal_decision_months_before_end = models.PositiveSmallIntegerField(
        _("renewal decision (months before the end)"),
        null=True,
        blank=True,
        help_text=_("How many months before the end the parties must decide on a new agreement."),
    )
    ends_automatically = models.BooleanField(_("ends automatically"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    shared_with_partners = models.BooleanField(
        _("shown to the partners"),
        default=True,
        help_text=_(
            "Whether the non-profit parties' staff see the agreement. An imported agreement is hidden "
            "from them until a case officer shows it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        # The register's sort orders (apps.agreements.selectors.SORTS; descending ones read these backwards), so
        # a page of the list is read in order from an index, not by sorting every agreement. Text search has
        # trigram indexes on PostgreSQL (migration 0006).
        indexes = [
            models.Index(fields=["start_date", "id"], name="agreement_start_id"),
            models.Index(fields=["end_date", "id"], name="agreement_end_id"),
            models.Index(fields=["title", "id"], name="agreement_title_id"),
            models.Index(fields=["status", "title", "id"], name="agreement_status_title_id"),
            models.Index(fields=["case_number", "id"], name="agreement_case_number_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in LifecycleStatus]),
                name="agreement_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def case_officer_display(self) -> str:
        return str(self.case_officer) if self.case_officer else self.case_officer_name


class Party(Versioned):
    """An organisation's place in an agreement.

    A public body of another tenant (municipality or region) than the inviting case officer's is *invited*
    and becomes a party only when that tenant's staff accept: until then (and when declined) it grants no
    one anything. Every other party is accepted when added. The version moves on with every answer, so a
    stale or repeated answer is refused.
    """

    class Role(models.TextChoices):
        PUBLIC = "public", _("Public party")
        NON_PROFIT = "nonprofit", _("Non-profit party")
        DIALOGUE = "dialogue", _("Dialogue party")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        INVITED = "invited", _("Invited – awaiting an answer")
        DECLINED = "declined", _("Declined")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("party status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED, db_index=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # When the organisation became a party: the history shows its changes of name and number from then on.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="party_unique_organisation"),
            models.CheckConstraint(
                condition=models.Q(status__in=["accepted", "invited", "declined"]), name="party_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="accepted") | models.Q(invited_at__isnull=False),
                name="party_invitation_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_invitation(self) -> bool:
        """Whether the party was invited (another tenant's body), whatever the answer."""
        return self.invited_at is not None


class Decision(models.Model):
    """The committee decision behind an agreement (or an extension of it)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="decisions")
    body = models.CharField(_("decided by"), max_length=200, help_text=_("For example Socialnämnden Nordost."))
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True, help_text=_("For example § 123."))
    fsg_informed_on = models.DateField(
        _("FSG informed on"),
        null=True,
        blank=True,
        help_text=_("Date the administration's cooperation group (FSG) was informed."),
    )

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        date = self.decided_on.isoformat() if self.decided_on else ""
        return " ".join(part for part in (self.body, date, self.paragraph) if part)


class Intervention(Versioned):
    """An insats: an overall intervention, or a local part such as "Del 1 – Kulturtolkar i Angered"."""

    class Kind(models.TextChoices):
        OVERALL = "overall", _("Overall intervention")
        LOCAL = "local", _("Local part")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="interventions")
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OVERALL)
    label = models.CharField(_("label"), max_length=40, blank=True, help_text=_("For example Del 1."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return f"{self.label} – {self.title}" if self.label else self.title


class Goal(Versioned):
    """A goal (mål) or sub-goal (delmål) of the agreement or of one intervention."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("sub-goal of"), null=True, blank=True, on_delete=models.CASCADE, related_name="subgoals"
    )
    text = models.TextField(_("goal"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(Versioned):
    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        COUNT_BY_DIMENSIONS = "count_by_dimensions", _("Count broken down by dimensions")
        SHARE = "share", _("Share (survey)")
        QUALITATIVE = "qualitative", _("Qualitative (narrative)")

    class Dimension(models.TextChoices):
        GENDER = "gender", _("Gender")
        AGE = "age", _("Age band")
        LANGUAGE_GROUP = "language_group", _("Language group")
        SCHOOL = "school", _("School")

    # The history shows the codes in the JSON list "dimensions" by these labels (apps.audit.display).
    audit_choices = {"dimensions": Dimension}

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.TextField(_("indicator"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.COUNT)
    dimensions = models.JSONField(_("broken down by"), default=list, blank=True)
    collected_by = models.ManyToManyField(
        Party, verbose_name=_("collected by"), blank=True, related_name="collected_indicators"
    )
    follow_ups_per_year = models.PositiveSmallIntegerField(_("follow-ups per year"), default=2)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(follow_ups_per_year__gte=1) & models.Q(follow_ups_per_year__lte=12),
                name="indicator_follow_ups_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name[:80]

    def clean(self) -> None:
        valid = set(self.Dimension.values)
        if not isinstance(self.dimensions, list) or not set(self.dimensions) <= valid:
            raise ValidationError({"dimensions": _("Unknown breakdown dimension.")})
        if self.kind == self.Kind.COUNT_BY_DIMENSIONS and not self.dimensions:
            raise ValidationError({"dimensions": _("Choose at least one dimension to break the count down by.")})
        if self.kind != self.Kind.COUNT_BY_DIMENSIONS and self.dimensions:
            raise ValidationError({"kind": _("Only a count broken down by dimensions has dimensions.")})

    def get_dimension_labels(self) -> list[str]:
        labels = dict(self.Dimension.choices)
        return [str(labels.get(d, d)) for d in self.dimensions]
