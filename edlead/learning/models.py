"""Professional learning (issue 11): providers, competencies, the program catalog, sessions and
enrollments with a waitlist."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from edlead.core.models import TimeStampedModel


class Provider(TimeStampedModel):
    """Who runs a program: a university, a collaborative, DESE, a consultant — not an organization of the
    tree (a district that runs its own programs is the program's organization instead)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University or college"
        COLLABORATIVE = "collaborative", "Educational collaborative"
        STATE = "state", "State agency"
        DISTRICT = "district", "District"
        ASSOCIATION = "association", "Professional association"
        CONSULTANT = "consultant", "Consultant or company"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """What a program develops: a leadership topic from the catalog file (vision and goal setting, data-
    driven decision making…). Evaluation indicators are linked to programs by their codes."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class Program(TimeStampedModel):
    """A program of the catalog. `organization` is the district that runs it for its own people; empty,
    the state runs it and every district's people see it."""

    class Format(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        INSTITUTE = "institute", "Institute"
        COURSE = "course", "Course for credit"
        ONLINE = "online", "Online module"
        COACHING = "coaching", "Coaching cycle"
        MENTORING = "mentoring", "Mentoring program"
        COHORT = "cohort", "Cohort / network / PLC"
        THINK_TANK = "think_tank", "Think tank"
        CONFERENCE = "conference", "Conference"
        PRACTICUM = "practicum", "Internship / practicum"

    class Stage(models.TextChoices):
        ASPIRING = "aspiring", "Aspiring leaders"
        NEW = "new", "New in the role (under two years)"
        EXPERIENCED = "experienced", "Experienced"

    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    format = models.CharField(max_length=20, choices=Format.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="programs")
    audience_roles = models.JSONField(default=list, blank=True, help_text="Position roles it is for.")
    career_stages = models.JSONField(default=list, blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="programs")
    indicator_codes = models.JSONField(
        default=list, blank=True, help_text="Evaluation indicators it targets."
    )
    pdp_category = models.SlugField(max_length=30, blank=True)
    pdp_hours = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    cost = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    capacity = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(10000)], help_text="Seats a session."
    )
    requires_approval = models.BooleanField(
        default=False, help_text="The participant's supervisor approves each registration."
    )
    completion_attendance = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of the meetings (per cent) a participant attends to complete.",
    )
    requires_assessment = models.BooleanField(
        default=False, help_text="Completion also needs a passed assessment (a product, a test)."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["active", "format"], name="program_active_format_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("learning:program-detail", args=[self.pk])


class Session(TimeStampedModel):
    """One offering of a program: its dates, place or link, facilitators and seats."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    facilitators = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: the program's capacity.")
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["program", "starts_at"], name="session_program_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="learning_session_ends_after_start",
                violation_error_message="A session ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program.title}, {self.starts_at:%d %b %Y}"

    @property
    def seats(self) -> int:
        return self.capacity or self.program.capacity


class Enrollment(TimeStampedModel):
    """A person's place in a session: enrolled, on the waitlist (in the order they asked), cancelled,
    completed. One row per person and session."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for supervisor approval"
        ENROLLED = "enrolled", "Enrolled"
        WAITLISTED = "waitlisted", "On the waitlist"
        DECLINED = "declined", "Not approved"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="When a seat came free for them.")
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    assessment_passed = models.BooleanField(null=True, blank=True, help_text="Empty: not assessed.")
    completed_on = models.DateField(null=True, blank=True)
    pdp_activity = models.ForeignKey(
        "credentials.PdpActivity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="learning_one_enrollment_per_person")
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="enrollment_person_status_idx"),
            # The registrations waiting for approval, a handful among hundreds of thousands: every
            # approver's work queue looks for them (without it, a scan of the whole person/status index).
            models.Index(fields=["session"], name="enrollment_pending_idx", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.session}"

    @property
    def certificate_number(self) -> str:
        return f"EDL-{self.session.program_id:05d}-{self.pk:07d}"


class Meeting(models.Model):
    """One meeting of a session (a two-day institute has two): what attendance is taken for."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    agenda = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["session_id", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="learning_meeting_ends_after_start",
                violation_error_message="A meeting ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session.program.title}, {self.starts_at:%d %b %Y}"


class Attendance(models.Model):
    """Whether one enrolled person was at one meeting, and who recorded it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField()
    recorded_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "enrollment"], name="learning_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{'Present' if self.present else 'Absent'} (meeting {self.meeting_id})"


class GrowthSurvey(models.Model):
    """Ratings of one person on the competencies: their own (a needs assessment, or after a program),
    or their supervisor's or a colleague's (360). Identified — it is the person's growth profile, shown
    to them and those who support them, never to a coordinator except as suppressed aggregates."""

    class Rater(models.TextChoices):
        SELF = "self", "Self"
        SUPERVISOR = "supervisor", "Supervisor"
        STAFF = "staff", "Colleague"

    class Moment(models.TextChoices):
        NEEDS = "needs", "Needs assessment"
        POST = "post", "After a program"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    rater_kind = models.CharField(max_length=12, choices=Rater.choices, default=Rater.SELF)
    moment = models.CharField(max_length=8, choices=Moment.choices, default=Moment.NEEDS)
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.CASCADE, related_name="growth_surveys"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["person_id", "-submitted_at", "-pk"]
        indexes = [models.Index(fields=["person", "submitted_at"], name="growth_person_when_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "rater"],
                condition=Q(enrollment__isnull=False),
                name="learning_one_post_survey_per_enrollment",
                violation_error_message="These ratings were already given for this program.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} of {self.person}, {self.submitted_at:%d %b %Y}"


SCALE = [(1, "Beginning"), (2, "Developing"), (3, "Proficient"), (4, "Strong")]


class GrowthRating(models.Model):
    survey = models.ForeignKey(GrowthSurvey, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        choices=SCALE, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "competency"], name="learning_rating_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4),
                name="learning_rating_in_scale",
                violation_error_message="A rating is from 1 to 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.score}"


class Reaction(models.Model):
    """One participant's anonymous reaction to a session (Guskey level 1): answers 1–5 and a comment.
    No person, no enrollment, no time of day and a random key, so it cannot be traced to anyone;
    `ReactionReceipt` records only that someone answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reactions")
    answers = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    submitted_on = models.DateField()

    class Meta:
        ordering = ["session_id", "submitted_on"]

    def __str__(self) -> str:
        return f"A reaction to session {self.session_id}"


class ReactionReceipt(models.Model):
    """That this participant has answered the reaction survey (so they are not asked again) — and
    nothing of what they answered."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="reaction_receipt")

    def __str__(self) -> str:
        return f"Reaction answered (enrollment {self.enrollment_id})"


class FollowUp(models.Model):
    """About three months on (Guskey level 4): how far the participant uses what they learned, 1–4,
    and an example. Identified: it is evidence of their practice, read by coordinators only as counts."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="follow_up")
    use = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    example = models.TextField(blank=True)
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"Follow-up (enrollment {self.enrollment_id}): {self.use}"


# --- online modules ---------------------------------------------------------------------------------------
class ModuleItem(models.Model):
    """One step of an online module (a program of format "online"), in order: a video or a reading (a
    link), a file (through the platform's attachments), a reflection prompt, or a short quiz."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        READING = "reading", "Reading"
        FILE = "file", "File"
        REFLECTION = "reflection", "Reflection"
        QUIZ = "quiz", "Short quiz"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="module_items")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(
        blank=True, help_text="Instructions, the reading's summary or the reflection prompt."
    )
    url = models.URLField(blank=True, help_text="The video or reading.")
    attachment = models.ForeignKey(
        "files.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A file item: one of the program's materials (attachments of the program).",
    )
    questions = models.JSONField(
        default=list,
        blank=True,
        help_text='A quiz: [{"question": "…", "choices": ["…", "…"], "answer": 0}, …] (answer: the index).',
    )
    pass_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="A quiz's pass mark."
    )

    class Meta:
        ordering = ["program_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="learning_module_item_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class ItemProgress(models.Model):
    """Where one participant stands on one item: done (when), their reflection, their best quiz score."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="item_progress")
    item = models.ForeignKey(ModuleItem, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, help_text="A reflection's text.")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A quiz's best score, per cent."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "item"], name="learning_item_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} ({'done' if self.completed_at else 'started'})"


# --- cohorts and think tanks ------------------------------------------------------------------------------
class Cohort(TimeStampedModel):
    """A group of leaders who learn together over months, possibly from several districts: a cohort of new
    principals, a think tank. ("Network" is a group of schools in EdLead.) Members hold a "member"
    relationship to `group_key`, so they see the cohort whichever district they are in; the facilitator
    runs it; the program's coordinators manage it."""

    class Kind(models.TextChoices):
        COHORT = "cohort", "Cohort"
        THINK_TANK = "think_tank", "Think tank"
        PLC = "plc", "Professional learning community"

    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="cohorts"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district that runs it; empty: the state.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COHORT)
    description = models.TextField(blank=True)
    facilitator = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    group_key = models.CharField(max_length=120, unique=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="learning_cohort_ends_after_start",
                violation_error_message="A cohort ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.group_key:
            import uuid as _uuid

            self.group_key = f"cohort:{_uuid.uuid4().hex[:12]}"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("learning:cohort-detail", args=[self.pk])


class CohortMeeting(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    agenda = models.TextField(blank=True)

    class Meta:
        ordering = ["cohort_id", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="learning_cohort_meeting_ends_after_start",
                violation_error_message="A meeting ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name}, {self.starts_at:%d %b %Y}"


class CohortAttendance(models.Model):
    meeting = models.ForeignKey(CohortMeeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="learning_cohort_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{'Present' if self.present else 'Absent'} (meeting {self.meeting_id})"


class CohortPost(TimeStampedModel):
    """A member's post to the cohort: a success story, a question, a note — seen by its members."""

    class Kind(models.TextChoices):
        SUCCESS = "success", "Success story"
        QUESTION = "question", "Question"
        NOTE = "note", "Note"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUCCESS)
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["cohort_id", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
