"""Coaching and mentoring (issue 12, item 3): who coaches or mentors whom, their cycles and goals, and the
sessions they log. Access follows the platform's dated `access.Relationship` (COACH or MENTOR) that each
coaching relationship is backed by; a session's notes are private to the coach and the coachee unless the
coachee shares them (the rules are declared in `edlead/coaching/apps.py`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse

from edlead.access.models import Relationship
from edlead.core.models import TimeStampedModel


class CoachingRelationship(TimeStampedModel):
    """A coach or mentor and the person they coach, from a start to an (optional) end date. The access it
    gives is that of its `access` relationship, written with `access.services.relationship_start`."""

    class Kind(models.TextChoices):
        EXECUTIVE_COACH = "executive_coach", "Executive coach"
        NEW_PRINCIPAL_MENTOR = "new_principal_mentor", "Mentor for a new principal"
        PEER_MENTOR = "peer_mentor", "Peer mentor"
        INSTRUCTIONAL_COACH = "instructional_coach", "Instructional coach for teacher leaders"

    # The kind of platform relationship each kind stands on.
    ACCESS_KIND: dict[str, str] = {
        Kind.EXECUTIVE_COACH: Relationship.Kind.COACH,
        Kind.NEW_PRINCIPAL_MENTOR: Relationship.Kind.MENTOR,
        Kind.PEER_MENTOR: Relationship.Kind.MENTOR,
        Kind.INSTRUCTIONAL_COACH: Relationship.Kind.COACH,
    }
    # Mentoring that counts toward a new principal's induction, and toward a mentor's caseload.
    MENTORING_KINDS = (Kind.NEW_PRINCIPAL_MENTOR, Kind.PEER_MENTOR)

    kind = models.CharField(max_length=24, choices=Kind.choices)
    coach = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="coaching_given")
    coachee = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="coaching_received")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The coachee's district: whose coordinators manage it, whose settings apply.",
    )
    access = models.OneToOneField(
        Relationship, on_delete=models.PROTECT, related_name="coaching", help_text="The access it gives."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "access.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["coachee", "kind"], name="coaching_coachee_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="coaching_ends_after_start",
                violation_error_message="A coaching relationship cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(coach=models.F("coachee")),
                name="coaching_not_with_self",
                violation_error_message="Nobody coaches or mentors themselves.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.coach} with {self.coachee}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:relationship-detail", args=[self.pk])

    def is_active(self, on: Any) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    @property
    def is_mentoring(self) -> bool:
        return self.kind in self.MENTORING_KINDS


class CoachingCycle(TimeStampedModel):
    """A stretch of coaching with a focus and goals (a semester's cycle on classroom feedback)."""

    relationship = models.ForeignKey(CoachingRelationship, on_delete=models.CASCADE, related_name="cycles")
    title = models.CharField(max_length=160)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="coaching_cycle_ends_after_start",
                violation_error_message="A cycle cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CycleGoal(TimeStampedModel):
    """One goal of a coaching cycle."""

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        MET = "met", "Met"
        DROPPED = "dropped", "Set aside"

    cycle = models.ForeignKey(CoachingCycle, on_delete=models.CASCADE, related_name="goals")
    statement = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.statement


class CoachingSession(TimeStampedModel):
    """One session, logged by the coach or the coachee: when, how long, its focus and agreed actions, and
    notes. Everything but the hours is private to the two of them unless the coachee shares it."""

    class SharedWith(models.TextChoices):
        PRIVATE = "private", "Only the coach and the coachee"
        SUPERVISION = "supervision", "Also the coachee's evaluator and supervisors (shared by the coachee)"

    relationship = models.ForeignKey(CoachingRelationship, on_delete=models.CASCADE, related_name="sessions")
    cycle = models.ForeignKey(
        CoachingCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    held_on = models.DateField("date")
    minutes = models.PositiveIntegerField("length in minutes")
    focus = models.CharField(max_length=200)
    agreed_actions = models.TextField(blank=True)
    notes = models.TextField("private notes", blank=True)
    shared_with = models.CharField(max_length=12, choices=SharedWith.choices, default=SharedWith.PRIVATE)
    logged_by = models.ForeignKey(
        "access.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["relationship", "held_on"], name="coaching_session_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=720),
                name="coaching_session_minutes_range",
                violation_error_message="A session lasts between 1 and 720 minutes.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.focus}"
