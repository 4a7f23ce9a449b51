"""Single sign-on per district: OpenID Connect and SAML through django-allauth."""

from typing import Any

from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "edlead.sso"
    label = "sso"

    def ready(self) -> None:
        from edlead.access import policy
        from edlead.core import navigation

        navigation.register_admin_link(
            "Single sign-on", "sso:district-list", lambda u: policy.can(u, policy.ROLE_MANAGE), order=30
        )
        from allauth.account.signals import user_logged_in

        from edlead.accounts.services import sign_in_choice_register
        from edlead.core.models import audit_verbs_register
        from edlead.sso import invitations, services

        audit_verbs_register(services.AUDIT_VERBS)
        sign_in_choice_register(invitations.invitation_sign_in_choices)

        def _on_sso_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            sociallogin = kwargs.get("sociallogin")
            if sociallogin is not None:
                services.sso_sign_in_record(request=request, user=user, sociallogin=sociallogin)

        user_logged_in.connect(_on_sso_login, weak=False, dispatch_uid="edlead.sso.login")
