"""Signing out tells the browser to delete this site's stored data (visit pages kept for offline work,
notes kept on the device), whoever signs out and however; other answers leave it alone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from edlead.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_sign_out_clears_the_browsers_stored_data_and_nothing_else_does() -> None:
    user = make_user(email="sam@example.org")
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    home = client.get(reverse("home:home"))
    assert home.status_code == 200 and "Clear-Site-Data" not in home
    assert b"edlead/signout.js" in home.content and b"data-signout" in home.content
    out = client.post(reverse("account_logout"))
    assert out.status_code == 302 and out["Clear-Site-Data"] == '"storage"'
    assert "_auth_user_id" not in client.session
    # Signed out already: a second post signs nobody out and clears nothing.
    again = client.post(reverse("account_logout"))
    assert "Clear-Site-Data" not in again
    login_page = client.get(reverse("account_login"))
    assert "Clear-Site-Data" not in login_page and b"edlead/signout.js" not in login_page.content
