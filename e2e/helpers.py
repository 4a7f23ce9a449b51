"""Helpers for browser tests: sign in, check accessibility with axe-core, take screenshots.

Import them in a test (`from e2e.helpers import sign_in`) or ask for the fixtures of the same name that
`e2e/conftest.py` provides.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edlead.testing import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})


def base_url(live_server: Any) -> str:
    return str(getattr(live_server, "url", live_server)).rstrip("/")


def sign_in(page: Page, live_server: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through allauth's form like a person would: open the sign-in page, type, press the button.

    Returns once the browser has left the sign-in page (to the home page, or to the code page for an
    account with two-factor authentication). Fails with the page's error message if it stays.
    """
    page.goto(f"{base_url(live_server)}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if page.url.split("?", 1)[0].endswith("/accounts/login/"):
        errors = page.locator(".usa-alert--error, .usa-error-message").all_inner_texts()
        raise AssertionError(f"sign-in as {email} failed: {' / '.join(errors) or 'no error shown'}")


def sign_in_as(page: Page, live_server: Any, email: str, password: str = PASSWORD) -> None:
    """Sign out whoever is signed in (cookies cleared), then sign in as `email`: one browser, many roles."""
    page.context.clear_cookies()
    sign_in(page, live_server, email, password)


# Resolves once no element has been in one of htmx's request or swap states for three checks 50 ms apart:
# the parts a page loads as it opens (`hx-trigger="load"`), and the parts those load, are in place.
_HTMX_QUIET = """() => new Promise((resolve) => {
  let quiet = 0;
  const busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added";
  const tick = () => {
    quiet = document.querySelector(busy) ? 0 : quiet + 1;
    if (quiet >= 3) resolve(true); else setTimeout(tick, 50);
  };
  tick();
})"""


def wait_for_htmx(page: Page) -> None:
    """After a navigation: the page has loaded and htmx has finished the requests it makes as it opens.
    Faster than Playwright's "networkidle", which waits for half a second without any request."""
    page.wait_for_load_state("load")
    page.evaluate(_HTMX_QUIET)


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci` (make setup) to install axe-core")
    # Wrapped in a function so Playwright evaluates it as code, not as a function expression to call.
    return "() => {\n" + AXE_JS.read_text(encoding="utf-8") + "\n; return typeof window.axe;\n}"


def check_axe(
    page: Page,
    *,
    tags: list[str] | None = None,
    failing_impacts: frozenset[str] = FAILING_IMPACTS,
    disable_rules: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; fail listing every serious or critical WCAG 2.1 A/AA
    violation. Returns all violations (the minor and moderate ones too) for callers that want them.

    axe is loaded with `page.evaluate`, which runs through the DevTools protocol and so is not blocked by
    our Content-Security-Policy (`script-src 'self'` would refuse an inline <script> element).
    """
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": tags or AXE_TAGS},
        "resultTypes": ["violations"],
    }
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    results = _run_axe(page, options)
    violations: list[dict[str, Any]] = results["violations"]
    failing = [v for v in violations if v.get("impact") in failing_impacts]
    if failing:
        raise AssertionError(
            f"axe found {len(failing)} serious/critical problem(s) on {page.url}:\n"
            + format_violations(failing)
        )
    return violations


# What the browser says when axe ran on a document that a navigation was replacing: a test that clicks a link
# and checks at once can catch the old page mid-unload. Then wait for the new page and run again.
_MID_NAVIGATION = ("Execution context was destroyed", "reading 'documentElement'", "navigat")


def _run_axe(page: Page, options: dict[str, Any]) -> dict[str, Any]:
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            if page.evaluate("() => typeof window.axe") != "object":
                loaded = page.evaluate(_axe_source())
                assert loaded == "object", f"axe-core did not load on {page.url} ({loaded})"
            result: dict[str, Any] = page.evaluate(
                "async (options) => await window.axe.run(document, options)", options
            )
            return result
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in str(error) for sign in _MID_NAVIGATION):
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
            lines.append(f"    at {target}: {node['html'][:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page to e2e/artifacts/NAME.png (git-ignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
