"""Invitations, account activation and the two-factor rule per role."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "edlead.accounts"
    label = "accounts"
