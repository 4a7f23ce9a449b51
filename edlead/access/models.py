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
