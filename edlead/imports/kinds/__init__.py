"""The registry of import kinds. To add a kind: write a subclass of `ImportKind` in this package and
list it in `KINDS` (see CONTRIBUTING.md, "Add an import kind")."""

from __future__ import annotations

from collections.abc import Sequence

from edlead.imports.kinds.base import ImportKind
from edlead.imports.kinds.directory import DistrictDirectory, SchoolDirectory
from edlead.imports.kinds.staff import StaffPositions

KINDS: dict[str, type[ImportKind]] = {
    kind.slug: kind
    for kind in sorted((DistrictDirectory, SchoolDirectory, StaffPositions), key=lambda k: k.priority)
}

HEADER_SEARCH_ROWS = 10  # a title row (or a few) may sit above the header


def detect(rows: Sequence[list[str]], kind: str | None = None) -> tuple[type[ImportKind] | None, int]:
    """The kind whose columns best fit one of the first rows, and that row's index (the header).
    With `kind` given, only where its header is."""
    candidates = [KINDS[kind]] if kind else list(KINDS.values())
    best: tuple[float, int, type[ImportKind] | None] = (0.0, 0, None)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for candidate in candidates:
            score = candidate.match_score(row)
            if score > best[0]:
                best = (score, index, candidate)
    if best[2] is None and kind:
        # The asked-for kind with too few of its columns: take the first row that holds any of them,
        # so the report can name what is missing.
        wanted = KINDS[kind]
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if wanted.header_map(row):
                return wanted, index
        return wanted, 0
    return best[2], best[1]


def describe_layouts() -> str:
    return "; ".join(
        f"{k.label}: {', '.join(k.column(c).header for c in k.key_columns)}" for k in KINDS.values()
    )
