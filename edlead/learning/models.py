"""Professional learning (issue 11): providers, competencies, the program catalog, sessions and
enrollments with a waitlist."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel


class Provider(TimeStampedModel):
    """Who runs a program: a university, a collaborative, DESE, a consultant — not an organization of the
    tree (a district that runs its own programs is the program's organization instead)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University or college"
        COLLABORATIVE = "collaborative", "Educational collaborative"
        STATE = "state", "State agency"
        DISTRICT = "district", "District"
        ASSOCIATION = "association", "Professional association"
        CONSULTANT = "consultant", "Consultant or company"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """What a program develops: a leadership topic from the catalog file (vision and goal setting, data-
    driven decision making…). Evaluation indicators are linked to programs by their codes."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class Program(TimeStampedModel):
    """A program of the catalog. `organization` is the district that runs it for its own people; empty,
    the state runs it and every district's people see it."""

    class Format(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        INSTITUTE = "institute", "Institute"
        COURSE = "course", "Course for credit"
        ONLINE = "online", "Online module"
        COACHING = "coaching", "Coaching cycle"
        MENTORING = "mentoring", "Mentoring program"
        COHORT = "cohort", "Cohort / network / PLC"
        THINK_TANK = "think_tank", "Think tank"
        CONFERENCE = "conference", "Conference"
        PRACTICUM = "practicum", "Internship / practicum"

    class Stage(models.TextChoices):
        ASPIRING = "aspiring", "Aspiring leaders"
        NEW = "new", "New in the role (under two years)"
        EXPERIENCED = "experienced", "Experienced"

    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    format = models.CharField(max_length=20, choices=Format.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="programs")
    audience_roles = models.JSONField(default=list, blank=True, help_text="Position roles it is for.")
    career_stages = models.JSONField(default=list, blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="programs")
    indicator_codes = models.JSONField(
        default=list, blank=True, help_text="Evaluation indicators it targets."
    )
    pdp_category = models.SlugField(max_length=30, blank=True)
    pdp_hours = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    cost = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    capacity = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(10000)], help_text="Seats a session."
    )
    requires_approval = models.BooleanField(
        default=False, help_text="The participant's supervisor approves each registration."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["active", "format"], name="program_active_format_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("learning:program-detail", args=[self.pk])


class Session(TimeStampedModel):
    """One offering of a program: its dates, place or link, facilitators and seats."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    facilitators = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: the program's capacity.")
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["program", "starts_at"], name="session_program_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="learning_session_ends_after_start",
                violation_error_message="A session ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program.title}, {self.starts_at:%d %b %Y}"

    @property
    def seats(self) -> int:
        return self.capacity or self.program.capacity


class Enrollment(TimeStampedModel):
    """A person's place in a session: enrolled, on the waitlist (in the order they asked), cancelled,
    completed. One row per person and session."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="When a seat came free for them.")

    class Meta:
        ordering = ["session_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="learning_one_enrollment_per_person")
        ]
        indexes = [models.Index(fields=["person", "status"], name="enrollment_person_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} in {self.session}"
