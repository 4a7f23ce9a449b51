"""Department support (DOMAIN.md §6): a school's principal or principal supervisor routes a request to one
of the district's departments (Teaching and Learning, Special Education, …); the department's responders
triage it, assign it to one of them, answer it, and the school resolves it — or reopens it when the answer
does not settle it. Safety and crisis requests are always urgent and escalate, on the platform's
schedule, to the school's supervisor and then the superintendent while nobody answers them.

A request moves new → triaged → assigned → answered → resolved (reopened: answered → assigned); each step
appends a `SupportEvent` (the timeline, append-only), the thread of answers and comments is
`SupportMessage`. Rows are written only through `edlead.support.services`.

Departments are the district setting `people.departments`; a department's responders are people
holding a `Relationship` of kind responder with the department's group key (`group_key`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel


class SupportRequest(VersionedModel, TimeStampedModel):
    """One request for a department's help with one school."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        ASSIGNED = "assigned", "Assigned"
        ANSWERED = "answered", "Answered"
        RESOLVED = "resolved", "Resolved"

    class Category(models.TextChoices):
        CURRICULUM = "curriculum", "Curriculum and instruction"
        MULTILINGUAL = "multilingual", "Multilingual learners"
        SPECIAL_EDUCATION = "special_education", "Special education / IEP"
        TECHNOLOGY = "technology", "Technology"
        STUDENT_SUPPORT = "student_support", "Student support and behaviour"
        FACILITIES = "facilities", "Facilities and operations"
        SAFETY = "safety", "Safety and crisis"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    district = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The school."
    )
    department = models.CharField(max_length=100)
    group_key = models.CharField(
        max_length=120, db_index=True, help_text="The department's group key: its responders see the request."
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    subject = models.CharField(max_length=200)
    description = models.TextField()
    requester = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    routed_at = models.DateTimeField(
        help_text="When the school routed it: its age and due date count from here."
    )
    due_at = models.DateTimeField(help_text="When an answer is due, from the priority.")
    first_answered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        default=0, help_text="0: not escalated; 1: the supervisor was told; 2: the superintendent too."
    )

    class Meta:
        ordering = ["-routed_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="support_req_org_status_idx"),
            models.Index(fields=["district", "status"], name="support_req_district_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(category="safety") | Q(priority="urgent"),
                name="support_safety_is_urgent",
                violation_error_message="A safety and crisis request is always urgent.",
            ),
            models.CheckConstraint(
                condition=~Q(status="assigned") | Q(assignee__isnull=False),
                name="support_assigned_has_assignee",
                violation_error_message="An assigned request names who answers it.",
            ),
        ]

    def __str__(self) -> str:
        return f"Support request {self.pk}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("support:request-detail", args=[self.pk])

    @property
    def is_safety(self) -> bool:
        return self.category == self.Category.SAFETY

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def awaits_answer(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.TRIAGED, self.Status.ASSIGNED)


class SupportEvent(WorkflowEvent):
    """One step on a request's timeline: routed, triaged, assigned, answered, reopened, resolved,
    escalated. Append-only."""

    record = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class SupportMessage(models.Model):
    """One answer or comment in a request's thread. Never changed once written."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "Answer"
        COMMENT = "comment", "Comment"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=255)
    body = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_label}"
