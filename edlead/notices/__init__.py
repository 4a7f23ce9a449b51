"""Notifications: the in-app inbox and e-mail (immediately, daily digest or off).

Apps declare kinds with `register_kind(...)` from their AppConfig.ready() and send with
`edlead.notices.services.notify(...)` / `notify_many(...)`.
"""

from edlead.notices.registry import DIGEST, IMMEDIATE, OFF, NoticeKind, get_kind, kinds, register_kind

__all__ = ["DIGEST", "IMMEDIATE", "OFF", "NoticeKind", "get_kind", "kinds", "register_kind"]
