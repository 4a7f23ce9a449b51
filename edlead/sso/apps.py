"""Single sign-on per district: OpenID Connect and SAML through django-allauth."""

from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "edlead.sso"
    label = "sso"
