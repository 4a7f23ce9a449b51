"""What a group key names, for the pages that list memberships ("Member of …"). A key is
"<prefix>:<rest>" ("department:Special education", "cohort:5e4d…"); an app that owns a prefix registers
a resolver from its `ready()` that names many keys at once and may give each a page:

    from edlead.access import groups
    groups.register("cohort", lambda keys: {c.group_key: (c.name, c.get_absolute_url()) for c in ...})

Without a resolver a key reads as its rest ("Special education"). A group whose page not every reader of
someone's memberships may open registers `readable(user, keys)` → the keys whose page the user opens; the
others are named without a link (a supervisor reading a teacher's record sees "Member of New Principals
Cohort", not a link to a cohort they are not in)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Resolver = Callable[[list[str]], dict[str, tuple[str, str]]]
Readable = Callable[[Any, list[str]], set[str]]
_RESOLVERS: dict[str, Resolver] = {}
_READABLE: dict[str, Readable] = {}


def register(prefix: str, resolver: Resolver, *, readable: Readable | None = None) -> None:
    _RESOLVERS[prefix] = resolver
    if readable is not None:
        _READABLE[prefix] = readable


def label(relationships: Iterable[Any], user: Any = None) -> None:
    """Set `group_label` and `group_url` on each group relationship: one resolver call (one query at
    most) per prefix present, whatever the number of rows; with `user`, a link only to pages they open
    (one more query per prefix that says who reads its pages)."""
    rows = [r for r in relationships if getattr(r, "group", "")]
    by_prefix: dict[str, list[str]] = {}
    for r in rows:
        by_prefix.setdefault(r.group.split(":", 1)[0], []).append(r.group)
    named: dict[str, tuple[str, str]] = {}
    for prefix, keys in by_prefix.items():
        resolver = _RESOLVERS.get(prefix)
        if resolver is not None:
            found = resolver(sorted(set(keys)))
            readable = _READABLE.get(prefix)
            if user is not None and readable is not None:
                opens = readable(user, sorted(found))
                found = {k: (name, url if k in opens else "") for k, (name, url) in found.items()}
            named.update(found)
    for r in rows:
        r.group_label, r.group_url = named.get(r.group, (r.group.split(":", 1)[-1], ""))
