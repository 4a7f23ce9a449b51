"""Professional learning (issue 11): the catalog of programs, sessions, registration with a waitlist."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_competencies(sender: Any, **kwargs: Any) -> None:
    from edlead.learning.services import load_competencies

    load_competencies()


def _cohort_names(keys: list[str]) -> dict[str, tuple[str, str]]:
    """A membership's group key → the cohort's name and page ("Member of New Principals Cohort")."""
    from edlead.learning.models import Cohort

    return {c.group_key: (c.name, c.get_absolute_url()) for c in Cohort.objects.filter(group_key__in=keys)}


def _cohorts_readable(user: Any, keys: list[str]) -> set[str]:
    """The cohorts among `keys` whose page `user` opens (its members and those who run it)."""
    from edlead.learning import services_cohorts as sc
    from edlead.learning.models import Cohort

    return set(
        Cohort.objects.filter(sc.visible_q(user), group_key__in=keys).values_list("group_key", flat=True)
    )


class LearningConfig(AppConfig):
    name = "edlead.learning"
    label = "learning"
    verbose_name = "Professional learning"

    def ready(self) -> None:
        from edlead import notices
        from edlead.access import groups, policy
        from edlead.access.models import Relationship, RoleGrant
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register, audit_subject_register
        from edlead.files.registry import attachable_register
        from edlead.learning import (
            queue,
            services,
            services_cohorts,
            services_completion,
            services_manage,
            services_modules,
            services_staff,
            services_surveys,
        )
        from edlead.learning.models import Cohort, Enrollment, GrowthSurvey, Program
        from edlead.people.apps import person_audit_scope

        for verbs in (
            services.AUDIT_VERBS,
            services_completion.AUDIT_VERBS,
            services_surveys.AUDIT_VERBS,
            services_manage.AUDIT_VERBS,
            services_modules.AUDIT_VERBS,
            services_cohorts.AUDIT_VERBS,
        ):
            audit_verbs_register(verbs)
        services_staff.register()
        audit_subject_register("learning.enrollment", lambda r: r.person_id)
        audit_scope_register("learning.enrollment", lambda r: person_audit_scope(r.person))
        audit_subject_register("learning.growthsurvey", lambda r: r.person_id)
        audit_scope_register("learning.growthsurvey", lambda r: person_audit_scope(r.person))
        notices.register_kind(services.NOTICE_SEAT, "A seat came free in a session", notices.IMMEDIATE)
        notices.register_kind(
            services.NOTICE_APPROVAL, "A registration waits for your approval", notices.IMMEDIATE
        )
        notices.register_kind(services_manage.NOTICE_CANCELLED, "A session you registered for is cancelled")
        notices.register_kind(
            services_cohorts.NOTICE_MEETING, "A meeting of your cohort or think tank is scheduled"
        )
        notices.register_kind(services_cohorts.NOTICE_MEMBER, "You were added to a cohort or think tank")
        notices.register_kind(services.NOTICE_DECIDED, "Your registration was decided", notices.IMMEDIATE)
        notices.register_kind(
            services_completion.NOTICE_COMPLETED, "You completed a program", notices.IMMEDIATE
        )
        support = frozenset({Relationship.Kind.EVALUATOR, Relationship.Kind.COACH, Relationship.Kind.MENTOR})
        policy.declare(
            Enrollment,
            services.ENROLLMENT_APPROVE,
            policy.Rule(
                person="person",
                owner=False,
                relationships=frozenset({Relationship.Kind.EVALUATOR}),
                chain=True,
                label="Approving a registration: the participant's evaluator, their supervision chain",
            ),
        )
        policy.declare(
            Enrollment,
            services.LEARNING_RECORD,
            policy.Rule(
                person="person",
                relationships=support,
                chain=True,
                roles=frozenset({RoleGrant.Role.HR}),
                label="A person's learning record: themselves, evaluator, coach, mentor, chain, HR",
            ),
        )
        policy.declare(
            GrowthSurvey,
            services.GROWTH_VIEW,
            policy.Rule(
                person="person",
                relationships=support,
                chain=True,
                label="A growth profile: the person, their evaluator, coach and mentor, their chain",
            ),
        )
        policy.declare(
            Cohort,
            services.COHORT_VIEW,
            policy.Rule(
                person="facilitator",
                group="group_key",
                group_kinds=frozenset({Relationship.Kind.MEMBER}),
                label="A cohort or think tank: its facilitator and members, whichever district they are in",
            ),
        )
        # Materials: a program's files (read by whoever sees the program, added by its coordinators),
        # a cohort's shared resources (added and read by its members).
        attachable_register(
            Program, view_action=policy.PROGRAM_VIEW, edit_action=policy.PROGRAM_MANAGE, restricted=False
        )
        attachable_register(
            Cohort, view_action=services.COHORT_VIEW, edit_action=services.COHORT_VIEW, restricted=False
        )
        workqueue.register("learning", queue.items)
        groups.register("cohort", _cohort_names, readable=_cohorts_readable)
        post_migrate.connect(_load_competencies, sender=self, dispatch_uid="edlead.learning.competencies")
        from edlead.home import columns
        from edlead.learning import school_columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
        from edlead.learning import profile_lines
        from edlead.reports import profile

        profile.register(profile_lines.SECTION)  # the one-page leader profile
        from edlead.people import panels

        panels.register(
            panels.Panel("learning", "learning:person-learning", 20)
        )  # a part of the person's record page
