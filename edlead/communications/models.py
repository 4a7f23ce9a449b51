"""Communications (issue 13, item 6): the state's or a district's newsletter — a periodic "top three"
digest issue sent to chosen audiences —, reflection pieces written by educators and published after
review, and recognition programs (criteria, nominations, a review panel, awards on the person's record).

Words: a *newsletter issue* (`NewsletterIssue`) is one "top three" issue of a publisher's newsletter; it is
not the notices' daily e-mail digest of notices (edlead/notices), which is something else. Rows are written
only through `edlead.communications.services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel
from edlead.people.models import Position

PR = Position.Role


class Audience(models.TextChoices):
    """Who a newsletter goes to: people whose current position under the publisher has these roles (aspiring
    leaders: people marked `is_aspiring_leader` with a current position there, whatever its role)."""

    PRINCIPALS = "principals", "Principals"
    ASSISTANT_PRINCIPALS = "assistant_principals", "Assistant principals"
    SUPERVISORS = "principal_supervisors", "Principal supervisors"
    SUPERINTENDENTS = "superintendents", "Superintendents and assistant superintendents"
    TEACHER_LEADERS = "teacher_leaders", "Teacher leaders"
    ASPIRING_LEADERS = "aspiring_leaders", "Aspiring leaders"


AUDIENCE_ROLES: dict[str, tuple[str, ...]] = {
    Audience.PRINCIPALS: (PR.PRINCIPAL,),
    Audience.ASSISTANT_PRINCIPALS: (PR.ASSISTANT_PRINCIPAL,),
    Audience.SUPERVISORS: (PR.PRINCIPAL_SUPERVISOR,),
    Audience.SUPERINTENDENTS: (PR.SUPERINTENDENT, PR.ASSISTANT_SUPERINTENDENT),
    Audience.TEACHER_LEADERS: (PR.TEACHER_LEADER,),
    Audience.ASPIRING_LEADERS: (),  # anyone working under the publisher who is marked an aspiring leader
}


class NewsletterIssue(VersionedModel, TimeStampedModel):
    """One issue of a publisher's "top three" newsletter: a title, an introduction and up to three top
    items, sent once to the chosen audiences and to the publisher's subscribers."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The publisher."
    )
    title = models.CharField(max_length=200)
    intro = models.TextField("Introduction", blank=True)
    audiences = models.JSONField(default=list, help_text="Audience keys (see Audience).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the worker finished sending it.")
    recipients = models.PositiveIntegerField(default=0, help_text="People it was sent to.")

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"], name="comms_issue_org_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communications:issue-detail", args=[self.pk])

    @property
    def audience_labels(self) -> list[str]:
        names = dict(Audience.choices)
        return [names.get(a, a) for a in self.audiences]


class NewsletterItem(models.Model):
    """One of an issue's top three items."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    headline = models.CharField(max_length=200)
    body = models.TextField()
    link = models.URLField(blank=True, help_text="Optional: where to read more.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "position"],
                name="comms_item_position_unique",
                violation_error_message="An issue has one item in each place.",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=3),
                name="comms_item_top_three",
                violation_error_message="An issue has at most three top items.",
            ),
        ]

    def __str__(self) -> str:
        return self.headline


class NewsletterDelivery(models.Model):
    """That one person was sent one issue: unique, so a retried or repeated send never sends twice."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "person"],
                name="comms_delivery_once",
                violation_error_message="This person was already sent this issue.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.person_id}"


class Subscription(TimeStampedModel):
    """A person's explicit choice about one publisher's newsletter. Without a row, a person receives the
    issues addressed to an audience they belong to; `subscribed=False` always wins (they receive nothing
    from that publisher); `subscribed=True` adds them to every issue of the publisher."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    subscribed = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                name="comms_subscription_unique",
                violation_error_message="One choice per publisher.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {'subscribed to' if self.subscribed else 'unsubscribed from'} {self.organization_id}"


class Reflection(VersionedModel, TimeStampedModel):
    """A reflection piece an educator writes for a publisher's readers; reviewed by the publisher's
    administrators, then published in the archive (or returned with a comment)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for review"
        RETURNED = "returned", "Returned with comments"
        PUBLISHED = "published", "Published"

    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="Where it is published."
    )
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=100)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communications:reflection-detail", args=[self.pk])


class ReflectionEvent(WorkflowEvent):
    """One step of a reflection piece: submitted, returned, published. Append-only."""

    record = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class RecognitionProgram(VersionedModel, TimeStampedModel):
    """An educator recognition program: criteria, a nomination window, a review panel (people holding a
    member relationship to `panel_key`) and the awards it gives."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="Who runs it."
    )
    name = models.CharField(max_length=200)
    criteria = models.TextField()
    award_title = models.CharField(
        max_length=200, help_text='What the award is called, e.g. "Principal of the Year".'
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    self_nomination = models.BooleanField("Self-nomination allowed", default=False)

    class Meta:
        ordering = ["-closes_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="comms_program_window",
                violation_error_message="Nominations close on or after the day they open.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communications:program-detail", args=[self.pk])

    @property
    def panel_key(self) -> str:
        return f"recognition-panel:{self.pk}"


class Nomination(TimeStampedModel):
    """One nomination: who nominates whom, with a statement against the program's criteria. Confidential
    to the nominator, the panel and the program's administrators."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Under review"
        AWARDED = "awarded", "Awarded"
        NOT_SELECTED = "not_selected", "Not selected"

    program = models.ForeignKey(RecognitionProgram, on_delete=models.PROTECT, related_name="nominations")
    panel_key = models.CharField(max_length=120, db_index=True, help_text="The program's panel group key.")
    nominee = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    nominator = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField()
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SUBMITTED)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "nominee", "nominator"],
                name="comms_nomination_once",
                violation_error_message="You have already nominated this person for this program.",
            )
        ]

    def __str__(self) -> str:
        return f"Nomination {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("communications:nomination-detail", args=[self.pk])


class NominationReview(TimeStampedModel):
    """One panelist's score and comment on one nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    panelist = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(help_text="1 (weak) to 5 (outstanding) against the criteria.")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "panelist"],
                name="comms_review_once",
                violation_error_message="You have already reviewed this nomination.",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="comms_review_score_range",
                violation_error_message="A score is from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.nomination_id} by {self.panelist_id}"


class Award(TimeStampedModel):
    """An award a program gave a person: shown on their record to everyone who may open it."""

    program = models.ForeignKey(RecognitionProgram, on_delete=models.PROTECT, related_name="awards")
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="award")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    citation = models.TextField(blank=True)
    awarded_on = models.DateField()

    class Meta:
        ordering = ["-awarded_on", "-pk"]

    def __str__(self) -> str:
        return self.title
