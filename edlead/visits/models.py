"""School visits and classroom observations: one model, shared by evaluation (a visit marked
evaluative counts as evidence of the educator's cycle) and, later, by supervision (which extends it).

Dependency direction: `Visit.cycle` points at `evaluations.Cycle`, so visits depend on evaluations and
evaluations never imports visits (it learns of evaluative visits through
`services_cycle.evidence_source_register`). A supervision visit with no cycle needs nothing from
evaluations but the nullable column.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel
from edlead.core.models import TimeStampedModel


class Visit(VersionedModel, TimeStampedModel):
    """A visit to a school (or a classroom) by a visitor — an evaluator, a principal supervisor — scheduled
    ahead (a date still to come) or recorded after, with a purpose, the district's look-fors, notes that
    stay with the visitor, evidence tagged to the school's plan goals (and to evaluation indicators only
    when the visit is evaluative), next steps, and feedback released to the educator with a time stamp."""

    class Purpose(models.TextChoices):
        LEARNING_WALK = "learning_walk", "Learning walk / instructional rounds"
        PLAN_CHECK = "plan_check", "Plan progress check"
        OBSERVATION = "observation", "Evaluation observation"
        COACHING = "coaching", "Coaching"
        OPERATIONS = "operations", "Operations and safety"

    class LookFor(models.TextChoices):
        EVIDENT = "evident", "Evident"
        PARTLY = "partly", "Partly evident"
        NOT_EVIDENT = "not_evident", "Not evident"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    visitor = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits_made")
    educator = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="visits_received"
    )
    cycle = models.ForeignKey(
        "evaluations.Cycle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        help_text="The evaluation cycle the visit belongs to, if any.",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.OBSERVATION)
    announced = models.BooleanField(default=True)
    date = models.DateField()
    start_time = models.TimeField(
        null=True, blank=True, help_text="When the visit starts (for the calendar)."
    )
    length_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(720)], help_text="Length of the visit in minutes."
    )
    focus_indicators = models.ManyToManyField("evaluations.Indicator", blank=True, related_name="+")
    notes = models.TextField(blank=True, help_text="The visitor's notes: private to them until released.")
    feedback = models.TextField(blank=True)
    feedback_released_at = models.DateTimeField(null=True, blank=True)
    evaluative = models.BooleanField(
        default=False, help_text="Counts as evidence of the evaluation (only then, and only once released)."
    )
    look_fors = models.JSONField(
        default=dict,
        blank=True,
        help_text="The district's look-fors seen: {look-for: evident|partly|not_evident}.",
    )
    plan_goals = models.ManyToManyField(
        "plans.Goal",
        blank=True,
        related_name="visits",
        help_text="Goals of the school's plan this visit is evidence of.",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["educator", "date"], name="visit_educator_date_idx"),
            models.Index(fields=["organization", "date"], name="visit_org_date_idx"),
            models.Index(fields=["visitor", "date"], name="visit_visitor_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluative=False) | Q(cycle__isnull=False),
                name="visits_evaluative_needs_cycle",
                violation_error_message="An evaluative visit belongs to an evaluation cycle.",
            ),
            models.CheckConstraint(
                condition=Q(educator__isnull=True) | ~Q(educator=models.F("visitor")),
                name="visits_not_own_visit",
                violation_error_message="Nobody visits themselves.",
            ),
        ]

    def __str__(self) -> str:
        who = f" ({self.educator})" if self.educator_id else ""
        return f"Visit to {self.organization}{who} on {self.date:%Y-%m-%d}"

    @property
    def released(self) -> bool:
        return self.feedback_released_at is not None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("visits:visit", args=[self.pk])


class NextStep(TimeStampedModel):
    """What is to happen after a visit: who does it, by when, and when it was done."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="next_steps")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visit_next_steps")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.description} ({self.owner}, {self.due_on:%Y-%m-%d})"


class CalendarFeed(TimeStampedModel):
    """A user's private calendar address (iCal): calendar programs cannot sign in, so the address carries
    a long random token; making a new one ends the old address."""

    user = models.OneToOneField("access.User", on_delete=models.CASCADE, related_name="visit_calendar")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
