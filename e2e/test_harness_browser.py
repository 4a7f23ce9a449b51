"""The browser harness itself: the CSP is enforced in chromium and axe-core still runs and finds problems."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.helpers import base_url, check_axe

pytestmark = pytest.mark.browser


def test_csp_blocks_inline_scripts_in_the_browser(page: Page, live_server, csp_violations: list[str]) -> None:
    page.goto(f"{base_url(live_server)}/accounts/login/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.inlineRan === true") is False
    assert any("Content Security Policy" in text for text in csp_violations)
    csp_violations.clear()


def test_axe_runs_under_the_csp_and_reports_a_missing_label(page: Page, live_server) -> None:
    page.goto(f"{base_url(live_server)}/accounts/login/")
    assert check_axe(page) is not None  # clean page: returns the (non-failing) violations

    page.evaluate("() => document.querySelector('label[for=id_login]').remove()")

    with pytest.raises(AssertionError) as failure:
        check_axe(page)
    assert "label" in str(failure.value)
    assert "#id_login" in str(failure.value)
