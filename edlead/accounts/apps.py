"""Invitations, account activation and the two-factor rule per role."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "edlead.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from edlead.access import policy
        from edlead.accounts.signout import mark_signed_out
        from edlead.core import navigation

        user_logged_out.connect(mark_signed_out, dispatch_uid="edlead-clear-site-data")

        navigation.register_admin_link(
            "Accounts and invitations",
            "accounts:account-list",
            lambda u: policy.can(u, policy.ROLE_MANAGE) or policy.can(u, policy.PERSON_EDIT),
            order=10,
        )
        from edlead.accounts import services
        from edlead.accounts import workqueue as account_items
        from edlead.accounts.kinds import AccountInvitations
        from edlead.core import workqueue
        from edlead.core.models import audit_verbs_register
        from edlead.imports.kinds import register

        audit_verbs_register(services.AUDIT_VERBS)
        register(AccountInvitations)
        workqueue.register(account_items.SOURCE, account_items.items)
