"""Notification kinds, declared by each app from its AppConfig.ready():

    from edlead import notices

    notices.register_kind("evaluations.due", "Evaluation due", notices.IMMEDIATE)

No model is imported here, so any app's `ready()` may call it.
"""

from __future__ import annotations

from dataclasses import dataclass

IMMEDIATE = "immediate"
DIGEST = "digest"
OFF = "off"
DELIVERY_CHOICES = [
    (IMMEDIATE, "E-mail me at once"),
    (DIGEST, "Daily digest e-mail"),
    (OFF, "No e-mail (inbox only)"),
]
DELIVERIES = frozenset(code for code, _ in DELIVERY_CHOICES)


@dataclass(frozen=True)
class NoticeKind:
    key: str
    label: str
    default_delivery: str


_KINDS: dict[str, NoticeKind] = {}


def register_kind(key: str, label: str, default_delivery: str = IMMEDIATE) -> NoticeKind:
    """Declare a kind of notice (`"<app>.<what>"`); people choose its delivery on their preferences
    page, starting from `default_delivery`. Registering the same key again replaces it."""
    if not key or len(key) > 60:
        raise ValueError(f"A notice kind key is 1-60 characters: {key!r}")
    if default_delivery not in DELIVERIES:
        raise ValueError(f"Unknown delivery {default_delivery!r}; use one of {sorted(DELIVERIES)}")
    kind = NoticeKind(key, str(label), default_delivery)
    _KINDS[key] = kind
    return kind


def get_kind(key: str) -> NoticeKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ValueError(
            f"Unknown notice kind {key!r}: register it with notices.register_kind() in AppConfig.ready()"
        ) from None


def kinds() -> list[NoticeKind]:
    """Every registered kind, by label."""
    return sorted(_KINDS.values(), key=lambda k: k.label)
