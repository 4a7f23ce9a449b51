"""Postings and role requirements (issue 10, item 5): a vacancy — a seat at an organization with a title
and a role, open or filled — and the district's role templates, each a set of requirements for one
position role. A requirement is required or preferred; a posting's requirements are its role template's
plus its own. Which endorsements a role requires is a district setting
(`credentials.required_endorsements`), not a template row: edlead/credentials/eligibility.py adds them.

`Position` is a person's tenure; a `Posting` is the seat being filled, so it is a model of its own."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel
from edlead.core.models import TimeStampedModel

# Position roles and licence stages, repeated as literals so this module imports neither app's models at
# class-definition time in a different order than Django loads them.
POSITION_ROLES = [
    ("assistant_principal", "Assistant principal"),
    ("principal", "Principal"),
    ("principal_supervisor", "Principal supervisor"),
    ("director", "Director"),
    ("assistant_superintendent", "Assistant superintendent"),
    ("superintendent", "Superintendent"),
]


class RoleTemplate(TimeStampedModel):
    """The requirements a district sets for one position role (its principals, its directors, …)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The district."
    )
    role = models.CharField(max_length=32, choices=POSITION_ROLES)
    name = models.CharField(max_length=160)

    class Meta:
        ordering = ["organization_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role"],
                name="role_template_one_per_role",
                violation_error_message="The district already has requirements for this role.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Posting(TimeStampedModel):
    """A vacancy: a seat at an organization (a school's principal, a district office), open or filled."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CLOSED = "closed", "Closed without hiring"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=POSITION_ROLES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True, help_text="Applications close.")
    starts_on = models.DateField(null=True, blank=True, help_text="The day the new holder starts.")
    filled_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["organization", "status"], name="posting_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="posting_closes_after_opening",
                violation_error_message="A posting cannot close before it opens.",
            ),
            models.CheckConstraint(
                condition=~Q(status="filled") | Q(filled_by__isnull=False),
                name="posting_filled_names_whom",
                violation_error_message="A filled posting names who filled it.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credentials:posting-detail", args=[self.pk])


class Requirement(models.Model):
    """One requirement of a role template or a posting, required or preferred.

    - licence: a licence in one of `fields` (credential codes: "principal", "superintendent"), at
      `min_stage` or above, at one of `levels` (empty: any; "school": one that covers most of the
      posting's school's grades);
    - endorsement / assessment: the credential `fields[0]`;
    - degree: `degree_level` or higher;
    - experience: `years` in any of `roles` (position roles), from the person's position history."""

    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence"
        ENDORSEMENT = "endorsement", "Endorsement"
        DEGREE = "degree", "Degree"
        EXPERIENCE = "experience", "Experience"
        ASSESSMENT = "assessment", "Assessment"

    class Importance(models.TextChoices):
        REQUIRED = "required", "Required"
        PREFERRED = "preferred", "Preferred"

    template = models.ForeignKey(
        RoleTemplate, null=True, blank=True, on_delete=models.CASCADE, related_name="requirements"
    )
    posting = models.ForeignKey(
        Posting, null=True, blank=True, on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    importance = models.CharField(max_length=10, choices=Importance.choices, default=Importance.REQUIRED)
    fields = models.JSONField(default=list, blank=True)
    levels = models.JSONField(default=list, blank=True)
    min_stage = models.CharField(max_length=20, blank=True)
    degree_level = models.CharField(max_length=12, blank=True)
    years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    roles = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(template__isnull=False) & Q(posting__isnull=True))
                | (Q(template__isnull=True) & Q(posting__isnull=False)),
                name="requirement_of_template_or_posting",
                violation_error_message="A requirement belongs to a role template or a posting.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_importance_display().lower()})"


class HiringNote(VersionedModel, TimeStampedModel):
    """A principal supervisor's (or the superintendent's, HR's) note about one candidate for one posting:
    hiring advice. Restricted: its author, the district's principal supervisors and superintendent, and
    HR read it (the `posting.advise` action, held in the whole district); never the candidate. Filed on
    the posting's district so the access policy scopes it. Edited only by its author, with the version
    check (`edlead.core.editing`)."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="hiring_notes")
    candidate = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The posting's district."
    )
    text = models.TextField()

    class Meta:
        ordering = ["posting_id", "candidate_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "candidate", "author"],
                name="hiring_note_one_per_author",
                violation_error_message="You already have a note about this candidate: edit it.",
            )
        ]

    def __str__(self) -> str:
        return f"Hiring note on candidate {self.candidate_id} for posting {self.posting_id}"
