"""The organization tree: state agency → districts → optional networks → schools."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel

_GRADE_ORDER = ["PK", "K", *[f"{g:02d}" for g in range(1, 13)], "SP"]


def grades_span(grades: str) -> str:
    """Turn DESE's grade list into runs: "PK,K,01,02,03" → "PK–3"; "09,10,11,12" → "9–12"."""
    items = [g.strip().upper() for g in grades.split(",") if g.strip()]
    known = sorted({g for g in items if g in _GRADE_ORDER}, key=_GRADE_ORDER.index)
    if not known:
        return grades
    label = {g: (g.lstrip("0") if g.isdigit() else g) for g in known}
    runs: list[list[str]] = []
    for g in known:
        if runs and _GRADE_ORDER.index(g) == _GRADE_ORDER.index(runs[-1][-1]) + 1 and g != "SP":
            runs[-1].append(g)
        else:
            runs.append([g])
    return ", ".join(label[r[0]] if len(r) == 1 else f"{label[r[0]]}–{label[r[-1]]}" for r in runs)


NON_OPERATING_MARK = "(non-op)"


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def open(self) -> OrganizationQuerySet:
        return self.filter(closed_on__isnull=True)

    def schools(self) -> OrganizationQuerySet:
        return self.filter(kind=Organization.Kind.SCHOOL)

    def districts(self) -> OrganizationQuerySet:
        return self.filter(kind=Organization.Kind.DISTRICT)

    def operating_districts(self) -> OrganizationQuerySet:
        """Open districts that run schools: DESE's district list keeps every town, with "(non-op)"
        after the name of one whose students attend a regional district."""
        return self.districts().open().exclude(name__icontains=NON_OPERATING_MARK)

    def networks(self) -> OrganizationQuerySet:
        return self.filter(kind=Organization.Kind.NETWORK)

    def within(self, org: Organization) -> OrganizationQuerySet:
        """The organization and everything below it."""
        return self.filter(path__startswith=org.path)


class Organization(TimeStampedModel):
    """One node of the tree. Roles granted on a node apply to every node below it.

    `path` is a materialized path of primary keys (`/1/7/52/`) kept by the services, so "everything
    below" is one indexed prefix query whatever the depth.
    """

    class Kind(models.TextChoices):
        STATE = "state", "State education agency"
        DISTRICT = "district", "District"
        NETWORK = "network", "Network"
        SCHOOL = "school", "School"

    class DistrictType(models.TextChoices):
        PUBLIC = "public", "Public school district"
        CHARTER = "charter", "Charter district"
        REGIONAL_VOCATIONAL = "regional_vocational", "Regional vocational district"
        COLLABORATIVE = "collaborative", "Collaborative"

    class SchoolType(models.TextChoices):
        PUBLIC = "public", "Public school"
        CHARTER = "charter", "Charter school"
        VOCATIONAL = "vocational_technical", "Vocational-technical school"
        INNOVATION = "innovation", "Innovation school"
        ALTERNATIVE = "alternative", "Alternative school"

    class NetworkLabel(models.TextChoices):
        NETWORK = "network", "Network"
        REGION = "region", "Region"
        QUADRANT = "quadrant", "Quadrant"

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered in EdLead"
        DEMO = "demo", "Demo data"
        DESE_DIRECTORY = "dese_directory", "DESE directory"
        LEARNED = "learned", "Learned from a file"

    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    district = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district a network or school belongs to (kept when a school moves between networks).",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    code = models.CharField(
        max_length=8, null=True, blank=True, unique=True, help_text="8-digit DESE organization code."
    )
    name = models.CharField(max_length=255)
    district_type = models.CharField(max_length=24, choices=DistrictType.choices, blank=True)
    school_type = models.CharField(max_length=24, choices=SchoolType.choices, blank=True)
    network_label = models.CharField(max_length=12, choices=NetworkLabel.choices, blank=True)
    grades = models.CharField(max_length=80, blank=True, help_text="Grades served, e.g. PK,K,01,02.")
    address_line1 = models.CharField(max_length=255, blank=True)
    address_line2 = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=2, blank=True, default="MA")
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_note = models.CharField(
        max_length=255, blank=True, help_text="Where EdLead learned of it, e.g. the file that named it."
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="state") | Q(parent__isnull=False),
                name="org_parent_required_below_state",
                violation_error_message="Every organization except the state agency has a parent.",
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__regex=r"^[0-9]{8}$"),
                name="org_code_8_digits",
                violation_error_message="An organization code has 8 digits.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="org_kind_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.DISTRICT

    @property
    def is_network(self) -> bool:
        return self.kind == self.Kind.NETWORK

    @property
    def type_label(self) -> str:
        if self.kind == self.Kind.SCHOOL and self.school_type:
            return self.get_school_type_display()
        if self.kind == self.Kind.DISTRICT and self.district_type:
            return self.get_district_type_display()
        if self.kind == self.Kind.NETWORK and self.network_label:
            return self.get_network_label_display()
        return self.get_kind_display()

    @property
    def grades_display(self) -> str:
        """Grades served as a span people read, e.g. "PK,K,01,…,06" → "PK–6"; gaps listed."""
        return grades_span(self.grades)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("orgs:organization-detail", args=[self.pk])


class SupervisionOverride(TimeStampedModel):
    """A district's decision that a school's principal is supervised by someone other than the
    supervisor of the school's network (a caseload rebalance, an interim arrangement)."""

    school = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="supervision_overrides")
    supervisor = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="supervision_overrides"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="override_ends_after_start",
                violation_error_message="An override cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} supervised by {self.supervisor}"
