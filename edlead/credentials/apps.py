"""Licensure and credentials (DOMAIN.md §4): licences, endorsements, degrees, assessments, the state
renewal rules as data, the PDP ledger, renewal progress, development plans and licence alerts."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_defaults(sender: Any, **kwargs: Any) -> None:
    migrated = kwargs.get("apps")
    if migrated is not None:
        try:
            migrated.get_model("credentials", "StateRules")
        except LookupError:  # migrated to a point before this app's tables
            return
    from edlead.credentials.services import load_catalog, load_default_rules

    load_catalog()
    load_default_rules()


REQUIRED_ENDORSEMENTS = "credentials.required_endorsements"


class CredentialsConfig(AppConfig):
    name = "edlead.credentials"
    label = "credentials"
    verbose_name = "Licensure and credentials"

    def ready(self) -> None:
        # The catalog and the Massachusetts rules are data files in edlead/credentials/data/; every
        # `migrate` loads them (as the evaluation rubrics), so a fresh install and the test database have them.
        post_migrate.connect(_load_defaults, sender=self, dispatch_uid="edlead.credentials.defaults")
        from edlead import config, notices, schedules
        from edlead.access import policy
        from edlead.access.models import Relationship, RoleGrant
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register, audit_subject_register
        from edlead.credentials import services as s
        from edlead.credentials import services_plans
        from edlead.credentials.alerts import hr_queue_items
        from edlead.credentials.models import (
            AssessmentPassed,
            Degree,
            DevelopmentPlan,
            Endorsement,
            Licence,
            PdpActivity,
        )
        from edlead.credentials.tasks import licence_alerts_task
        from edlead.files.registry import attachable_register
        from edlead.people.apps import person_audit_scope
        from edlead.people.models import Person

        hr = frozenset({RoleGrant.Role.HR})
        evaluator = frozenset({Relationship.Kind.EVALUATOR})
        # Licensure records are personnel records: the person, their supervision chain and HR of their
        # district; a role on the school alone gives nothing.
        policy.declare(
            Person,
            s.CREDENTIALS_VIEW,
            policy.Rule(chain=True, roles=hr, label="A person's credentials: themselves, their chain, HR"),
        )
        policy.declare(
            Person,
            s.CREDENTIALS_EDIT,
            policy.Rule(owner=False, roles=hr, label="Recording a person's licences and credentials: HR"),
        )
        policy.declare(
            Person,
            s.PDP_ADD,
            policy.Rule(roles=hr, label="Reporting PDP activities and plans: the person themselves, HR"),
        )
        for model in (Licence, Endorsement, Degree, AssessmentPassed):
            policy.declare(
                model,
                s.LICENCE_VIEW,
                policy.Rule(
                    person="person", chain=True, roles=hr, label="A credential: as the person's credentials"
                ),
            )
        policy.declare(
            PdpActivity,
            s.PDP_VIEW,
            policy.Rule(
                person="person", chain=True, roles=hr, label="A PDP activity: as the person's credentials"
            ),
        )
        policy.declare(
            PdpActivity,
            s.PDP_EDIT,
            policy.Rule(person="person", roles=hr, label="A PDP activity's evidence: the person, HR"),
        )
        policy.declare(
            PdpActivity,
            s.PDP_DECIDE,
            policy.Rule(person="person", owner=False, roles=hr, label="Approving PDP activities: HR"),
        )
        policy.declare(
            DevelopmentPlan,
            s.PLAN_VIEW,
            policy.Rule(
                person="person",
                relationships=evaluator,
                chain=True,
                roles=hr,
                label="A professional development plan: the person, their evaluator, their chain, HR",
            ),
        )
        policy.declare(
            DevelopmentPlan,
            s.PLAN_APPROVE,
            policy.Rule(
                person="person",
                owner=False,
                relationships=evaluator,
                chain=True,
                label="Approving a professional development plan: the evaluator of record, the chain",
            ),
        )
        policy.declare(
            DevelopmentPlan,
            s.PLAN_APPROVE_BOARD,
            policy.Rule(
                person="person",
                owner=False,
                roles=frozenset({RoleGrant.Role.SCHOOL_COMMITTEE}),
                label="A school committee member of the district (for the superintendent's plan only)",
            ),
        )
        attachable_register(PdpActivity, view_action=s.PDP_VIEW, edit_action=s.PDP_EDIT)
        audit_verbs_register(s.AUDIT_VERBS)
        for label in (
            "credentials.licence",
            "credentials.endorsement",
            "credentials.degree",
            "credentials.assessmentpassed",
            "credentials.pdpactivity",
            "credentials.developmentplan",
        ):
            audit_subject_register(label, lambda r: r.person_id)
            audit_scope_register(label, lambda r: person_audit_scope(r.person))
        notices.register_kind(s.NOTICE_LICENCE, "Licence expiry and renewal", notices.IMMEDIATE)
        notices.register_kind(s.NOTICE_HR, "Licences due in your district (HR)", notices.DIGEST)
        notices.register_kind(s.NOTICE_PLAN, "Professional development plans", notices.IMMEDIATE)
        workqueue.register("credentials", hr_queue_items)
        workqueue.register("credentials.plans", services_plans.queue_items)
        schedules.register(
            "credentials.licence_alerts",
            cron="30 5 * * *",
            task=licence_alerts_task,
            description="Tells people and HR of licences expiring within 180, 90 and 30 days and renewals short of PDPs.",
        )
        config.register(
            REQUIRED_ENDORSEMENTS,
            "Endorsements a role requires",
            config.LIST,
            ["principal: SEI Administrator", "assistant_principal: SEI Administrator"],
            "One line per requirement: a position role, a colon and an endorsement's name "
            "(e.g. “principal: SEI Administrator”). The state requires the SEI Administrator endorsement of "
            "principals, assistant principals and supervisors/directors who supervise or evaluate core "
            "teachers of English learners.",
            section="Licensure",
        )
        # Postings, eligibility, compliance and the credential imports (edlead/credentials/setup_postings.py).
        from edlead.credentials import setup_postings

        setup_postings.ready()
        from edlead.credentials import school_columns
        from edlead.home import columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
        from edlead.credentials import profile_lines
        from edlead.reports import profile

        profile.register(profile_lines.SECTION)  # the one-page leader profile
        from edlead.people import panels

        panels.register(
            panels.Panel("licences", "credentials:person-licences", 10)
        )  # a part of the person's record page
