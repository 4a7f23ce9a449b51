"""What postings, eligibility, compliance and the credential imports plug into the platform, called from
`CredentialsConfig.ready()`: the compliance rule, audit verbs and scopes, the import kinds."""

from __future__ import annotations


def ready() -> None:
    from edlead.access import policy
    from edlead.access.models import RoleGrant
    from edlead.core.models import audit_verbs_register
    from edlead.core.services import audit_scope_register
    from edlead.credentials import services_postings
    from edlead.credentials.compliance import COMPLIANCE_VIEW
    from edlead.credentials.kinds import LicenceRecords, PdpActivities
    from edlead.imports.kinds import register
    from edlead.people.models import Person

    G = RoleGrant.Role
    # Compliance lists read licences and PDPs of many people: HR and administrators of their district,
    # and the supervision chain (a supervisor: the principals of their network). Not the person: their
    # own standing is on their credentials page.
    policy.declare(
        Person,
        COMPLIANCE_VIEW,
        policy.Rule(
            owner=False,
            chain=True,
            roles=frozenset({G.HR, G.DISTRICT_ADMIN, G.STATE_ADMIN}),
            label="Licence compliance lists: HR and administrators of the district, the supervision chain",
        ),
    )
    audit_verbs_register(services_postings.AUDIT_VERBS)
    audit_scope_register("credentials.posting", lambda p: [p.organization.path])
    audit_scope_register("credentials.roletemplate", lambda t: [t.organization.path])
    register(LicenceRecords)
    register(PdpActivities)
    from edlead.core import navigation
    from edlead.credentials.compliance import may_open

    navigation.register_admin_link("Licence compliance", "credentials:compliance", may_open, order=45)
    from edlead.credentials import services_hiring

    audit_verbs_register(services_hiring.AUDIT_VERBS)
    audit_scope_register("credentials.hiringnote", lambda n: [n.organization.path])
    navigation.register_admin_link(
        "Hiring advice",
        "credentials:hiring-list",
        lambda user: policy.can(user, policy.HIRING_ADVICE),
        order=47,
    )
    navigation.register_admin_link(
        "Postings and bench strength",
        "credentials:posting-list",
        lambda user: policy.can(user, policy.POSTING_VIEW),
        order=46,
    )
