"""The resource and case-study library (issue 13, item 7): documents, case studies, tools, videos and
readings published by the state or a district, tagged by topic, position role and evaluation indicator,
and linked into programs and cohorts instead of each keeping its own copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel
from edlead.core.models import TimeStampedModel


class Topic(models.Model):
    """A topic of the controlled list (instructional leadership, equity…). Loaded by a data migration;
    the state's administrators may add more in the admin."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Resource(VersionedModel, TimeStampedModel):
    """One item of the library. `organization` is the district that publishes it for its own people;
    empty, the state publishes it for everyone (the same reading as a program of the catalog). Its file,
    if any, is an attachment of the resource in the one attachment store (edlead/files)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        CASE_STUDY = "case_study", "Case study"
        TOOL = "tool", "Tool or template"
        VIDEO = "video", "Video"
        READING = "reading", "Reading"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district that publishes it; empty: the state.",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    summary = models.TextField(max_length=1000, help_text="A few sentences: what it is and who it helps.")
    body = models.TextField(blank=True, max_length=20000, help_text="The text itself, or how to use it.")
    # A case study's parts, in the order a case is discussed.
    context = models.TextField(blank=True, max_length=5000)
    challenge = models.TextField(blank=True, max_length=5000)
    actions = models.TextField(blank=True, max_length=5000)
    results = models.TextField(blank=True, max_length=5000)
    discussion_questions = models.TextField(blank=True, max_length=5000, help_text="One question a line.")
    url = models.URLField(blank=True, max_length=500, help_text="A video or a reading elsewhere.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    indicators = models.ManyToManyField(
        "evaluations.Indicator",
        blank=True,
        related_name="+",
        help_text="Indicators of the state's administrator rubric it helps with (referenced, not copied).",
    )

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["status", "kind"], name="library_resource_status_kind")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("library:resource-detail", args=[self.pk])

    @property
    def is_case_study(self) -> bool:
        return self.kind == self.Kind.CASE_STUDY

    @property
    def questions(self) -> list[str]:
        return [q.strip() for q in self.discussion_questions.splitlines() if q.strip()]


class ResourceRole(models.Model):
    """A position role a resource is for (people.Position.Role): one row each, so lists filter by it."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30)

    class Meta:
        ordering = ["resource_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "role"], name="library_resource_role_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from edlead.people.models import Position

        return str(dict(Position.Role.choices).get(self.role, self.role))


class ResourceLink(models.Model):
    """A library resource shared with one program or one cohort: the program's and the cohort's pages
    show it, and nobody keeps a second copy."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="links")
    program = models.ForeignKey(
        "learning.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        "learning.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it is shared: when to read it.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(cohort__isnull=True))
                | (Q(program__isnull=True) & Q(cohort__isnull=False)),
                name="library_link_one_target",
                violation_error_message="A link goes to one program or one cohort.",
            ),
            models.UniqueConstraint(
                fields=["resource", "program"],
                condition=Q(program__isnull=False),
                name="library_link_program_once",
                violation_error_message="This resource is already linked to the program.",
            ),
            models.UniqueConstraint(
                fields=["resource", "cohort"],
                condition=Q(cohort__isnull=False),
                name="library_link_cohort_once",
                violation_error_message="This resource is already linked to the cohort.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} → {'program ' + str(self.program_id) if self.program_id else 'cohort ' + str(self.cohort_id)}"
