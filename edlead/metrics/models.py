"""School performance data: a catalog of metrics and narrow facts by organization × year × group."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel


class StudentGroup(models.Model):
    """A student group DESE reports on (All students, High needs, Low income, English learners, …)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Metric(TimeStampedModel):
    """One measure in the catalog: what it means, its unit, which way is better, where it comes from,
    how the source report's year label maps to a school year, and how small groups are suppressed."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percent"
        COUNT = "count", "Count"
        RATE = "rate", "Rate"
        RATIO = "ratio", "Ratio (to 1)"
        DOLLARS = "dollars", "Dollars"
        SCORE = "score", "Score"
        PERCENTILE = "percentile", "Percentile"
        FTE = "fte", "FTE"
        DAYS = "days", "Days"

    class Direction(models.TextChoices):
        HIGHER_BETTER = "higher", "Higher is better"
        LOWER_BETTER = "lower", "Lower is better"
        NEUTRAL = "neutral", "Neither (context)"

    class YearRule(models.TextChoices):
        SCHOOL_YEAR = "school_year", "The label is the school year (2022-23 is 2022-23)"
        SPRING = "spring", "A single year is the spring it ends (2023 is 2022-23)"
        FISCAL = "fiscal", "A fiscal year is the school year before it (2017 is 2016-17)"

    class Subject(models.TextChoices):
        STUDENTS = "students", "Students"
        STAFF = "staff", "Staff"
        FINANCE = "finance", "Finance"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.NEUTRAL)
    category = models.CharField(
        max_length=60, blank=True, help_text="For grouping on pages, e.g. Attendance."
    )
    source_report = models.CharField(max_length=160, blank=True)
    grade_span = models.CharField(max_length=40, blank=True)
    groups_available = models.CharField(max_length=255, blank=True, help_text="Comma-separated group codes.")
    subject = models.CharField(max_length=10, choices=Subject.choices, default=Subject.STUDENTS)
    year_rule = models.CharField(max_length=12, choices=YearRule.choices, default=YearRule.SCHOOL_YEAR)
    suppress_below = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Hide a value whose count is below this; empty uses the setting for students or staff.",
    )
    decimals = models.PositiveSmallIntegerField(default=1)
    sort_order = models.PositiveIntegerField(default=1000)
    learned_from_file = models.CharField(
        max_length=255,
        blank=True,
        help_text="The file this metric was first read from, when no declared report knew its column. "
        "The catalog sync never changes or removes a learned metric: an administrator edits it.",
    )

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Fact(models.Model):
    """One value: organization × school year × period × metric × student group.

    `school_year` is the start year (2023 for 2023-24). `period` is empty for a whole-year value and a
    month (`2024-10`) or term label for in-year monitoring. `value` is empty when the source suppressed
    it; `n` is the number of students (or staff) behind it, when known, for suppression.
    """

    # Indexes: the unique key (organization, metric, group, year, period) and (metric, year, group) serve
    # every read; single-column foreign-key indexes would only slow the million-row imports. The foreign
    # keys go without database-level constraints: PostgreSQL checks a deferred constraint once per row at
    # commit (~3 s per million facts per key), which broke the import budget. Integrity is kept by the
    # only writer, `edlead.metrics.facts`, which resolves every id from the database first; deletes go
    # through the ORM, which cascades (organizations are closed, not deleted; the catalog is synced, never
    # pruned).
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="facts",
        db_index=False,
        db_constraint=False,
    )
    school_year = models.PositiveSmallIntegerField()
    period = models.CharField(max_length=16, blank=True, default="")
    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="facts", db_index=False, db_constraint=False
    )
    group = models.ForeignKey(
        StudentGroup, on_delete=models.PROTECT, related_name="facts", db_index=False, db_constraint=False
    )
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    n = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(
        max_length=20,
        blank=True,
        default="",
        help_text="Why there is no value, as the source cell said it (`*`, `<10`, `N/A`, …).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "metric", "group", "school_year", "period"],
                name="one_fact_per_key",
                violation_error_message="There is already a value for this organization, metric, group and year.",
            ),
            models.CheckConstraint(
                condition=Q(school_year__gte=1990) & Q(school_year__lte=2100),
                name="fact_year_plausible",
                violation_error_message="A school year starts between 1990 and 2100.",
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "school_year", "group"], name="fact_metric_year_idx"),
            # In-year (monthly, term) figures are a few per cent of the facts: the monitoring pages find
            # theirs by organization without reading every annual fact of the district's schools.
            models.Index(
                fields=["organization", "metric", "school_year", "group"],
                condition=~Q(period=""),
                name="fact_in_year_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.school_year} {self.metric_id} {self.group_id} = {self.value}"
