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
    """A visit to a school (or a classroom) by a visitor — usually an evaluator — with focus indicators,
    private notes and feedback released to the educator with a time stamp."""

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
    announced = models.BooleanField(default=True)
    date = models.DateField()
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

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["educator", "date"], name="visit_educator_date_idx")]
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
