"""People and their positions: the start of the longitudinal leader record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel


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
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)

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

    @property
    def tenure_years(self) -> float | None:
        if self.starts_on is None:
            return None
        end = self.ends_on or dt.date.today()
        return round((end - self.starts_on).days / 365.25, 1)
