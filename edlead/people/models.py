"""People and their positions: the start of the longitudinal leader record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel
from edlead.lib.schoolyears import SchoolYear


class Person(TimeStampedModel):
    """Someone who works in or for a school system, from aspiring leader to superintendent."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered in EdLead"
        DEMO = "demo", "Demo data"
        DESE_DIRECTORY = "dese_directory", "DESE directory"
        STAFF_IMPORT = "staff_import", "Staff position import"

    first_name = models.CharField(max_length=120)
    last_name = models.CharField(max_length=120)
    preferred_name = models.CharField(max_length=120, blank=True)
    mepid = models.CharField(
        "state staff ID (MEPID)",
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        help_text="Massachusetts Education Personnel ID, 8 digits.",
    )
    local_employee_number = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_aspiring_leader = models.BooleanField(default=False)
    leadership_interests = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["last_name", "first_name"], name="person_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(mepid__isnull=True) | Q(mepid__regex=r"^[0-9]{8}$"),
                name="person_mepid_8_digits",
                violation_error_message="A MEPID has 8 digits.",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:person-detail", args=[self.pk])


class PositionQuerySet(models.QuerySet["Position"]):
    def current(self, on: dt.date | None = None) -> PositionQuerySet:
        day = on or dt.date.today()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )

    def leaders(self) -> PositionQuerySet:
        return self.filter(role__in=Position.LEADER_ROLES)


class Position(TimeStampedModel):
    """A person holding a role at an organization for a time. The history of these is the record of
    who led which school when."""

    class Role(models.TextChoices):
        TEACHER = "teacher", "Teacher"
        TEACHER_LEADER = "teacher_leader", "Teacher leader"
        ASSISTANT_PRINCIPAL = "assistant_principal", "Assistant principal"
        PRINCIPAL = "principal", "Principal"
        PRINCIPAL_SUPERVISOR = "principal_supervisor", "Principal supervisor"
        DIRECTOR = "director", "Director"
        ASSISTANT_SUPERINTENDENT = "assistant_superintendent", "Assistant superintendent"
        SUPERINTENDENT = "superintendent", "Superintendent"
        COACH = "coach", "Coach / mentor"
        OTHER = "other", "Other"

    LEADER_ROLES = (
        Role.ASSISTANT_PRINCIPAL,
        Role.PRINCIPAL,
        Role.PRINCIPAL_SUPERVISOR,
        Role.DIRECTOR,
        Role.ASSISTANT_SUPERINTENDENT,
        Role.SUPERINTENDENT,
    )

    Source = Person.Source  # positions come from the same places people do

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(max_length=32, choices=Role.choices, db_index=True)
    title = models.CharField(
        max_length=120, blank=True, help_text="The local title, e.g. Instructional coach, Head of school."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1.5"))],
    )
    is_primary = models.BooleanField(default=True)
    is_co_principal = models.BooleanField(
        "co-principal",
        default=False,
        help_text="Shares the school's leadership with another principal on purpose. Only co-principals "
        "may be current principals of the same school at the same time.",
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    confirmed_through = models.DateField(
        null=True,
        blank=True,
        help_text="The last day a source vouches for this position: the end of the school year of the "
        "directory file or staff import that last named it, or of the year it was entered or edited in "
        "EdLead. Empty: kept current in EdLead (no dated source).",
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "role", "ends_on"], name="position_org_role_idx"),
            models.Index(fields=["person", "ends_on"], name="position_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="position_ends_after_start",
                violation_error_message="A position cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=0) & Q(fte__lte=Decimal("1.5")),
                name="position_fte_range",
                violation_error_message="FTE is between 0 and 1.5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.display_title} at {self.organization}"

    @property
    def display_title(self) -> str:
        return self.title or self.get_role_display()

    def is_current(self, on: dt.date | None = None) -> bool:
        day = on or dt.date.today()
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or self.ends_on >= day
        )

    def is_unconfirmed(self, on: dt.date | None = None) -> bool:
        """An open position whose last source is older than `on`: EdLead does not know the person is
        still there, only that they were through `confirmed_through`."""
        day = on or dt.date.today()
        return self.ends_on is None and self.confirmed_through is not None and self.confirmed_through < day

    @property
    def unconfirmed(self) -> bool:
        return self.is_unconfirmed()

    @property
    def confirmed_label(self) -> str:
        """The school year of the last confirmation, e.g. `2016-17` (empty when kept current)."""
        return SchoolYear.containing(self.confirmed_through).label if self.confirmed_through else ""

    @property
    def tenure_end(self) -> dt.date:
        """The last day the position is known to have been held: its end, else the last confirmation
        when that is past, else today."""
        today = dt.date.today()
        if self.ends_on is not None:
            return self.ends_on
        if self.confirmed_through is not None and self.confirmed_through < today:
            return self.confirmed_through
        return today

    @property
    def tenure_years(self) -> float | None:
        if self.starts_on is None:
            return None
        return round(max((self.tenure_end - self.starts_on).days, 0) / 365.25, 1)

    @property
    def tenure_is_lower_bound(self) -> bool:
        """True when the person may have held the position longer than shown: it is no longer confirmed,
        or its start is only the first time a DESE directory listed them."""
        return self.unconfirmed or self.source == self.Source.DESE_DIRECTORY

    @property
    def tenure_text(self) -> str:
        years = self.tenure_years
        if years is None:
            return ""
        text = f"{years:g} year{'' if years == 1 else 's'}"
        return f"at least {text}" if self.tenure_is_lower_bound else text


class CorrectionRequest(VersionedModel, TimeStampedModel):
    """A person's own proposal to correct their record (name spelling, e-mail, a title), sent to HR of
    their district. A draft autosaves; sent, it can be taken back until HR applies or declines it.
    Every step is a `CorrectionRequestEvent` (the timeline) and an audit event. The services are in
    `edlead/people/requests.py`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Sent to HR"
        APPLIED = "applied", "Applied"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.DRAFT, Status.SUBMITTED)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="correction_requests")
    district = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district whose HR decides (the person's district when the request was started).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    first_name = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=120, blank=True)
    preferred_name = models.CharField(max_length=120, blank=True)
    email = models.EmailField("e-mail", blank=True)
    title_note = models.CharField(
        "title",
        max_length=255,
        blank=True,
        help_text="If a title on your record is wrong: which one, and what it should say.",
    )
    note = models.TextField(
        "note to HR", blank=True, help_text="Anything that helps HR check the correction."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    record_when_sent = models.JSONField(
        default=dict, blank=True, help_text="The person's name and e-mail as they were when it was sent."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response_note = models.TextField("HR's note", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "status"], name="correction_district_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["draft", "submitted"]),
                name="correction_one_open_per_person",
                violation_error_message="A person has one open correction request at a time.",
            )
        ]

    def __str__(self) -> str:
        return f"Correction request of {self.person}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:correction-detail", args=[self.pk])


class CorrectionRequestEvent(WorkflowEvent):
    """One step of a correction request (started, sent, taken back, applied, declined)."""

    record = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass
