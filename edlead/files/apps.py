"""One attachment store: checked content, access-checked and audited downloads."""

from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "edlead.files"
    label = "files"

    def ready(self) -> None:
        from edlead.access import policy
        from edlead.core.models import audit_verbs_register
        from edlead.files.registry import attachable_register
        from edlead.files.services import AUDIT_VERBS
        from edlead.people.models import Person

        audit_verbs_register(AUDIT_VERBS)
        # A person's record: HR and administrators upload; whoever reads personnel details sees them.
        attachable_register(Person, view_action=policy.PERSONNEL_VIEW, edit_action=policy.PERSON_EDIT)
