"""Parts of a person's record that other apps show (licences, learning, awards, the pipeline…), registered
from each app's `ready()` so the people app never imports a vertical:

    from edlead.people import panels
    panels.register(panels.Panel("licences", "credentials:person-licences", 10))

The record page loads each part from its URL (`url_name` takes the person's pk) as it opens; the part's
view asks the access module itself and answers an empty response when the reader may see nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Panel:
    key: str
    url_name: str
    order: int = 50


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def unregister(key: str) -> None:
    _PANELS.pop(key, None)


def panel_urls(person_id: int) -> list[tuple[str, str]]:
    """(key, URL) of every registered part, in order."""
    return [
        (p.key, reverse(p.url_name, args=[person_id]))
        for p in sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
    ]
