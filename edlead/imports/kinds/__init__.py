"""The registry of import kinds. Each app registers its own kinds from its `AppConfig.ready()`
(`register(MyKind, ...)`); the imports app knows no later app (see CONTRIBUTING.md, "Add an import
kind"). `KINDS` is filled in place, ordered by priority (lower applies first)."""

from __future__ import annotations

from collections.abc import Sequence

from edlead.imports.kinds.base import ImportKind

KINDS: dict[str, type[ImportKind]] = {}


def register(*kinds: type[ImportKind]) -> None:
    """Add import kinds to the registry (idempotent: registering a slug again replaces its kind)."""
    merged = {**KINDS, **{kind.slug: kind for kind in kinds}}
    KINDS.clear()
    KINDS.update(sorted(merged.items(), key=lambda item: item[1].priority))  # stable: ties keep their order


def _register_own_kinds() -> None:
    """The kinds this app ships (directories, staff positions); later apps register theirs from their
    own `AppConfig.ready()` (e.g. `edlead.metrics.apps`)."""
    from edlead.imports.kinds.directory import DistrictDirectory, SchoolDirectory
    from edlead.imports.kinds.staff import StaffPositions

    register(DistrictDirectory, SchoolDirectory, StaffPositions)


_register_own_kinds()

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
