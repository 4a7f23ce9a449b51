"""No dead ends: every demo login follows the links it is shown, to a depth of three.

The demo district (with its performance figures) is seeded; each persona signs in through the form in
chromium. From the home page, the links on the pages reached are requested (with the persona's session)
to a depth of three clicks: none may answer 4xx or 5xx. Links that htmx loads into a page (`hx-get`)
count as links. Pages of one kind (its URL with numbers taken out: 48 school pages, hundreds of person
pages) share one template and one access rule: the first REQUEST_PER_SHAPE links of each kind are
requested, breadth-first, and the links on them are collected from EXPAND_PER_SHAPE of them.

Every kind of page a persona reaches is opened in the browser and checked with axe-core (no serious or
critical WCAG 2.1 A/AA violation) unless a page with the same markup was checked already for another
persona of the group: the same elements with the same classes, roles, ARIA attributes, ids and form
fields (`_markup`). A persona who sees another section, form field or control on a page of a kind gets
it checked. Downloads are requested but not parsed; signing out is not followed.

The personas are crawled in two groups, one test each: the demo is seeded once per group rather than
once per persona (a minute each), and a failure names the persona.
"""

from __future__ import annotations

import re
import time
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from e2e.helpers import base_url, check_axe, sign_in_as, wait_for_htmx
from edlead.access.models import User
from edlead.demo import services as demo
from edlead.demo.metrics import metrics_seed

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

DEPTH = 3
# Pages of one shape (48 school pages, hundreds of person pages) share one template and one access
# rule: at most REQUEST_PER_SHAPE links of a shape are requested (the first found, breadth-first), and
# the links *on* pages are collected from at most EXPAND_PER_SHAPE of them.
EXPAND_PER_SHAPE = 4
REQUEST_PER_SHAPE = 15
GROUPS = 2  # personas are dealt round-robin into this many tests
SKIP = re.compile(r"^/(accounts/logout|static/|admin/)")


class _Links(HTMLParser):
    """`<a href>` links, and `hx-get` addresses (fragments htmx loads into the page)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append((str(found["href"]), False))
        if found.get("hx-get"):
            self.links.append((str(found["hx-get"]), True))


def _links(html: str, page_url: str) -> list[tuple[str, bool]]:
    parser = _Links()
    parser.feed(html)
    out = []
    for raw, fragment in parser.links:
        if raw.startswith(("mailto:", "tel:", "#", "javascript:")):
            continue
        parts = urlsplit(urljoin("http://testserver" + page_url, raw))
        if parts.netloc != "testserver" or SKIP.match(parts.path):
            continue
        out.append((parts.path + (f"?{parts.query}" if parts.query else ""), fragment))
    return out


class _Markup(HTMLParser):
    """What axe-core judges a page by, without its data: each element's tag, classes, role, ARIA and
    other attribute names, type, and its id, name and label target with numbers taken out."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: set[tuple[str, ...]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        named = tuple(re.sub(r"\d+", "N", found.get(k) or "") for k in ("id", "name", "for", "type", "role"))
        names = tuple(sorted(f"{k}={v}" if k == "aria-hidden" else k for k, v in found.items() if k))
        self.elements.add((tag, found.get("class") or "", *named, *names))


def _markup(html: str) -> frozenset[tuple[str, ...]]:
    parser = _Markup()
    parser.feed(html)
    return frozenset(parser.elements)


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted(k.split("=")[0] for k in query.split("&") if k) if query else []
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


@pytest.fixture
def demo_with_metrics(transactional_db: None) -> None:
    demo.demo_seed(scale="demo")
    metrics_seed()


Shapes = dict[str, tuple[str, frozenset[tuple[str, ...]]]]


def _crawl(user: User) -> tuple[dict[str, int], dict[str, str], Shapes]:
    """Breadth-first to DEPTH: status of every URL reached, and one URL per page shape to check, with
    its markup."""
    client = Client()
    client.force_login(user)
    status: dict[str, int] = {}
    where: dict[str, str] = {}
    shapes: Shapes = {}
    expanded: dict[str, int] = {}
    requested: dict[str, int] = {}
    queue: deque[tuple[str, int, bool]] = deque([("/", 0, False)])
    while queue:
        url, depth, fragment = queue.popleft()
        if url in status:
            continue
        shape = _shape(url)
        if requested.get(shape, 0) >= REQUEST_PER_SHAPE:
            continue
        requested[shape] = requested.get(shape, 0) + 1
        response = client.get(url)
        status[url] = response.status_code
        is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or not is_html:
            continue
        html = response.content.decode()
        if (
            not fragment
            and shape not in shapes
            and "attachment" not in response.get("Content-Disposition", "")
        ):
            shapes[shape] = (url, _markup(html))
        if depth >= DEPTH or expanded.get(shape, 0) >= EXPAND_PER_SHAPE:
            continue
        expanded[shape] = expanded.get(shape, 0) + 1
        for link, is_fragment in _links(html, url):
            if link not in status:
                where.setdefault(link, url)
                queue.append((link, depth + 1, is_fragment))
    return status, where, shapes


def _group(index: int) -> list[str]:
    return [p.key for p in demo.PERSONAS][index::GROUPS]


def test_the_groups_hold_every_persona_once() -> None:
    dealt = [key for i in range(GROUPS) for key in _group(i)]
    assert sorted(dealt) == sorted(p.key for p in demo.PERSONAS)


@pytest.mark.parametrize("group", range(GROUPS), ids=lambda i: "+".join(_group(i)))
def test_every_link_a_demo_login_is_shown_opens_and_every_kind_of_page_is_accessible(
    page: Any, live_server: Any, demo_with_metrics: None, group: int, csp_violations: list[str]
) -> None:
    root = base_url(live_server)
    checked: set[frozenset[tuple[str, ...]]] = set()  # the markup of pages axe passed in this group
    for persona_key in _group(group):
        persona = demo.persona(persona_key)
        user = User.objects.get(email=persona.email)
        sign_in_as(page, live_server, persona.email, demo.DEMO_PASSWORD)
        started = time.monotonic()
        status, where, shapes = _crawl(user)
        crawled = time.monotonic() - started
        broken = {url: code for url, code in status.items() if code >= 400}
        assert not broken, f"{persona_key}:\n" + "\n".join(
            f"{code} {url} (linked from {where.get(url)})" for url, code in broken.items()
        )
        assert len(status) > 5, f"{persona_key} reached only {sorted(status)}"
        axed = 0
        for url, markup in shapes.values():
            if markup in checked:
                continue
            page.goto(root + url)
            wait_for_htmx(page)
            try:
                check_axe(page)
            except AssertionError as exc:
                raise AssertionError(f"{persona_key} on {url}: {exc}") from exc
            checked.add(markup)
            axed += 1
        assert not csp_violations, f"{persona_key}: {csp_violations}"
        print(
            f"{persona_key}: {len(status)} links followed in {crawled:.1f} s; of {len(shapes)} kinds of page, "
            f"{axed} not yet seen with this markup checked with axe in {time.monotonic() - started - crawled:.1f} s"
        )
