"""Teacher leadership (issue 13, items 4 and 5).

- A district's catalog of teacher-leader roles (`TeacherLeaderRole`: instructional coach, department
  head, team leader, mentor teacher, data lead…); people hold them through a `people.Position` of role
  "teacher leader" (the tenure record), linked by a `TeacherLeaderAssignment` with the term.
- A school team's distributed-leadership guide (`LeadershipPlan`): a self-assessment of the dimensions in
  `dimensions.py` rated 1–4 by the team at the start, middle and end of the year (`LeadershipRating`),
  and a plan of actions with owners and dates (`PlanAction`) and their progress updates (`ActionUpdate`).
- Leadership bodies (`LeadershipBody`): a school's or district's leadership team, instructional leadership
  team, council or board, and the state's teacher and principal advisory cabinets — members with their
  role and term (`BodyMember`, each backed by an access `Relationship` of kind member on the body's
  `group_key`), meetings with attendance (`BodyMeeting`), and a decision log (`BodyDecision`).

Rows are written only through this app's services."""

from __future__ import annotations

import uuid as _uuid
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from edlead.core.editing import VersionedModel
from edlead.core.models import TimeStampedModel


class TeacherLeaderRole(TimeStampedModel):
    """One teacher-leader role in a district's catalog: what the holder does, who may be chosen, the
    stipend and the length of a term."""

    class Kind(models.TextChoices):
        INSTRUCTIONAL_COACH = "instructional_coach", "Instructional coach"
        DEPARTMENT_HEAD = "department_head", "Department head"
        TEAM_LEADER = "team_leader", "Grade-level or team leader"
        MENTOR_TEACHER = "mentor_teacher", "Mentor teacher"
        DATA_LEAD = "data_lead", "Data lead"
        CURRICULUM_LEAD = "curriculum_lead", "Curriculum lead"
        OTHER = "other", "Other"

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The district."
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    responsibilities = models.TextField()
    selection_criteria = models.TextField(blank=True)
    stipend = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    term_years = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(6)], help_text="Length of one term."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="teacherleaders_role_unique_name",
                violation_error_message="The district already has a role of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teacherleaders:role-detail", args=[self.pk])


class TeacherLeaderAssignment(TimeStampedModel):
    """A person holding a catalog role for a term, through their teacher-leader position (the position is
    the tenure record; this row says which role and term it is)."""

    role = models.ForeignKey(TeacherLeaderRole, on_delete=models.PROTECT, related_name="assignments")
    position = models.OneToOneField(
        "people.Position", on_delete=models.CASCADE, related_name="teacher_leader_assignment"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="Where the role is held."
    )
    term_starts_on = models.DateField()
    term_ends_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Set when the holder left the role.")

    class Meta:
        ordering = ["term_ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("term_starts_on")),
                name="teacherleaders_term_ends_after_start",
                violation_error_message="A term ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.term_starts_on:%Y}–{self.term_ends_on:%Y})"


class LeadershipPlan(TimeStampedModel):
    """A school team's distributed-leadership planning guide for one school year."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The school."
    )
    school_year = models.PositiveSmallIntegerField(
        help_text="The year the school year ends in (2026: 2025–26)."
    )
    team = models.ForeignKey(
        "LeadershipBody",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The leadership team whose members rate the school.",
    )
    focus = models.TextField(blank=True, help_text="What the team wants distributed leadership to change.")

    class Meta:
        ordering = ["-school_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "school_year"],
                name="teacherleaders_one_plan_per_year",
                violation_error_message="The school already has a guide for that year.",
            )
        ]

    def __str__(self) -> str:
        return f"Distributed leadership {self.school_year - 1}–{self.school_year % 100:02d}"

    @property
    def year_label(self) -> str:
        return f"{self.school_year - 1}–{self.school_year % 100:02d}"

    def get_absolute_url(self) -> str:
        return reverse("teacherleaders:plan-detail", args=[self.pk])


class LeadershipRating(models.Model):
    """One team member's rating of one dimension at one checkpoint of the year."""

    class Checkpoint(models.TextChoices):
        START = "start", "Start of year"
        MIDDLE = "middle", "Middle of year"
        END = "end", "End of year"

    plan = models.ForeignKey(LeadershipPlan, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    checkpoint = models.CharField(max_length=8, choices=Checkpoint.choices)
    dimension = models.CharField(max_length=24)
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["checkpoint", "dimension", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person", "checkpoint", "dimension"],
                name="teacherleaders_one_rating",
                violation_error_message="One rating per person, dimension and checkpoint.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.level}"


class PlanAction(TimeStampedModel):
    """One action of the plan: what, for which dimension, who owns it, by when, how far it is."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)

    plan = models.ForeignKey(LeadershipPlan, on_delete=models.CASCADE, related_name="actions")
    dimension = models.CharField(max_length=24)
    action = models.CharField(max_length=300)
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.action

    def get_absolute_url(self) -> str:
        return reverse("teacherleaders:plan-detail", args=[self.plan_id]) + f"#action-{self.pk}"


class ActionUpdate(models.Model):
    """A progress note on an action (append-only): the status it moved to and what happened."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=PlanAction.Status.choices)
    note = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.note}"


class LeadershipBody(TimeStampedModel):
    """A leadership team, council or board of a school or district, or a state advisory cabinet."""

    class Kind(models.TextChoices):
        LEADERSHIP_TEAM = "leadership_team", "Leadership team"
        INSTRUCTIONAL_TEAM = "instructional_team", "Instructional leadership team"
        COUNCIL = "council", "Council"
        BOARD = "board", "Leadership board"
        TEACHER_CABINET = "teacher_cabinet", "Teacher advisory cabinet"
        PRINCIPAL_CABINET = "principal_cabinet", "Principal advisory cabinet"

    CABINETS = (Kind.TEACHER_CABINET, Kind.PRINCIPAL_CABINET)

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=160)
    purpose = models.TextField(blank=True)
    convener = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", help_text="Who convenes it."
    )
    group_key = models.CharField(max_length=120, unique=True, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="teacherleaders_body_unique_name",
                violation_error_message="There is already a body of that name here.",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.group_key:
            self.group_key = f"leadership:{_uuid.uuid4().hex[:12]}"
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    @property
    def is_cabinet(self) -> bool:
        return self.kind in self.CABINETS

    def get_absolute_url(self) -> str:
        return reverse("teacherleaders:body-detail", args=[self.pk])


class BodyMember(TimeStampedModel):
    """A person's seat on a body for a term; `relationship` is the access membership it gives."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        CO_CHAIR = "co_chair", "Co-chair"
        SECRETARY = "secretary", "Secretary"
        MEMBER = "member", "Member"

    body = models.ForeignKey(LeadershipBody, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member's district (state cabinets).",
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    represents = models.CharField(max_length=120, blank=True, help_text="e.g. Grade 3 team, parents.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    relationship = models.OneToOneField(
        "access.Relationship", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role", "person__last_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="teacherleaders_member_term",
                violation_error_message="A term cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.body}"


class BodyMeeting(VersionedModel, TimeStampedModel):
    """One meeting of a body: its agenda, minutes and who attended. Minutes are often finished or
    corrected after the meeting, so the record is edited with the version check (safe editing)."""

    body = models.ForeignKey(LeadershipBody, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    attendees = models.ManyToManyField(BodyMember, blank=True, related_name="meetings_attended")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} meeting, {self.held_on:%d %b %Y}"


class BodyDecision(TimeStampedModel):
    """One entry of a body's decision log (for a cabinet: a recommendation to the agency)."""

    class Status(models.TextChoices):
        DECIDED = "decided", "Decided"
        IN_PROGRESS = "in_progress", "Being carried out"
        DONE = "done", "Carried out"
        REVISITED = "revisited", "To revisit"

    body = models.ForeignKey(LeadershipBody, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        BodyMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    decided_on = models.DateField()
    decision = models.CharField(max_length=400)
    rationale = models.TextField(blank=True)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DECIDED)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.decision
