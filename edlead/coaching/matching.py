"""Mentor matching: every new principal without a mentor and every experienced principal with room in
their caseload, at once, assigned at the minimum total cost with scipy's `linear_sum_assignment` (the
Hungarian method's modern form; no hand-written solver).

The cost of a mentee × mentor pair is a sum of terms, each worked out for the whole matrix at once with
numpy (300 mentees × 2,000 mentors in well under a second):

- school level (elementary, middle, high) differs: `LEVEL`; grade spans that overlap little: `SPAN`;
- school context far apart (enrolment on a log scale, shares of low-income and English-learner
  students): `CONTEXT`;
- the mentor's own school improved on the measure where the mentee's school is weakest: a bonus
  (`IMPROVEMENT`, a negative cost), from the metrics app's key measures;
- another district: `OTHER_DISTRICT` (same-district preference; no geocoding);
- the caseload: each mentor is expanded into one column per free place (the district's limit less the
  mentees they have), and each further mentee costs `LOAD` more, so mentees are spread out.

Each proposed match carries its reasons in words. `Problem` is plain arrays, so the benchmark builds one
synthetically; `problem_from_db` (in `selectors`) builds it from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

LEVEL = 3.0
UNKNOWN_LEVEL = 1.0
SPAN = 2.0
CONTEXT = 2.0
UNKNOWN_CONTEXT = 0.75
IMPROVEMENT = 1.5
OTHER_DISTRICT = 1.5
LOAD = 0.25

LEVELS = ("elementary", "middle", "high", "other")
GRADE_INDEX = {"PK": -1, "K": 0, **{f"{g:02d}": g for g in range(1, 13)}, **{str(g): g for g in range(1, 13)}}

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def school_level(grades: str) -> tuple[int, float, float]:
    """(level index, lowest grade, highest grade) from DESE's comma list of grades; level -1 unknown."""
    found = [
        GRADE_INDEX[g.strip().upper()] for g in (grades or "").split(",") if g.strip().upper() in GRADE_INDEX
    ]
    if not found:
        return -1, np.nan, np.nan
    lo, hi = min(found), max(found)
    if hi <= 6:
        level = 0
    elif lo >= 9:
        level = 2
    elif lo >= 5 and hi <= 9:
        level = 1
    else:
        level = 3
    return level, float(lo), float(hi)


@dataclass
class Side:
    """Mentees or mentors: one entry per person, with their school's features (nan where unknown)."""

    person_ids: IntArray
    names: list[str]
    schools: list[str]
    district: IntArray
    level: IntArray
    grade_lo: FloatArray
    grade_hi: FloatArray
    enrolment: FloatArray
    low_income: FloatArray  # share 0–1
    english_learners: FloatArray  # share 0–1

    def __len__(self) -> int:
        return len(self.person_ids)


@dataclass
class Problem:
    mentees: Side
    mentors: Side
    measure_names: list[str]
    weakest: IntArray  # per mentee: index of its school's weakest measure, -1 when unknown
    improvement: FloatArray  # mentors × measures: points better over the years (direction-adjusted)
    load: IntArray  # per mentor: mentees they have now
    free: IntArray  # per mentor: places left in their caseload
    years: int = 3


@dataclass
class Match:
    mentee: int  # index into Problem.mentees
    mentor: int  # index into Problem.mentors
    cost: float
    reasons: list[str]


@dataclass
class Proposal:
    matches: list[Match]
    unmatched: list[int]  # mentees left without a mentor (not enough places)
    alternatives: dict[int, list[int]] = field(default_factory=dict)  # mentee → next-best mentors


def _nan0(a: FloatArray, fill: float) -> FloatArray:
    return np.where(np.isnan(a), fill, a)


def _improvement_z(problem: Problem) -> FloatArray:
    """Mentors × measures: how far above the other mentors each one's improvement is (in deviations)."""
    imp = problem.improvement
    if imp.size == 0:
        return np.zeros_like(imp)
    with np.errstate(invalid="ignore", divide="ignore"):
        counts = np.sum(~np.isnan(imp), axis=0)
        mean = np.where(counts > 0, np.nansum(imp, axis=0) / np.maximum(counts, 1), 0.0)
        sq = np.nansum((imp - mean) ** 2, axis=0) / np.maximum(counts, 1)
        std = np.sqrt(sq)
        z = (imp - mean) / np.where(std > 0, std, 1.0)
    return np.clip(_nan0(z, 0.0), -2.0, 2.0)


def cost_matrix(problem: Problem) -> FloatArray:
    """Mentees × mentors, every term at once."""
    a, b = problem.mentees, problem.mentors
    # Level and grade span.
    la, lb = a.level[:, None], b.level[None, :]
    known = (la >= 0) & (lb >= 0)
    cost = np.where(known, np.where(la == lb, 0.0, LEVEL), UNKNOWN_LEVEL)
    lo = np.maximum(a.grade_lo[:, None], b.grade_lo[None, :])
    hi = np.minimum(a.grade_hi[:, None], b.grade_hi[None, :])
    union = np.maximum(a.grade_hi[:, None], b.grade_hi[None, :]) - np.minimum(
        a.grade_lo[:, None], b.grade_lo[None, :]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = np.clip((hi - lo + 1) / (union + 1), 0.0, 1.0)
    cost += SPAN * (1.0 - _nan0(overlap, 0.5))
    # Context: enrolment (log, a factor of 3 is one unit), low income (30 points), English learners (20).
    with np.errstate(invalid="ignore", divide="ignore"):
        d_enr = (np.log(a.enrolment[:, None]) - np.log(b.enrolment[None, :])) / np.log(3.0)
    d_li = (a.low_income[:, None] - b.low_income[None, :]) / 0.30
    d_el = (a.english_learners[:, None] - b.english_learners[None, :]) / 0.20
    parts = np.stack([d_enr, d_li, d_el])
    n_known = np.sum(~np.isnan(parts), axis=0)
    dist = np.sqrt(np.nansum(parts**2, axis=0) / np.maximum(n_known, 1))
    cost += np.where(n_known > 0, CONTEXT * np.minimum(dist, 1.5) / 1.5, UNKNOWN_CONTEXT)
    # The mentor's improvement on the mentee's weakest measure.
    if problem.improvement.size and len(a):
        z = _improvement_z(problem)  # mentors × measures
        picked = z[:, np.maximum(problem.weakest, 0)].T  # mentees × mentors
        cost -= np.where(problem.weakest[:, None] >= 0, IMPROVEMENT * picked / 2.0, 0.0)
    # Same-district preference.
    cost += np.where(a.district[:, None] == b.district[None, :], 0.0, OTHER_DISTRICT)
    return cost


def assign(base: FloatArray, load: IntArray, free: IntArray) -> list[tuple[int, int, float]]:
    """(mentee, mentor, cost) of the minimum total cost, each mentor taking at most `free` more: every
    mentor is one column per free place, the k-th further mentee costing `LOAD` × (load + k) more."""
    free = np.maximum(free, 0)
    if base.shape[0] == 0 or int(free.sum()) == 0:
        return []
    columns = np.repeat(np.arange(base.shape[1]), free)
    starts = np.cumsum(free) - free
    within = np.arange(len(columns)) - np.repeat(starts, free)
    expanded = base[:, columns] + LOAD * (load[columns] + within)
    rows, cols = linear_sum_assignment(expanded)
    return [(int(r), int(columns[c]), float(expanded[r, c])) for r, c in zip(rows, cols, strict=True)]


def propose(problem: Problem, *, alternatives: int = 0) -> Proposal:
    """The assignment of minimum total cost, with each match's reasons (and, when asked, the next-best
    mentors of each mentee for the coordinator to choose from)."""
    n_a = len(problem.mentees)
    free = np.maximum(problem.free, 0)
    if n_a == 0 or int(free.sum()) == 0:
        return Proposal([], list(range(n_a)))
    base = cost_matrix(problem)
    matches = [Match(i, j, cost, reasons(problem, i, j)) for i, j, cost in assign(base, problem.load, free)]
    matched = {m.mentee for m in matches}
    alt: dict[int, list[int]] = {}
    if alternatives:
        has_room = free > 0
        masked = np.where(has_room[None, :], base, np.inf)
        k = min(alternatives + 1, masked.shape[1])
        best = np.argpartition(masked, k - 1, axis=1)[:, :k]
        for i in range(n_a):
            order = best[i][np.argsort(masked[i, best[i]])]
            alt[i] = [int(j) for j in order if np.isfinite(masked[i, j])]
    return Proposal(matches, [i for i in range(n_a) if i not in matched], alt)


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def reasons(problem: Problem, i: int, j: int) -> list[str]:
    """Why mentor j suits mentee i, in words (also for a mentor the coordinator chose instead)."""
    a, b = problem.mentees, problem.mentors
    out: list[str] = []
    la, lb = int(a.level[i]), int(b.level[j])
    if la >= 0 and la == lb and la < 3:
        out.append(f"Both lead {LEVELS[la]} schools ({_span(a, i)} and {_span(b, j)}).")
    elif la == lb == 3:
        out.append(f"Both schools span several levels ({_span(a, i)} and {_span(b, j)}).")
    elif la >= 0 and lb >= 0:
        out.append(f"Different school levels: grades {_span(a, i)} and {_span(b, j)}.")
    else:
        out.append("The grades one of the schools serves are not known.")
    ctx = []
    if not np.isnan(a.enrolment[i]) and not np.isnan(b.enrolment[j]):
        ctx.append(f"{a.enrolment[i]:.0f} and {b.enrolment[j]:.0f} students")
    if not np.isnan(a.low_income[i]) and not np.isnan(b.low_income[j]):
        ctx.append(f"{_pct(a.low_income[i])} and {_pct(b.low_income[j])} low income")
    if not np.isnan(a.english_learners[i]) and not np.isnan(b.english_learners[j]):
        ctx.append(f"{_pct(a.english_learners[i])} and {_pct(b.english_learners[j])} English learners")
    out.append("School context: " + "; ".join(ctx) + "." if ctx else "No school context figures to compare.")
    w = int(problem.weakest[i]) if len(problem.weakest) else -1
    if w >= 0 and problem.improvement.size:
        points = problem.improvement[j, w]
        name = problem.measure_names[w]
        if np.isnan(points):
            out.append(f"{a.schools[i]}'s weakest measure is {name}; no trend for {b.schools[j]}.")
        elif points > 0:
            out.append(
                f"{b.schools[j]} improved {name} by {points:.1f} points over {problem.years} years — "
                f"{a.schools[i]}'s weakest measure."
            )
        else:
            out.append(
                f"{b.schools[j]} did not improve {name} ({points:+.1f} points over {problem.years} years), "
                f"{a.schools[i]}'s weakest measure."
            )
    out.append("Same district." if a.district[i] == b.district[j] else "Another district.")
    load, free = int(problem.load[j]), int(problem.free[j])
    out.append(f"Mentors {load} now, room for {free} more.")
    return out


def _span(side: Side, i: int) -> str:
    lo, hi = side.grade_lo[i], side.grade_hi[i]
    if np.isnan(lo):
        return "unknown grades"

    def word(g: float) -> str:
        return {-1: "PK", 0: "K"}.get(int(g), str(int(g)))

    return f"{word(lo)}–{word(hi)}"


def synthetic(n_mentees: int, n_mentors: int, *, seed: int = 12, measures: int = 3) -> Problem:
    """A random problem of the given size (the benchmark's, and tests of speed)."""
    rng = np.random.default_rng(seed)

    def side(n: int, offset: int) -> Side:
        level = rng.integers(0, 4, n)
        lo = np.choose(
            level, [rng.integers(-1, 1, n), rng.integers(5, 7, n), np.full(n, 9), rng.integers(-1, 1, n)]
        )
        hi = np.choose(level, [rng.integers(4, 7, n), np.full(n, 8), np.full(n, 12), np.full(n, 8)])
        return Side(
            person_ids=np.arange(offset, offset + n, dtype=np.int64),
            names=[f"Person {k}" for k in range(offset, offset + n)],
            schools=[f"School {k}" for k in range(offset, offset + n)],
            district=rng.integers(0, 60, n).astype(np.int64),
            level=level.astype(np.int64),
            grade_lo=lo.astype(np.float64),
            grade_hi=hi.astype(np.float64),
            enrolment=rng.uniform(120, 1800, n),
            low_income=rng.uniform(0.05, 0.9, n),
            english_learners=rng.uniform(0.0, 0.45, n),
        )

    improvement = rng.normal(0, 3, (n_mentors, measures))
    improvement[rng.random((n_mentors, measures)) < 0.1] = np.nan
    load = rng.integers(0, 2, n_mentors).astype(np.int64)
    return Problem(
        mentees=side(n_mentees, 1),
        mentors=side(n_mentors, 100_000),
        measure_names=[f"Measure {k + 1}" for k in range(measures)],
        weakest=rng.integers(-1, measures, n_mentees).astype(np.int64),
        improvement=improvement,
        load=load,
        free=(2 - load).astype(np.int64),
    )
