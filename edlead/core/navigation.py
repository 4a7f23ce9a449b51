"""Links that apps add to the header's "Administration" menu, registered from each app's `ready()`:

    from edlead.core import navigation
    navigation.register_admin_link("Scheduled jobs", "schedules:job-list", may_manage_jobs, order=50)

so the header never imports a vertical."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AdminLink:
    label: str
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 50


_LINKS: dict[str, AdminLink] = {}


def register_admin_link(
    label: str, url_name: str, allowed: Callable[[Any], bool], *, order: int = 50
) -> None:
    _LINKS[url_name] = AdminLink(label, url_name, allowed, order)


def admin_links() -> list[AdminLink]:
    return sorted(_LINKS.values(), key=lambda link: (link.order, link.label))
