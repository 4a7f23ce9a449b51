"""Anonymous staff surveys about a leader, to a school's staff, most of whom have no account. Two
purposes share the tables, the links, the meeting codes and the answer pages:
- *evaluation*: staff feedback on an administrator (603 CMR 35.07(1)(c): category 3 evidence must
  include it), belonging to their evaluation cycle and attached to it as evidence when it closes;
- *growth*: colleagues' ratings of a leader on the learning competencies (the 360 of a needs
  assessment), read as suppressed averages in the leader's growth profile. The learning app registers
  what this purpose may do (`services_feedback.purpose_register`).

Anonymity is built into the tables, not promised by the pages:
- `FeedbackInvitation` keeps only a keyed hash of its single-use token; the e-mail address it was sent to
  is never stored (the survey keeps only how many invitations went out), and no response points at it.
- `FeedbackCode` (the staff-meeting link) keeps only a keyed hash of the code and counts its uses.
- `FeedbackResponse` holds the answers and the *date* it was submitted: no time, no address, no browser,
  no invitation or code, and a random primary key, so neither order nor timing links it to a person.
Rows are written only through `edlead.evaluations.services_feedback`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel, audit_verbs_register

SURVEY_CREATED = "feedback_survey_created"
SURVEY_OPENED = "feedback_survey_opened"
SURVEY_CLOSED = "feedback_survey_closed"
INVITATIONS_SENT = "feedback_invitations_sent"
CODE_CREATED = "feedback_code_created"
AUDIT_VERBS = {
    SURVEY_CREATED: "Staff feedback survey created",
    SURVEY_OPENED: "Staff feedback survey opened",
    SURVEY_CLOSED: "Staff feedback survey closed",
    INVITATIONS_SENT: "Staff feedback invitations sent",
    CODE_CREATED: "Staff feedback meeting code created",
}
# Registered as the models load (before any ready()), so staff feedback plugs in without an edit of
# the app's apps.py, which the cycle's other parts share.
audit_verbs_register(AUDIT_VERBS)


class FeedbackSurvey(TimeStampedModel):
    """One staff survey about a leader (`subject`): for an evaluation, the administrator whose cycle it
    belongs to. The questions are copied when it is created, so later edits of the defaults never change
    what was asked."""

    class Purpose(models.TextChoices):
        EVALUATION = "evaluation", "Staff feedback for an evaluation"
        GROWTH = "growth", "Colleague ratings (360)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.EVALUATION)
    cycle = models.ForeignKey(
        "evaluations.Cycle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_surveys",
        help_text="The evaluation cycle (evaluation surveys only).",
    )
    subject = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", help_text="The leader asked about."
    )
    title = models.CharField(max_length=200)
    questions = models.JSONField(
        default=list, help_text="[{key, text, indicator}] Likert items, then the optional free-text prompt."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    invitations_sent = models.PositiveIntegerField(
        default=0, help_text="How many e-mail invitations went out (the addresses are never stored)."
    )
    evidence = models.ForeignKey(
        "evaluations.Evidence",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The evidence the closed survey attached to the cycle.",
    )
    closed_responses = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many responses it had when it closed."
    )

    class Meta:
        ordering = ["cycle_id", "-opens_on", "id"]
        indexes = [models.Index(fields=["subject", "purpose", "status"], name="feedback_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="evaluations_feedback_closes_after_opening",
                violation_error_message="A survey cannot close before it opens.",
            ),
            models.CheckConstraint(
                condition=Q(purpose="evaluation", cycle__isnull=False)
                | Q(purpose="growth", cycle__isnull=True),
                name="evaluations_feedback_cycle_for_evaluation",
                violation_error_message="An evaluation survey belongs to a cycle; a 360 to no cycle.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("staff_feedback:survey-detail", args=[self.pk])


class FeedbackInvitation(models.Model):
    """One single-use answer link sent by e-mail: only the keyed hash of its token, and whether it has
    been used. No time stamps (when it was used would line up with a response's arrival)."""

    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class FeedbackCode(models.Model):
    """A code handed out at a staff meeting: one link for everyone, good for `max_uses` answers."""

    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    max_uses = models.PositiveIntegerField()
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(uses__lte=models.F("max_uses")),
                name="evaluations_feedback_code_uses_within_max",
                violation_error_message="This code has been used as often as it may be.",
            )
        ]

    def __str__(self) -> str:
        return f"Meeting code for {self.survey}"


class FeedbackResponse(models.Model):
    """One anonymous answer sheet: {question key: 1–5 or None} and the free text. Deliberately no link
    to an invitation or code, no time of day, no address or browser, and a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)
    submitted_on = models.DateField()

    class Meta:
        ordering = ["survey_id", "submitted_on"]

    def __str__(self) -> str:
        return f"Response to {self.survey}"
