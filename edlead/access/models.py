"""Accounts and the roles they hold on the organization tree."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from edlead.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An account needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in account. Signs in with its e-mail; linked to the Person it belongs to."""

    email = models.EmailField(unique=True)
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class RoleGrant(TimeStampedModel):
    """A role held on an organization node, applying to everything below it. Granted explicitly by an
    administrator; roles that follow from a person's positions are derived at sign-in, not stored."""

    class Role(models.TextChoices):
        STATE_ADMIN = "state_admin", "State administrator"
        DISTRICT_ADMIN = "district_admin", "District administrator"
        SUPERINTENDENT = "superintendent", "Superintendent"
        HR = "hr", "HR / licensure staff"
        PRINCIPAL_SUPERVISOR = "principal_supervisor", "Principal supervisor"
        SCHOOL_LEADER = "school_leader", "School leader"
        COACH = "coach", "Coach / mentor"
        EDUCATOR = "educator", "Educator"
        PROGRAM_COORDINATOR = "program_coordinator", "Program coordinator"
        CABINET = "cabinet", "Cabinet (read-only)"
        SCHOOL_COMMITTEE = "school_committee", "School committee member"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="role_grants"
    )
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_role_and_org",
                violation_error_message="This person already holds that role there.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.organization}"


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    def active(self, on: Any = None) -> RelationshipQuerySet:
        """Relationships in force on `on` (today by default): started, and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Relationship(TimeStampedModel):
    """A working relationship that gives access to exactly the records it concerns: the `holder` is
    evaluator, coach or mentor *of* `person`, or member of / responder for a `group` (a cohort, a
    department: "department:Special education"). The supervision chain is not stored here: it follows
    from positions and the organization tree. Dated, so access ends with the relationship; written only
    through `edlead.access.services` (audited as an access change)."""

    class Kind(models.TextChoices):
        EVALUATOR = "evaluator", "Evaluator"
        COACH = "coach", "Coach"
        MENTOR = "mentor", "Mentor"
        MEMBER = "member", "Member"
        RESPONDER = "responder", "Responder"

    PERSON_KINDS = (Kind.EVALUATOR, Kind.COACH, Kind.MENTOR)
    GROUP_KINDS = (Kind.MEMBER, Kind.RESPONDER)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    holder = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="relationships_held")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_received",
    )
    group = models.CharField(
        max_length=120, blank=True, help_text='A group key, e.g. "department:Special education".'
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="relationships",
        help_text="The district (or school) the relationship belongs to: who manages it, whose audit log shows it.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "starts_on", "pk"]
        indexes = [
            models.Index(fields=["holder", "kind"], name="relationship_holder_idx"),
            models.Index(fields=["person", "kind"], name="relationship_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(group="")) | (Q(person__isnull=True) & ~Q(group="")),
                name="relationship_person_or_group",
                violation_error_message="A relationship is with one person or with one group, not both.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="relationship_ends_after_start",
                violation_error_message="A relationship cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(holder=models.F("person")),
                name="relationship_not_with_self",
                violation_error_message="Nobody is their own evaluator, coach or mentor.",
            ),
        ]

    def __str__(self) -> str:
        about = self.person if self.person_id else self.group
        return f"{self.holder} — {self.get_kind_display()} of {about}"

    def is_active(self, on: Any = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
