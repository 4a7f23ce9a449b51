"""Fixtures for browser tests.

    @pytest.mark.browser
    def test_principal_sees_their_school(page, live_server, sign_in, check_axe, screenshot):
        principal = make_user(email="p@example.org", grants=[...])
        sign_in(page, live_server, principal.email)      # password defaults to edlead.testing.PASSWORD
        page.get_by_role("link", name="Lincoln Elementary").click()
        check_axe(page)                                   # no serious/critical WCAG 2.1 A/AA violations
        screenshot(page, "principal-school")             # e2e/artifacts/principal-school.png

`browser` is one chromium for the session (Debian's /usr/bin/chromium; no browser is downloaded);
`page` is a fresh context per test, so cookies never leak between tests. Tests that use `page` get a
database that the live server thread can see (`transactional_db`) and an empty cache (allauth keeps
sign-in rate limits there). A test whose page logs a Content-Security-Policy violation fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e import helpers

# `browser` (one chromium for the session) and the browser marker's skip live in the root conftest.py,
# so browser tests outside e2e/ share the same chromium.


@pytest.fixture
def csp_violations() -> list[str]:
    """Console errors in which chromium reports a Content-Security-Policy violation on `page`. The test
    fails at teardown if any are left; a test that provokes one on purpose clears the list."""
    return []


@pytest.fixture
def page(browser: Any, transactional_db: None, empty_cache: None, csp_violations: list[str]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    if csp_violations:
        pytest.fail(
            "the page broke the Content-Security-Policy:\n" + "\n".join(csp_violations), pytrace=False
        )


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Callable[..., None]:
    """`sign_in(page, live_server, email, password=PASSWORD)`."""
    return helpers.sign_in


@pytest.fixture(name="check_axe")
def check_axe_fixture() -> Callable[..., list[dict[str, Any]]]:
    """`check_axe(page)`: fails on serious or critical WCAG 2.1 A/AA violations."""
    return helpers.check_axe


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[..., Path]:
    """`screenshot(page, name)` → e2e/artifacts/NAME.png."""
    return helpers.screenshot


@pytest.fixture
def signed_in_page(page: Any, live_server: Any) -> Callable[..., Any]:
    """`signed_in_page(user)` signs that user in on `page` (password edlead.testing.PASSWORD) and returns
    the page, which is then on the user's home page."""

    def _sign_in(user: Any, password: str | None = None) -> Any:
        helpers.sign_in(page, live_server, user.email, password or helpers.PASSWORD)
        return page

    return _sign_in
