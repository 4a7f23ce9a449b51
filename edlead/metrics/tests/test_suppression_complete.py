"""Suppression is complete: a hidden group cannot be worked out by subtraction from the cells shown on
the page or in its export (complementary suppression), and it applies only to figures EdLead computes
from individual records — DESE's published aggregates are shown as published."""

from __future__ import annotations

import csv
import itertools
import random
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.urls import reverse

from edlead.metrics import suppression
from edlead.metrics.tests.dashboard_data import ATTENDANCE_2023, build

RACE = suppression.PARTITIONS["race"]
GENDER = suppression.PARTITIONS["gender"]
NAMES = {
    "all": "All students",
    "white": "White",
    "hispanic": "Hispanic/Latino",
    "black": "African American/Black",
    "asian": "Asian",
    "female": "Female",
    "male": "Male",
    "low_income": "Low income",
}


def _monitor(code: str = "monitor_attendance_rate") -> Any:
    return SimpleNamespace(code=code, subject="students", suppress_below=None)


def _recoverable(
    total: tuple[Decimal, int], shown: dict[str, tuple[Decimal, int]], hidden: tuple[Decimal, int]
) -> bool:
    """Can any combination of the shown members, subtracted from all students, give exactly the hidden
    group's count and value? (A percentage × its count is the number of students; subtracting those
    and the counts recovers a hidden group's percentage when the remainder is that group alone.)"""
    all_value, all_n = total
    hidden_value, hidden_n = hidden
    for size in range(len(shown) + 1):
        for combo in itertools.combinations(shown.values(), size):
            rest_n = all_n - sum(n for _v, n in combo)
            if rest_n != hidden_n or rest_n <= 0:
                continue
            rest_value = (all_value * all_n - sum(v * n for v, n in combo)) / rest_n
            if abs(rest_value - hidden_value) < Decimal("0.05"):
                return True
    return False


# --- the rule itself --------------------------------------------------------------------------------
def test_one_hidden_race_group_hides_the_next_smallest_too() -> None:
    """all = white 40 + hispanic 35 + black 20 + asian 5: Asian (5) is hidden, and so is the next
    smallest, Black (20); otherwise all − the shown groups = Asian."""
    members = {"white": 40, "hispanic": 35, "black": 20, "asian": 5}
    assert suppression.complementary_hidden(100, members, 10) == {"asian", "black"}


def test_a_small_unstored_remainder_hides_the_smaller_gender_group() -> None:
    """all 100 = female 50 + male 46 + 4 in a group EdLead does not store: all − female − male would be
    those 4 students, so the smaller shown group (male) is hidden."""
    assert suppression.complementary_hidden(100, {"female": 50, "male": 46}, 10) == {"male"}


def test_an_empty_group_does_not_protect_a_small_one() -> None:
    """Pacific Islander 0 students and Asian 5: all − the shown groups is still the 5 Asian students."""
    members = {"white": 60, "hispanic": 35, "asian": 5, "nh_pi": 0}
    assert suppression.complementary_hidden(100, members, 10) == {"asian", "nh_pi", "hispanic"}


def test_two_hidden_pieces_or_a_large_remainder_need_nothing_more() -> None:
    assert suppression.complementary_hidden(100, {"a": 45, "b": 45, "c": 5, "d": 5}, 10) == {"c", "d"}
    # 30 students outside the stored groups: all − shown is Asian plus 30 others, not Asian alone.
    assert suppression.complementary_hidden(100, {"white": 40, "hispanic": 25, "asian": 5}, 10) == {"asian"}
    assert suppression.complementary_hidden(100, {"female": 52, "male": 48}, 10) == set()
    assert suppression.complementary_hidden(8, {"female": 4, "male": 4}, 10) == {"female", "male"}


def test_hidden_groups_apply_only_to_edlead_computed_metrics() -> None:
    n_by_group = {"all": 100, "white": 40, "hispanic": 35, "black": 20, "asian": 5, "female": 50, "male": 46}
    assert suppression.hidden_groups(_monitor(), n_by_group) == {"asian", "black", "male"}
    dese = SimpleNamespace(code="mcas_ela_me_pct", subject="students", suppress_below=None)
    assert suppression.hidden_groups(dese, n_by_group) == set()
    retained = SimpleNamespace(code="principal_retained_pct", subject="staff", suppress_below=None)
    assert not suppression.is_suppressed(retained, 1)
    assert suppression.is_suppressed(_monitor(), 5) and not suppression.is_suppressed(_monitor(), 10)


# --- on the page and in the export ------------------------------------------------------------------
def _shown_in_export(client: Any, url: str) -> dict[str, tuple[Decimal, int]]:
    text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    return {
        r["Student group"]: (Decimal(r["Value"]), int(r["Count (n)"]))
        for r in rows
        if r["Metric code"] == "monitor_attendance_rate"
        and r["Level"] == "School"
        and r["School year"] == "2023-24"
    }


def test_no_hidden_group_can_be_worked_out_from_the_page_or_the_export(client: Any, world: Any) -> None:
    build(world)
    client.force_login(world.users["district_admin"])
    url = reverse("metrics:school", args=[world.orgs["S1"].pk])
    response = client.get(url)
    gap = next(g for g in response.context["data"].gaps if g.metric.code == "monitor_attendance_rate")
    on_page = {r.group.code: r.school for r in gap.rows}
    # Primary: Asian (5 students). Complementary: Black (next smallest race group) and Male (the smaller
    # gender group, since 4 students are in neither).
    assert {code for code, cell in on_page.items() if cell.value is None} == {"asian", "black", "male"}
    assert on_page["black"].note == "hidden so a smaller group cannot be worked out"
    assert on_page["white"].text == "95.0%" and on_page["female"].text == "93.0%"
    html = response.content.decode()
    assert "91.0%" not in html.split('id="gaps"')[1]  # neither Black's nor Male's 91.0%

    exported = _shown_in_export(client, url)
    by_code = {code: exported[name] for code, name in NAMES.items() if name in exported}
    assert set(by_code) == {"all", "white", "hispanic", "female", "low_income"}
    total = by_code["all"]
    facts = {code: (Decimal(v), n) for code, (v, n) in ATTENDANCE_2023.items()}
    for partition in (RACE, GENDER):
        shown = {c: by_code[c] for c in partition if c in by_code}
        for code in partition:
            if code in facts and code not in by_code:
                assert not _recoverable(total, shown, facts[code]), code
    # The worked examples recover the small group when only primary suppression is applied.
    assert _recoverable(total, {c: facts[c] for c in ("white", "hispanic", "black")}, facts["asian"])
    third = (total[0] * total[1] - facts["female"][0] * 50 - facts["male"][0] * 46) / 4
    assert _recoverable(total, {"female": facts["female"], "male": facts["male"]}, (third, 4))


def test_no_partition_ever_leaves_a_small_piece_alone_among_the_unknown() -> None:
    """Over many random partitions: every small member is hidden, and whenever a small piece (a hidden
    member or a small remainder outside the stored groups) exists, at least two pieces are unknown to a
    reader, so all − the shown members is never one small group alone."""
    rng = random.Random(7)
    limit = 10
    for _ in range(2000):
        members = {
            f"g{i}": rng.choice([rng.randint(0, 12), rng.randint(0, 80)]) for i in range(rng.randint(2, 7))
        }
        remainder = rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 40)])
        total = sum(members.values()) + remainder
        hidden = suppression.complementary_hidden(total, members, limit)
        if total < limit:
            assert hidden == set(members)
            continue
        assert {g for g, n in members.items() if n < limit} <= hidden
        small = any(0 < members[g] < limit for g in hidden) or 0 < remainder < limit
        unknown = sum(1 for g in hidden if members[g] > 0) + (1 if remainder > 0 else 0)
        if small:
            assert unknown >= 2, (members, remainder, hidden)
