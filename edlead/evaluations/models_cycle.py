"""The 5-step evaluation cycle (603 CMR 35.06): one `Cycle` per educator and period, with its
self-assessment, goals, evidence, formative assessment and summative evaluation.

Imported from `edlead.evaluations.models`. Rows are written only through
`edlead.evaluations.services_cycle`; who may read them is declared once in `apps.py`
(`CYCLE_VIEW`: the educator, their evaluator, their supervision chain, HR of their district).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel
from edlead.evaluations.models import PerformanceLevel


class PlanType(models.TextChoices):
    """Educator plans (603 CMR 35.06(3)): type and length decided by the evaluator."""

    DEVELOPING = "developing", "Developing Educator Plan"
    SELF_DIRECTED = "self_directed", "Self-Directed Growth Plan"
    DIRECTED_GROWTH = "directed_growth", "Directed Growth Plan"
    IMPROVEMENT = "improvement", "Improvement Plan"


class Attainment(models.TextChoices):
    """Goal attainment at the summative evaluation, lowest first."""

    DID_NOT_MEET = "did_not_meet", "Did Not Meet"
    SOME_PROGRESS = "some_progress", "Some Progress"
    SIGNIFICANT_PROGRESS = "significant_progress", "Significant Progress"
    MET = "met", "Met"
    EXCEEDED = "exceeded", "Exceeded"


class Progress(models.TextChoices):
    """Progress on a goal at the formative assessment."""

    NOT_STARTED = "not_started", "Not started"
    PROGRESSING = "progressing", "Progressing"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    MET = "met", "Met"


class Cycle(VersionedModel, TimeStampedModel):
    """One educator's evaluation cycle for a period: who evaluates, under which rubric and plan, and the
    step it has reached. `step` is the workflow status (every move is a `CycleEvent`)."""

    class Step(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", "1 Self-assessment"
        GOALS_PLAN = "goals_plan", "2 Goal setting and plan development"
        IMPLEMENTATION = "implementation", "3 Plan implementation"
        FORMATIVE = "formative", "4 Formative assessment"
        SUMMATIVE = "summative", "5 Summative evaluation"
        DONE = "done", "Complete"

    educator = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="evaluation_cycles")
    evaluator = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Chosen by HR or the district administrator (proposed from supervision).",
    )
    evaluator_relationship = models.ForeignKey(
        "access.Relationship",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The dated evaluator relationship that gives the evaluator access.",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The educator's school (or district) when the cycle began.",
    )
    school_year = models.PositiveSmallIntegerField(
        help_text="The school year it starts in (2026 for 2026-27)."
    )
    framework = models.ForeignKey("evaluations.Framework", on_delete=models.PROTECT, related_name="cycles")
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.SELF_ASSESSMENT)
    plan_type = models.CharField(max_length=20, choices=PlanType.choices, blank=True)
    plan_starts_on = models.DateField(null=True, blank=True)
    plan_ends_on = models.DateField(null=True, blank=True)
    plan_decided_at = models.DateTimeField(null=True, blank=True)
    plan_approved_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True, help_text="Both signatures given: read-only.")
    reopen_count = models.PositiveSmallIntegerField(default=0)

    STEP_ORDER = [s.value for s in Step]

    class Meta:
        ordering = ["-school_year", "educator__last_name", "id"]
        indexes = [
            models.Index(fields=["educator", "school_year"], name="cycle_educator_year_idx"),
            models.Index(fields=["evaluator", "step"], name="cycle_evaluator_step_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["educator", "school_year"],
                name="evaluations_one_cycle_per_educator_year",
                violation_error_message="This educator already has an evaluation cycle for that school year.",
            ),
            models.CheckConstraint(
                condition=Q(evaluator__isnull=True) | ~Q(evaluator=models.F("educator")),
                name="evaluations_cycle_not_self_evaluated",
                violation_error_message="Nobody evaluates themselves.",
            ),
            models.CheckConstraint(
                condition=Q(plan_ends_on__isnull=True)
                | Q(plan_starts_on__isnull=True)
                | Q(plan_ends_on__gte=models.F("plan_starts_on")),
                name="evaluations_cycle_plan_ends_after_start",
                violation_error_message="A plan cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.educator} ({self.school_year}-{(self.school_year + 1) % 100:02d})"

    def get_absolute_url(self) -> str:
        from django.urls import NoReverseMatch, reverse

        try:
            return reverse("evaluations:cycle-detail", args=[self.pk])
        except NoReverseMatch:  # the cycle pages come with a later part of issue 9
            return reverse("evaluations:framework-list")

    @property
    def step_number(self) -> int:
        return self.STEP_ORDER.index(self.step) + 1

    @property
    def is_locked(self) -> bool:
        return self.step == self.Step.DONE

    @property
    def year_label(self) -> str:
        return f"{self.school_year}-{(self.school_year + 1) % 100:02d}"


class CycleEvent(WorkflowEvent):
    """One move of a cycle (self-assessment submitted, plan approved, signed, reopened…): its timeline."""

    record = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class Assessment(VersionedModel, TimeStampedModel):
    """A written assessment within a cycle: the educator's self-assessment (step 1), the evaluator's
    formative assessment (step 4) or summative evaluation (step 5). Ratings per standard or indicator
    are `Rating` rows; goal progress and attainment are `GoalReview` rows."""

    class Stage(models.TextChoices):
        SELF = "self", "Self-assessment"
        FORMATIVE = "formative", "Formative assessment"
        SUMMATIVE = "summative", "Summative evaluation"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    narrative = models.TextField(blank=True)
    overall = models.CharField(
        max_length=20,
        choices=PerformanceLevel.choices,
        blank=True,
        help_text="Summative (and formative) only.",
    )
    is_formative_evaluation = models.BooleanField(
        default=False,
        help_text="A formative evaluation (end of year 1 of a two-year plan) rates each standard.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    evaluator_signed_at = models.DateTimeField(null=True, blank=True)
    educator_signed_at = models.DateTimeField(null=True, blank=True)
    educator_response = models.TextField(
        blank=True, help_text="The educator's optional written response (signing acknowledges receipt only)."
    )
    next_plan_type = models.CharField(max_length=20, choices=PlanType.choices, blank=True)
    next_plan_note = models.CharField(max_length=255, blank=True)
    warnings = models.JSONField(default=list, blank=True, help_text="Rule warnings shown when signing.")

    class Meta:
        ordering = ["cycle_id", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "stage"],
                name="evaluations_one_assessment_per_stage",
                violation_error_message="This cycle already has that assessment.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} — {self.cycle}"


class Rating(models.Model):
    """One rating in an assessment: of a standard, or (self-assessment by indicator) of an indicator."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(
        "evaluations.Standard", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        "evaluations.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=20, choices=PerformanceLevel.choices)
    narrative = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment_id", "standard_id", "indicator_id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(standard__isnull=False) & Q(indicator__isnull=True))
                | (Q(standard__isnull=True) & Q(indicator__isnull=False)),
                name="evaluations_rating_standard_or_indicator",
                violation_error_message="A rating is of one standard or of one indicator.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "standard"],
                condition=Q(standard__isnull=False),
                name="evaluations_rating_standard_once",
                violation_error_message="This standard is already rated.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                condition=Q(indicator__isnull=False),
                name="evaluations_rating_indicator_once",
                violation_error_message="This indicator is already rated.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard or self.indicator}: {self.get_level_display()}"


class TeamGoal(TimeStampedModel):
    """A goal shared by several educators (a school's leadership team): its text is written once here,
    and each educator's cycle holds a `Goal` pointing at it, approved in that cycle."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class Goal(VersionedModel, TimeStampedModel):
    """A S.M.A.R.T. goal of one cycle, with its action plan and benchmarks; proposed by the educator,
    approved or returned with comments by the evaluator. A team goal's members each hold one."""

    class Kind(models.TextChoices):
        STUDENT_LEARNING = "student_learning", "Student learning"
        PROFESSIONAL_PRACTICE = "professional_practice", "Professional practice"
        SCHOOL_IMPROVEMENT = "school_improvement", "School improvement"
        DISTRICT_IMPROVEMENT = "district_improvement", "District improvement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="goals")
    team = models.ForeignKey(TeamGoal, null=True, blank=True, on_delete=models.PROTECT, related_name="goals")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    specific = models.TextField("specific and strategic", blank=True)
    measurable = models.TextField(blank=True)
    action_oriented = models.TextField("action oriented", blank=True)
    realistic = models.TextField("rigorous, realistic, results-focused", blank=True)
    timed = models.TextField("timed and tracked", blank=True)
    action_plan = models.TextField(blank=True)
    process_benchmarks = models.TextField(blank=True)
    outcome_benchmarks = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    evaluator_comment = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    TEXT_FIELDS = (
        "title",
        "specific",
        "measurable",
        "action_oriented",
        "realistic",
        "timed",
        "action_plan",
        "process_benchmarks",
        "outcome_benchmarks",
    )

    class Meta:
        ordering = ["cycle_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "team"],
                condition=Q(team__isnull=False),
                name="evaluations_team_goal_once_per_cycle",
                violation_error_message="This cycle already shares that team goal.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class GoalEvent(WorkflowEvent):
    """One move of a goal (proposed, approved, returned)."""

    record = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class GoalReview(models.Model):
    """Progress on one goal in a formative assessment, or its attainment in the summative evaluation."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="goal_reviews")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    progress = models.CharField(max_length=20, choices=Progress.choices, blank=True)
    attainment = models.CharField(max_length=24, choices=Attainment.choices, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment_id", "goal_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "goal"],
                name="evaluations_goal_reviewed_once",
                violation_error_message="This goal is already reviewed here.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_attainment_display() or self.get_progress_display()}"


class Evidence(TimeStampedModel):
    """One piece of evidence in a cycle (step 3), from the educator or the evaluator: a file (an
    attachment of this row, through `edlead.files`), a link or a note, in one of the three categories
    of 603 CMR 35.07 and tagged to indicators."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"
        NOTE = "note", "Note"

    class Category(models.IntegerChoices):
        STUDENT_LEARNING = 1, "Multiple measures of student learning, growth and achievement"
        PRACTICE = 2, "Observations and artifacts of practice"
        OTHER = 3, "Other evidence, including staff feedback"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    category = models.PositiveSmallIntegerField(choices=Category.choices)
    staff_feedback = models.BooleanField(
        default=False, help_text="Staff feedback (category 3): required for administrators."
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    indicators = models.ManyToManyField("evaluations.Indicator", blank=True, related_name="+")

    class Meta:
        ordering = ["cycle_id", "-created_at", "-id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(staff_feedback=False) | Q(category=3),
                name="evaluations_staff_feedback_is_category_3",
                violation_error_message="Staff feedback is evidence of category 3 (other evidence).",
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | ~Q(url=""),
                name="evaluations_link_evidence_has_url",
                violation_error_message="A link needs its address.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CycleReopening(models.Model):
    """A signed summative evaluation reopened for a correction: who, when, why, and the signed version
    as it was (append-only: the record of what the educator had acknowledged)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reopenings")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    snapshot = models.JSONField(help_text="The summative evaluation as signed, before the correction.")

    class Meta:
        ordering = ["cycle_id", "at", "id"]

    def __str__(self) -> str:
        return f"Reopened {self.cycle} on {self.at:%Y-%m-%d}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Reopenings are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
