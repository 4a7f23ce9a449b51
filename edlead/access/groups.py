"""What a group key names, for the pages that list memberships ("Member of …"). A key is
"<prefix>:<rest>" ("department:Special education", "cohort:5e4d…"); an app that owns a prefix registers
a resolver from its `ready()` that names many keys at once and may give each a page:

    from edlead.access import groups
    groups.register("cohort", lambda keys: {c.group_key: (c.name, c.get_absolute_url()) for c in ...})

Without a resolver a key reads as its rest ("Special education")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Resolver = Callable[[list[str]], dict[str, tuple[str, str]]]
_RESOLVERS: dict[str, Resolver] = {}


def register(prefix: str, resolver: Resolver) -> None:
    _RESOLVERS[prefix] = resolver


def label(relationships: Iterable[Any]) -> None:
    """Set `group_label` and `group_url` on each group relationship: one resolver call (one query at
    most) per prefix present, whatever the number of rows."""
    rows = [r for r in relationships if getattr(r, "group", "")]
    by_prefix: dict[str, list[str]] = {}
    for r in rows:
        by_prefix.setdefault(r.group.split(":", 1)[0], []).append(r.group)
    named: dict[str, tuple[str, str]] = {}
    for prefix, keys in by_prefix.items():
        resolver = _RESOLVERS.get(prefix)
        if resolver is not None:
            named.update(resolver(sorted(set(keys))))
    for r in rows:
        r.group_label, r.group_url = named.get(r.group, (r.group.split(":", 1)[-1], ""))
