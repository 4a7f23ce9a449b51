"""Principal networks (issue 12, item 4): network meetings, attendance, problems of practice, peer pairs."""

from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "edlead.networks"
    label = "networks"
    verbose_name = "Principal networks"

    def ready(self) -> None:
        from edlead import notices
        from edlead.access import policy
        from edlead.access.models import RoleGrant
        from edlead.core import navigation
        from edlead.core.models import audit_verbs_register
        from edlead.core.services import audit_scope_register, audit_subject_register
        from edlead.files.registry import attachable_register
        from edlead.networks import selectors, services
        from edlead.networks.models import Attendance, Meeting

        # A principal's attendance is about them: themselves, their supervision chain (the network's
        # supervisor, the superintendent) and the district's administrators; not the other principals.
        policy.declare(
            Attendance,
            selectors.ATTENDANCE_VIEW,
            policy.Rule(
                person="person",
                chain=True,
                roles=frozenset({RoleGrant.Role.DISTRICT_ADMIN, RoleGrant.Role.STATE_ADMIN}),
                label="Network meeting attendance: the principal, their supervision chain, administrators",
            ),
        )
        # Materials: read by whoever reads the meeting, added by those who plan it.
        attachable_register(
            Meeting, view_action=policy.NETWORK_VIEW, edit_action=policy.NETWORK_MANAGE, restricted=False
        )
        audit_verbs_register(services.AUDIT_VERBS)
        audit_scope_register("networks.meeting", lambda m: [m.organization.path])
        audit_scope_register("networks.peerpair", lambda p: [p.organization.path])
        audit_subject_register("networks.attendance", lambda a: a.person_id)
        notices.register_kind(services.NOTICE_MEETING, "A meeting of your principal network is scheduled")
        navigation.register_admin_link(
            "Principal networks",
            "networks:network-list",
            lambda user: policy.can(user, policy.NETWORK_VIEW),
            order=30,
        )
        from edlead.home import columns
        from edlead.networks import school_columns

        columns.register(school_columns.COLUMN)  # the supervisor's home: a column of each school's row
        from edlead import schedules
        from edlead.networks import reports
        from edlead.networks.tasks import network_reports_task

        audit_verbs_register(reports.AUDIT_VERBS)
        audit_scope_register("networks.networkreport", lambda r: [r.network.path])
        notices.register_kind(reports.NOTICE_REPORT, "A principal network's report sent to you")
        schedules.register(
            "networks.reports",
            cron="0 6 1 * *",
            task=network_reports_task,
            description="Generates last month's report of every principal network (and on 1 July last school "
            "year's annual report), kept with the network's report history.",
        )
