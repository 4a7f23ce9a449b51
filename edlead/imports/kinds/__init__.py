"""The registry of import kinds. To add a kind: write a subclass of `ImportKind` in this package and
list it in `KINDS` (see CONTRIBUTING.md, "Add an import kind")."""

from __future__ import annotations

from collections.abc import Sequence

from edlead.imports.kinds.base import ImportKind
from edlead.imports.kinds.directory import DistrictDirectory, SchoolDirectory
from edlead.imports.kinds.staff import StaffPositions
from edlead.metrics.kinds.dese import DESE_KINDS
from edlead.metrics.kinds.long_format import LONG_FORMAT_KINDS
from edlead.metrics.kinds.monitoring import MONITORING_KINDS

_CORE_KINDS: list[type[ImportKind]] = [DistrictDirectory, SchoolDirectory, StaffPositions]
KINDS: dict[str, type[ImportKind]] = {
    kind.slug: kind
    for kind in sorted(
        (
            *_CORE_KINDS,
            *DESE_KINDS,
            *LONG_FORMAT_KINDS,
            *MONITORING_KINDS,
        ),
        key=lambda k: k.priority,
    )
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


def detect_kind(
    rows: Sequence[list[str]], kind: str | None = None, hints: Sequence[str] = ()
) -> tuple[type[ImportKind] | None, int, list[type[ImportKind]]]:
    """Like `detect`, but when several kinds fit the header equally well, the title row, file name and
    folder name (`hints`) choose; still undecided, no kind is returned and the tied kinds are listed."""
    if kind:
        found, index = detect(rows, kind)
        return found, index, []
    scores: dict[type[ImportKind], tuple[float, int]] = {}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for candidate in KINDS.values():
            score = candidate.match_score(row)
            if score > scores.get(candidate, (0.0, 0))[0]:
                scores[candidate] = (score, index)
    if not scores:
        return None, 0, []
    top = max(s for s, _ in scores.values())
    tied = [k for k, (s, _) in scores.items() if abs(s - top) < 1e-9]
    if len(tied) > 1:
        by_hint = {k: k.hint_score(hints) for k in tied}
        best_hint = max(by_hint.values())
        chosen = [k for k in tied if by_hint[k] == best_hint]
        if best_hint <= 0 or len(chosen) > 1:
            return None, scores[tied[0]][1], tied
        tied = chosen
    return tied[0], scores[tied[0]][1], []


def describe_layouts() -> str:
    return "; ".join(
        f"{k.label}: {', '.join(k.column(c).header for c in k.key_columns)}" for k in KINDS.values()
    )
