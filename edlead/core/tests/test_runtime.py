"""The serving process's garbage-collector tuning (edlead/core/runtime.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from edlead.core import runtime


@pytest.fixture
def collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, runtime.DEFAULT_THRESHOLD),
        ("", runtime.DEFAULT_THRESHOLD),
        ("off", None),
        (" OFF ", None),
        ("10000,10,10", (10000, 10, 10)),
        ("10000,10", runtime.DEFAULT_THRESHOLD),
        ("a,b,c", runtime.DEFAULT_THRESHOLD),
        ("0,10,10", runtime.DEFAULT_THRESHOLD),
    ],
)
def test_the_threshold_is_read_from_the_environment(raw: str | None, expected: object) -> None:
    assert runtime.threshold_from_env(raw) == expected


def test_tuning_freezes_start_up_and_sets_the_thresholds(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDLEAD_GC_THRESHOLD", "6000,15,25")
    assert runtime.tune_gc() == (6000, 15, 25)
    assert gc.get_threshold() == (6000, 15, 25)
    assert gc.get_freeze_count() > 0


def test_off_leaves_the_collector_alone(collector: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDLEAD_GC_THRESHOLD", "off")
    before = gc.get_threshold()
    assert runtime.tune_gc() is None
    assert gc.get_threshold() == before
