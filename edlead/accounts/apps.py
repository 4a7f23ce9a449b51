"""Invitations, account activation and the two-factor rule per role."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "edlead.accounts"
    label = "accounts"

    def ready(self) -> None:
        from edlead.accounts import services
        from edlead.accounts import workqueue as account_items
        from edlead.accounts.kinds import AccountInvitations
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.imports.kinds import register

        audit_verbs_register(services.AUDIT_VERBS)
        register(AccountInvitations)
        workqueue.register(account_items.SOURCE, account_items.items)
