"""School improvement plans (DOMAIN.md §6): a district's strategic objectives and theory of action, and
each school's plan for one or more school years — goals aligned to the district's objectives, each
measurable with a metric of the metrics app, strategies, action steps, process and outcome benchmarks,
the professional learning that supports it and the school's leadership team.

The plan moves draft → submitted → returned (with comments) or endorsed by the principal supervisor →
approved by the superintendent (`PlanEvent`, append-only, draws the timeline); a snapshot of the whole
plan is kept at each submission and approval (`PlanVersion`). Once approved, the school reports progress
on each goal every quarter. Rows are written only through `edlead.plans.services`.

School years are the year they start in (2026 for 2026-27), as everywhere in EdLead."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]
MAX_PLAN_YEARS = 5


class StrategicPlan(VersionedModel, TimeStampedModel):
    """A district's strategy for some school years: its theory of action and objectives, to which school
    plans align their goals."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    theory_of_action = models.TextField(
        help_text="If the district does this, then… — the reasoning the school plans carry out."
    )
    first_year = models.PositiveSmallIntegerField(validators=YEAR)
    last_year = models.PositiveSmallIntegerField(validators=YEAR)

    class Meta:
        ordering = ["organization_id", "-first_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="plans_strategy_years_in_order",
                violation_error_message="The last school year cannot come before the first.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    """One strategic objective of a district."""

    strategic_plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=10, help_text="Its number in the district's strategy, e.g. 2.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["strategic_plan_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategic_plan", "code"],
                name="plans_objective_code_once",
                violation_error_message="That objective number is taken.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Plan(VersionedModel, TimeStampedModel):
    """One school's improvement plan for one or more school years, or a district's template
    (`is_template`, organization the district) that school plans start from."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted to the supervisor"
        RETURNED = "returned", "Returned with comments"
        ENDORSED = "endorsed", "Endorsed by the supervisor"
        APPROVED = "approved", "Approved"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    strategic_plan = models.ForeignKey(
        StrategicPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="school_plans"
    )
    is_template = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    summary = models.TextField(
        blank=True, help_text="Where the school stands and what the plan sets out to change."
    )
    first_year = models.PositiveSmallIntegerField(validators=YEAR)
    last_year = models.PositiveSmallIntegerField(validators=YEAR)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization_id", "-first_year", "pk"]
        indexes = [models.Index(fields=["organization", "status"], name="plans_plan_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="plans_plan_years_in_order",
                violation_error_message="The last school year cannot come before the first.",
            ),
            models.CheckConstraint(
                condition=Q(last_year__lt=F("first_year") + MAX_PLAN_YEARS),
                name="plans_plan_at_most_five_years",
                violation_error_message=f"A plan covers at most {MAX_PLAN_YEARS} school years.",
            ),
            models.UniqueConstraint(
                fields=["organization", "first_year"],
                condition=Q(is_template=False),
                name="plans_one_plan_per_school_and_start",
                violation_error_message="This school already has a plan starting that school year.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def period_label(self) -> str:
        def label(y: int) -> str:
            return f"{y}-{(y + 1) % 100:02d}"

        if self.first_year == self.last_year:
            return label(self.first_year)
        return f"{label(self.first_year)} to {label(self.last_year)}"


class PlanEvent(WorkflowEvent):
    """The plan's status history (submitted, returned with the comments, endorsed, approved)."""

    record = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class PlanVersion(models.Model):
    """The whole plan as it stood when it was submitted or approved (`snapshot`: goals, strategies, steps,
    benchmarks, team), so what the supervisor endorsed and the superintendent approved stays readable."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="The plan's version number at the time.")
    status = models.CharField(max_length=12, choices=Plan.Status.choices)
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_label = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["plan_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Goal(models.Model):
    """A measurable goal: a metric, a student group, the school year and period it is measured in, the
    baseline and the target. Aligned to a district objective when the district has a strategy."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    statement = models.TextField()
    metric = models.ForeignKey("metrics.Metric", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("metrics.StudentGroup", on_delete=models.PROTECT, related_name="+")
    school_year = models.PositiveSmallIntegerField(validators=YEAR)
    period = models.CharField(
        max_length=16, blank=True, default="", help_text="Empty for the whole year; a month (2027-01)."
    )
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    programs = models.ManyToManyField("learning.Program", blank=True, related_name="+")

    class Meta:
        ordering = ["plan_id", "order", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]


class Strategy(models.Model):
    """What the school will do to reach a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["goal_id", "order", "pk"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.text[:80]


class ActionStep(models.Model):
    """One step of a strategy: who does it, by when, how far it is."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        BLOCKED = "blocked", "Blocked"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["strategy_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class Benchmark(models.Model):
    """A check on the way: a *process* benchmark (something done by a date, marked met or not) or an
    *outcome* benchmark (the goal's metric at a point of the year, its actual value read from the imported
    metrics and in-year monitoring)."""

    class Kind(models.TextChoices):
        PROCESS = "process", "Process"
        OUTCOME = "outcome", "Outcome"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="benchmarks")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    school_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    period = models.CharField(max_length=16, blank=True, default="")
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    met = models.BooleanField(
        null=True, blank=True, help_text="Process benchmarks: met, not met, or not yet."
    )

    class Meta:
        ordering = ["goal_id", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="process") | Q(target__isnull=False, school_year__isnull=False),
                name="plans_outcome_benchmark_measurable",
                violation_error_message="An outcome benchmark needs a school year and a target value.",
            )
        ]

    def __str__(self) -> str:
        return self.description


class TeamMember(models.Model):
    """A member of the school's leadership team or council, with their role on it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=80, default="Member")

    class Meta:
        ordering = ["plan_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person"],
                name="plans_team_member_once",
                violation_error_message="This person is already on the team.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class ProgressUpdate(models.Model):
    """A quarter's progress on a goal of an approved plan: on track, at risk or off track, with the
    evidence. One per goal, school year and quarter (a later report replaces it through the service)."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    school_year = models.PositiveSmallIntegerField(validators=YEAR)
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(max_length=10, choices=Status.choices)
    evidence = models.TextField()
    reported_at = models.DateTimeField(auto_now=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["goal_id", "-school_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "school_year", "quarter"],
                name="plans_one_update_per_quarter",
                violation_error_message="This quarter's progress is already reported.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="plans_quarter_1_to_4",
                violation_error_message="A quarter is 1 to 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.school_year}: {self.get_status_display()}"
