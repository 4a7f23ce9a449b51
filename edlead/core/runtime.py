"""How a serving process tunes Python's garbage collector, once the application is loaded.

A page that builds a few thousand model instances (licence compliance, a posting's candidates) paid for
full collections walking every object Django and the app hold since start-up: the slowest 5 % of
requests took half as long again as the median. `tune_gc()` moves what start-up made into the permanent
generation (`gc.freeze()`, never scanned again) and collects the young generation less often.

Called by `edlead/wsgi.py` and `edlead/asgi.py` (gunicorn, `make serve`) and by `bench/run.py`, which
measures the application as it is served. `EDLEAD_GC_THRESHOLD` ("gen0,gen1,gen2"; default 5000,20,20;
"off" leaves the collector as Python sets it)."""

from __future__ import annotations

import gc
import os

DEFAULT_THRESHOLD = (5000, 20, 20)


def threshold_from_env(raw: str | None) -> tuple[int, int, int] | None:
    """The thresholds set in the environment; None for "off"; the default when unset or unreadable."""
    text = (raw or "").strip().lower()
    if text == "off":
        return None
    try:
        parts = tuple(int(p) for p in text.split(","))
    except ValueError:
        return DEFAULT_THRESHOLD
    if len(parts) != 3 or min(parts) < 1:
        return DEFAULT_THRESHOLD
    return parts  # type: ignore[return-value]


def tune_gc() -> tuple[int, int, int] | None:
    """Freeze what start-up allocated and set the collection thresholds; returns the thresholds set."""
    threshold = threshold_from_env(os.environ.get("EDLEAD_GC_THRESHOLD"))
    if threshold is None:
        return None
    gc.collect()
    gc.freeze()
    gc.set_threshold(*threshold)
    return threshold
