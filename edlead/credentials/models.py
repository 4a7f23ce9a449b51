"""Licensure and credentials (DOMAIN.md §4): licences, endorsements, degrees and assessments a person
holds; the state renewal rules as data; the PDP ledger; the Individual Professional Development Plan.

Credential records are never overwritten: a renewal or a correction writes a new row and marks the old
one superseded (`superseded_by`, `superseded_at`, `change`), so the history of what was recorded when
stays readable. The rows in force are those with `superseded_by` empty (`.current()`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel

STATE_CODE = RegexValidator(r"^[A-Z]{2}$", "A state is its two-letter code, e.g. MA.")


class CredentialType(TimeStampedModel):
    """One entry of the credential catalog (edlead/credentials/data/catalog.json, loaded by `migrate`):
    a licence field, an endorsement or an assessment. Data, so a new field needs no code."""

    class Kind(models.TextChoices):
        FIELD = "field", "Licence field"
        ENDORSEMENT = "endorsement", "Endorsement"
        ASSESSMENT = "assessment", "Assessment"

    class Group(models.TextChoices):
        ADMINISTRATOR = "administrator", "Administrator"
        TEACHER = "teacher", "Teacher"
        SPECIALIST = "specialist", "Specialist"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=160)
    group = models.CharField(max_length=20, choices=Group.choices, default=Group.OTHER)
    levels = models.JSONField(
        default=list, blank=True, help_text="The grade levels a licence in this field is issued for."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                name="credential_type_unique_code",
                violation_error_message="That code is already in the catalog.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StateRules(TimeStampedModel):
    """One issuing state's licence rules as data: validity per stage, renewal requirements per stage and
    field, unit conversions. `document` is the validated rules file (edlead/credentials/rules.py reads
    it); `origin` says whether it is the shipped default (refreshed by `migrate`) or a file an
    administrator loaded (never touched by `migrate`)."""

    class Origin(models.TextChoices):
        DEFAULT = "default", "Shipped with EdLead"
        FILE = "file", "Loaded from a file"

    state = models.CharField(max_length=2, unique=True, validators=[STATE_CODE])
    name = models.CharField(max_length=120)
    source = models.CharField(max_length=255, blank=True, help_text="The regulation the rules follow.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FILE)
    document = models.JSONField()

    class Meta:
        ordering = ["state"]
        verbose_name_plural = "state rules"

    def __str__(self) -> str:
        return f"{self.state} licence rules"


class CredentialQuerySet(models.QuerySet[Any]):
    def current(self) -> CredentialQuerySet:
        """The rows in force: not superseded by a renewal or a correction."""
        return self.filter(superseded_by__isnull=True, change="")


class CredentialRecord(TimeStampedModel):
    """What every credential record shares: whose it is and its place in the record's history."""

    class Change(models.TextChoices):
        RENEWED = "renewed", "Renewed"
        CORRECTED = "corrected", "Corrected"
        WITHDRAWN = "withdrawn", "Withdrawn (entered in error)"

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered in EdLead"
        IMPORT = "import", "Imported"
        DEMO = "demo", "Demo data"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    change = models.CharField(
        max_length=12, choices=Change.choices, blank=True, help_text="Why this row stopped being current."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(max_length=255, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None and self.change == ""  # type: ignore[attr-defined]


class Licence(CredentialRecord):
    """A licence a person holds (or held), as the issuing state recorded it."""

    class Stage(models.TextChoices):
        TEMPORARY = "temporary", "Temporary"
        PROVISIONAL = "provisional", "Provisional"
        INITIAL = "initial", "Initial"
        PROFESSIONAL = "professional", "Professional"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    issuing_state = models.CharField(max_length=2, default="MA", validators=[STATE_CODE])
    field = models.ForeignKey(
        CredentialType,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CredentialType.Kind.FIELD},
    )
    grade_level = models.CharField(max_length=40, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    number = models.CharField("licence number", max_length=40, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    valid_employment_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="For a licence valid for years of employment rather than to a date.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["person_id", "-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "superseded_by"], name="licence_person_current_idx"),
            # Licences in force by expiry: the alert windows, HR's queue and compliance read these.
            models.Index(
                fields=["expires_on"],
                condition=Q(superseded_by__isnull=True, change=""),
                name="licence_current_expiry_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="licence_expires_after_issue",
                violation_error_message="A licence cannot expire before it is issued.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=False) | Q(valid_employment_years__isnull=False),
                name="licence_has_validity",
                violation_error_message="Give the expiry date or the years of employment it is valid for.",
            ),
            models.UniqueConstraint(
                fields=["issuing_state", "number"],
                condition=Q(superseded_by__isnull=True) & Q(change="") & ~Q(number=""),
                name="licence_number_unique_current",
                violation_error_message="Another current licence of that state has this number.",
            ),
        ]

    def __str__(self) -> str:
        level = f" ({self.grade_level})" if self.grade_level else ""
        return f"{self.field.name}{level}, {self.get_stage_display()}, {self.issuing_state}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credentials:licence-detail", args=[self.pk])

    def is_expired(self, today: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def standing(self, today: dt.date) -> str:
        """Active, Expired, Suspended, Revoked or the change that superseded it."""
        if not self.is_current:
            return self.get_change_display() if self.change else "Superseded"
        if self.status == self.Status.ACTIVE and self.is_expired(today):
            return "Expired"
        return self.get_status_display()


class Endorsement(CredentialRecord):
    """An endorsement on a person's licences (SEI Administrator, SEI Teacher, …)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"

    kind = models.ForeignKey(
        CredentialType,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CredentialType.Kind.ENDORSEMENT},
    )
    issuing_state = models.CharField(max_length=2, default="MA", validators=[STATE_CODE])
    issued_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["person_id", "kind__order", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind.name} endorsement, {self.issuing_state}"


class Degree(CredentialRecord):
    """A degree a person earned."""

    class Level(models.TextChoices):
        ASSOCIATE = "associate", "Associate"
        BACHELOR = "bachelor", "Bachelor's"
        MASTER = "master", "Master's"
        SPECIALIST = "specialist", "Specialist (CAGS / EdS)"
        DOCTORATE = "doctorate", "Doctorate"

    RANK = {"associate": 1, "bachelor": 2, "master": 3, "specialist": 4, "doctorate": 5}

    level = models.CharField(max_length=12, choices=Level.choices)
    field = models.CharField("field of study", max_length=160)
    institution = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1940), MaxValueValidator(2100)])

    class Meta:
        ordering = ["person_id", "-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} in {self.field}, {self.institution} ({self.year})"


class AssessmentPassed(CredentialRecord):
    """An assessment a person passed (the Performance Assessment for Leaders, …)."""

    kind = models.ForeignKey(
        CredentialType,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CredentialType.Kind.ASSESSMENT},
    )
    passed_on = models.DateField()

    class Meta:
        ordering = ["person_id", "-passed_on", "-pk"]
        verbose_name = "assessment passed"
        verbose_name_plural = "assessments passed"

    def __str__(self) -> str:
        return f"{self.kind.name} ({self.passed_on:%Y})"


# --- the PDP ledger ---------------------------------------------------------------------------------
class PdpActivity(TimeStampedModel):
    """One professional development activity a person completed, in the unit its provider gave (clock
    hours, credits, CEUs). How many PDPs it is worth depends on the rules of the licence it counts for,
    so the amount is kept as given. One activity per person, provider, title and start date: crediting
    it again changes nothing."""

    class Unit(models.TextChoices):
        CLOCK_HOUR = "clock_hour", "Clock hours"
        UNDERGRADUATE_CREDIT = "undergraduate_credit", "Undergraduate credits"
        GRADUATE_CREDIT = "graduate_credit", "Graduate credits"
        CEU = "ceu", "CEUs"
        AUDIT = "audit", "Audited semester hours"

    # Anything above is a typing mistake, not an activity.
    UNIT_MAXIMUM = {
        "clock_hour": Decimal("500"),
        "undergraduate_credit": Decimal("30"),
        "graduate_credit": Decimal("30"),
        "ceu": Decimal("50"),
        "audit": Decimal("30"),
    }

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not accepted"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    topic = models.CharField(
        max_length=200,
        blank=True,
        help_text="Activities on one topic add up towards the minimum per topic (empty: the title).",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    amount = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    unit = models.CharField(max_length=24, choices=Unit.choices, default=Unit.CLOCK_HOUR)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        max_length=120,
        blank=True,
        help_text="What credited it: empty when entered by hand, else the program.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "-ends_on", "-pk"]
        verbose_name = "PDP activity"
        verbose_name_plural = "PDP activities"
        indexes = [models.Index(fields=["person", "ends_on"], name="pdp_person_end_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "provider", "title", "starts_on"],
                name="pdp_activity_natural_key",
                violation_error_message="This activity (provider, title and start date) is already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="pdp_activity_ends_after_start",
                violation_error_message="An activity cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.provider}, {self.starts_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credentials:activity-detail", args=[self.pk])

    @property
    def topic_key(self) -> str:
        return " ".join((self.topic or self.title).lower().split())


class PdpAllocation(models.Model):
    """The part of an activity given to one renewal category, in the activity's unit. An activity on
    one category has one allocation of its whole amount; one that spans categories is split."""

    activity = models.ForeignKey(PdpActivity, on_delete=models.CASCADE, related_name="allocations")
    category = models.SlugField(max_length=30)
    amount = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ["activity_id", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "category"],
                name="pdp_allocation_one_per_category",
                violation_error_message="Each category once per activity.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"


class PdpActivityEvent(WorkflowEvent):
    """Approval history of an activity."""

    record = models.ForeignKey(PdpActivity, on_delete=models.CASCADE, related_name="events")


# --- the Individual Professional Development Plan ------------------------------------------------------
class DevelopmentPlan(VersionedModel, TimeStampedModel):
    """An Individual Professional Development Plan: the goals and planned activities a licence renewal
    follows, approved by the person's evaluator of record."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    licence = models.ForeignKey(Licence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    goals = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person_id", "-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="development_plan_ends_after_start",
                violation_error_message="A plan ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"Professional development plan {self.starts_on:%Y}–{self.ends_on:%Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credentials:plan-detail", args=[self.pk])


class PlannedActivity(models.Model):
    """One activity a plan intends, with the PDPs and category it aims at."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=200)
    category = models.SlugField(max_length=30)
    pdps = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0")), MaxValueValidator(500)]
    )
    target_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "target_on", "pk"]

    def __str__(self) -> str:
        return self.title


class DevelopmentPlanEvent(WorkflowEvent):
    """Status history of a plan."""

    record = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="events")


# Postings and role requirements live in their own module (eligibility, issue 10 item 5).
from edlead.credentials.models_postings import (  # noqa: E402, F401
    HiringNote,
    Posting,
    Requirement,
    RoleTemplate,
)
