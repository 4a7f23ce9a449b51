from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "edlead.orgs"
    label = "orgs"

    def ready(self) -> None:
        from edlead.core.services import audit_scope_register

        # An event about an organization concerns that organization (and so every node above it).
        audit_scope_register("orgs.organization", lambda org: [org.path])
        audit_scope_register("orgs.supervisionoverride", lambda ov: [ov.school.path])
