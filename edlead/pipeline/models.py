"""The leadership pipeline (issue 13, items 1–3): who wants to lead, how they are being prepared, and who is
ready for which principal post.

- `PoolEntry`: one aspiring leader in a district's pool, at a stage (interested → … → placed); `PoolEvent`
  is the append-only history of its stages. `ReadinessNote`: their supervisor's view of how ready they are
  (restricted: never the candidate). `Demographics`: optional answers the person gives about themselves,
  shown to nobody else — only as suppressed aggregates of a pool.
- `PrepProgram` (a university's or another partner's licensure program) and `Candidacy` (a person enrolled
  in one); `Placement` (the practicum: host school, mentor principal, program supervisor, dates),
  `HoursEntry` (the hours log: activities mapped to the leadership standards, signed by the mentor),
  `LeadershipProject` (tied to a goal of the host school's improvement plan where there is one).
- `Application` (a person applies to an open posting of edlead/credentials) and `SuccessionCandidate`
  (who is ready now / in 1–2 years for a school's principal post)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.editing import VersionedModel, WorkflowEvent
from edlead.core.models import TimeStampedModel

# The Massachusetts Professional Standards for Administrators (603 CMR 35.04), as the hours log maps them.
STANDARDS = [
    ("I", "Standard I: Instructional leadership"),
    ("II", "Standard II: Management and operations"),
    ("III", "Standard III: Family and community engagement"),
    ("IV", "Standard IV: Professional culture"),
]


class PrepProgram(TimeStampedModel):
    """A preparation program: a university's or another partner's route to the principal (or another
    leadership) licence, with the practicum hours it requires. Offered statewide (no organization) or by
    or with one district."""

    class Provider(models.TextChoices):
        UNIVERSITY = "university", "University"
        DISTRICT = "district", "District-based"
        NONPROFIT = "nonprofit", "Nonprofit partner"
        STATE = "state", "State program"

    name = models.CharField(max_length=200)
    partner = models.CharField(max_length=200, help_text="The university or organization that runs it.")
    provider = models.CharField(max_length=12, choices=Provider.choices, default=Provider.UNIVERSITY)
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district it is run with; empty for a program open across the state.",
    )
    licence_field = models.CharField(
        max_length=40, default="principal", help_text="The licence it leads to (a credential code)."
    )
    required_hours = models.PositiveIntegerField(
        default=500, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PoolEntry(TimeStampedModel):
    """One aspiring leader in a district's pool."""

    class Stage(models.TextChoices):
        INTERESTED = "interested", "Interested"
        PREPARING = "preparing", "Preparing"
        PRACTICUM = "practicum", "In practicum"
        LICENSED = "licensed", "Licensed"
        APPLYING = "applying", "Applying"
        PLACED = "placed", "Placed"

    STAGE_ORDER = [s.value for s in Stage]

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="pool_entries")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The district's pool."
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.INTERESTED)
    stage_since = models.DateField()
    interests = models.JSONField(
        default=list,
        blank=True,
        help_text="The posts they want: levels and roles (e.g. elementary principal).",
    )
    goal = models.TextField(blank=True, help_text="In their words: what they want to lead, and when.")

    class Meta:
        ordering = ["organization_id", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                name="pool_entry_one_per_district",
                violation_error_message="This person is already in the district's pool.",
            )
        ]
        indexes = [models.Index(fields=["organization", "stage"], name="pool_org_stage_idx")]

    def __str__(self) -> str:
        return f"Pool entry of person {self.person_id}"


class PoolEvent(WorkflowEvent):
    record = models.ForeignKey(PoolEntry, on_delete=models.CASCADE, related_name="events")


class ReadinessNote(TimeStampedModel):
    """A supervisor's (the candidate's principal's, or their supervisor's) judgement of how ready an
    aspiring leader is, with the reasons. One per author per candidate, kept current by its author."""

    class Readiness(models.TextChoices):
        READY_NOW = "ready_now", "Ready now"
        ONE_TWO = "one_two_years", "Ready in 1–2 years"
        LATER = "later", "Not yet: 3 or more years"

    entry = models.ForeignKey(PoolEntry, on_delete=models.CASCADE, related_name="readiness_notes")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    readiness = models.CharField(max_length=16, choices=Readiness.choices)
    text = models.TextField()

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "author"],
                name="readiness_note_one_per_author",
                violation_error_message="You already have a readiness note for this person: edit it.",
            )
        ]

    def __str__(self) -> str:
        return f"Readiness note on person {self.person_id}"


class Demographics(TimeStampedModel):
    """What a person chose to say about themselves, for the state's diversification goals. Optional, every
    answer may be "prefer not to say"; read back only by the person, and otherwise only inside aggregates
    with small groups hidden (`edlead.pipeline.selectors.pool_diversity`)."""

    class Race(models.TextChoices):  # DESE's categories, the codes of edlead.metrics' race groups
        AI_AN = "ai_an", "American Indian or Alaska Native"
        ASIAN = "asian", "Asian"
        BLACK = "black", "African American/Black"
        HISPANIC = "hispanic", "Hispanic/Latino"
        MULTI = "multi_race", "Multi-race, non-Hispanic"
        NH_PI = "nh_pi", "Native Hawaiian or Pacific Islander"
        WHITE = "white", "White"
        UNSAID = "", "Prefer not to say"

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NONBINARY = "nonbinary", "Non-binary"
        UNSAID = "", "Prefer not to say"

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="+")
    race = models.CharField(max_length=12, choices=Race.choices, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    first_generation = models.BooleanField(
        null=True, blank=True, help_text="First in their family to finish college (empty: not said)."
    )

    def __str__(self) -> str:
        return f"Self-reported demographics of person {self.person_id}"


class Candidacy(TimeStampedModel):
    """A person enrolled in a preparation program."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="candidacies")
    program = models.ForeignKey(PrepProgram, on_delete=models.PROTECT, related_name="candidacies")
    cohort_year = models.PositiveSmallIntegerField(help_text="The school year it started (2026 for 2026-27).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENROLLED)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-cohort_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program"],
                name="candidacy_one_per_program",
                violation_error_message="This person is already enrolled in this program.",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="candidacy_completed_has_date",
                violation_error_message="A completed candidacy says when it was completed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — person {self.person_id}"


class Placement(TimeStampedModel):
    """A practicum: the candidate at a host school under a mentor principal, with the program's supervisor.
    `organization` is the host school (the access module scopes placements by it)."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="placements")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", help_text="The host school."
    )
    mentor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", help_text="The mentor principal."
    )
    supervisor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", help_text="The program's supervisor."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="placement_ends_after_start",
                violation_error_message="A placement cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"Practicum of person {self.person_id} at {self.organization_id}"


class HoursEntry(TimeStampedModel):
    """Practicum hours on one day: the time, the activity and the standard it serves; signed by the mentor."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="hours")
    day = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    minutes = models.PositiveIntegerField()
    standard = models.CharField(max_length=4, choices=STANDARDS)
    activity = models.CharField(max_length=300)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-day", "-starts_at", "pk"]
        indexes = [models.Index(fields=["placement", "day"], name="hours_placement_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="hours_end_after_start",
                violation_error_message="The end time must be after the start time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.day}"


class LeadershipProject(TimeStampedModel):
    """The candidate's leadership project at the host school, tied to a goal of its improvement plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        UNDERWAY = "underway", "Underway"
        DONE = "done", "Done"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    plan_goal = models.ForeignKey(
        "plans.Goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The school improvement plan goal it serves.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    results = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Application(VersionedModel, TimeStampedModel):
    """A person's application to an open posting. `organization` is the posting's organization: the hiring
    team (everyone who advises on the district's postings) reads it; so does the applicant. Eligibility is
    judged at applying and kept (`eligible`, `missing`): an ineligible application is allowed, and flagged."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        INTERVIEW = "interview", "Interview"
        OFFERED = "offered", "Offered"
        HIRED = "hired", "Hired"
        NOT_SELECTED = "not_selected", "Not selected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES = (Status.SUBMITTED, Status.INTERVIEW, Status.OFFERED)

    posting = models.ForeignKey("credentials.Posting", on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="applications")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    eligible = models.BooleanField(default=False)
    missing = models.JSONField(default=list, blank=True, help_text="Required items not met when applying.")

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "person"],
                name="application_one_per_posting",
                violation_error_message="You have already applied to this posting.",
            )
        ]

    def __str__(self) -> str:
        return f"Application of person {self.person_id} to posting {self.posting_id}"


class ApplicationEvent(WorkflowEvent):
    record = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")


class SuccessionCandidate(TimeStampedModel):
    """Someone named as a successor for a school's principal post, ready now or in 1–2 years.
    `organization` is the school."""

    class Readiness(models.TextChoices):
        READY_NOW = "ready_now", "Ready now"
        ONE_TWO = "one_two_years", "Ready in 1–2 years"

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    readiness = models.CharField(max_length=16, choices=Readiness.choices)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["organization_id", "readiness", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person"],
                name="succession_one_per_school",
                violation_error_message="This person is already named for this school.",
            )
        ]

    def __str__(self) -> str:
        return f"Successor {self.person_id} for {self.organization_id}"
