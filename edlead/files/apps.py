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
        # A person's record: HR and administrators upload; the person, their evaluator, supervision chain
        # and HR see it — or, when shared, their coach and mentor too (rules declared in access.policy).
        attachable_register(
            Person,
            view_action=policy.PERSON_RESTRICTED,
            edit_action=policy.PERSON_EDIT,
            view_choices=(
                (policy.PERSON_RESTRICTED, "The person, their evaluator, supervisors and HR"),
                (policy.PERSON_SHARED, "Also their coach and mentor (shared)"),
            ),
        )
