"""Evaluation rubrics as data: framework → standards → indicators → elements, with a descriptor of
practice at each performance level (603 CMR 35.00, the Model System).

The state's frameworks (no owner organization) are offered to every district; a district works on its
own copy (`based_on` the framework it came from). A published framework is never edited: a change is a
new draft (a copy or a new version). The evaluation cycle points at standards (ratings), indicators
(evidence, self-assessment) and elements with PROTECT foreign keys, so a framework in use cannot be
deleted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel


class PerformanceLevel(models.TextChoices):
    """The four ratings, highest first (603 CMR 35.00)."""

    EXEMPLARY = "exemplary", "Exemplary"
    PROFICIENT = "proficient", "Proficient"
    NEEDS_IMPROVEMENT = "needs_improvement", "Needs Improvement"
    UNSATISFACTORY = "unsatisfactory", "Unsatisfactory"

    @classmethod
    def ordered(cls) -> list[PerformanceLevel]:
        """Highest first: the column order of a rubric."""
        return [cls.EXEMPLARY, cls.PROFICIENT, cls.NEEDS_IMPROVEMENT, cls.UNSATISFACTORY]

    @classmethod
    def rank(cls, level: str) -> int:
        """4 for Exemplary down to 1 for Unsatisfactory, to compare ratings (`rank(a) >= rank(b)`)."""
        return 4 - [str(v) for v in cls.ordered()].index(str(level))


class Framework(TimeStampedModel):
    """One rubric, in one version, owned by the state (offered to all districts) or by a district."""

    class Audience(models.TextChoices):
        ADMINISTRATOR = "administrator", "School-level administrators"
        SUPERINTENDENT = "superintendent", "Superintendents"
        TEACHER = "teacher", "Teachers"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=60, help_text="Names the rubric across its versions and copies.")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    version = models.CharField(max_length=40, help_text="The version's label, e.g. 2024 or 2024 local.")
    description = models.TextField(blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district that owns this copy; empty for the state's own frameworks.",
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
        help_text="The framework this one was copied from.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audience", "name", "version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(organization__isnull=True),
                name="evaluations_state_framework_version_unique",
                violation_error_message="The state already has a framework with this code and version.",
            ),
            models.UniqueConstraint(
                fields=["organization", "code", "version"],
                condition=Q(organization__isnull=False),
                name="evaluations_district_framework_version_unique",
                violation_error_message="The district already has a framework with this code and version.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluations:framework-detail", args=[self.pk])

    @property
    def is_state(self) -> bool:
        return self.organization_id is None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Standard(TimeStampedModel):
    """A standard of practice (I–IV), rated on its own in a summative evaluation."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=10, help_text="A roman numeral: I, II, III, IV.")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    required_for_proficient = models.BooleanField(
        default=False,
        help_text="An educator must be at least Proficient here to be Proficient overall.",
    )

    class Meta:
        ordering = ["framework_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="evaluations_standard_code_unique",
                violation_error_message="This framework already has a standard with this code.",
            )
        ]

    def __str__(self) -> str:
        return f"Standard {self.code}: {self.name}"


class Indicator(TimeStampedModel):
    """An indicator of a standard (`I-A`): what evidence is tagged to."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=20, help_text="The standard's code, a dash and a letter: I-A.")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["standard_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "code"],
                name="evaluations_indicator_code_unique",
                violation_error_message="This standard already has an indicator with this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Element(TimeStampedModel):
    """An element of an indicator (`I-A-1`), described at each performance level."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(max_length=30, help_text="The indicator's code, a dash and a number: I-A-1.")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "code"],
                name="evaluations_element_code_unique",
                violation_error_message="This indicator already has an element with this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Descriptor(TimeStampedModel):
    """What practice looks like for one element at one performance level."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="descriptors")
    level = models.CharField(max_length=20, choices=PerformanceLevel.choices)
    text = models.TextField()

    class Meta:
        ordering = ["element_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "level"],
                name="evaluations_descriptor_level_unique",
                violation_error_message="This element already has a descriptor at this level.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.element.code} {self.get_level_display()}"


# The evaluation cycle lives in its own module; imported here so Django finds its models.
from edlead.evaluations.models_cycle import (  # noqa: E402
    Assessment,
    Attainment,
    Cycle,
    CycleEvent,
    CycleReopening,
    Evidence,
    Goal,
    GoalEvent,
    GoalReview,
    PlanType,
    Progress,
    Rating,
    TeamGoal,
)

__all__ = [
    "Assessment",
    "Attainment",
    "Cycle",
    "CycleEvent",
    "CycleReopening",
    "Descriptor",
    "Element",
    "Evidence",
    "Framework",
    "Goal",
    "GoalEvent",
    "GoalReview",
    "Indicator",
    "PerformanceLevel",
    "PlanType",
    "Progress",
    "Rating",
    "Standard",
    "TeamGoal",
]

# Staff feedback on an administrator (anonymous surveys): its own module, imported so Django finds it.
from edlead.evaluations import models_feedback  # noqa: E402, F401
