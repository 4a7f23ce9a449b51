"""District settings with defaults in code and a per-state layer.

from edlead import config
config.register("workqueue.due_soon_days", "Due soon", config.INT, 14, "…", section="Work queue")
days = config.setting(district, "workqueue.due_soon_days")   # district → state → code default
"""

from __future__ import annotations

from typing import Any

from edlead.config.registry import (
    BOOL,
    CHOICE,
    DATE_OF_YEAR,
    DISTRICT,
    INT,
    LIST,
    STATE,
    STR,
    MonthDay,
    definition,
    definitions,
    register,
)

__all__ = [
    "BOOL",
    "CHOICE",
    "DATE_OF_YEAR",
    "DISTRICT",
    "INT",
    "LIST",
    "STATE",
    "STR",
    "MonthDay",
    "definition",
    "definitions",
    "register",
    "prefetch_settings",
    "setting",
    "setting_for_user",
]


def setting(org: Any, key: str) -> Any:
    """The value of `key` for `org` (any node: a school reads its district's): the district's own,
    else the state's, else the code default. One query per organization object, then cached on it."""
    from edlead.config.selectors import setting as _setting

    return _setting(org, key)


def prefetch_settings(orgs: Any) -> None:
    """Read the settings of many organizations in one query and cache them on each object, before a
    loop calls `setting` for each (a state-wide list over hundreds of districts)."""
    from edlead.config.selectors import prefetch_settings as _prefetch

    _prefetch(orgs)


def setting_for_user(user: Any, key: str) -> Any:
    """The value of `key` where `user` works: their one district's, else the state's, else the code
    default (a user whose roles span districts reads the state's). One query per request."""
    from edlead.config.selectors import setting_for_user as _setting_for_user

    return _setting_for_user(user, key)
