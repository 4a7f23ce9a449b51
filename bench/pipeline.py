"""Issue 13's benchmark: the aspiring-leader pool page and the succession view of a district, p95 ≤ 150 ms
each with a fixed number of queries. At `state` scale the database holds 10,000 aspiring leaders across
the state-scale districts, 2,000 practicums with 100 hours-log entries each and successors for about half
of the schools (`edlead/demo/pipeline_state.py`); the pages measured are those of the district with the
largest pool (at demo scale, Riverton), as the state administrator — whose grant covers every district.

`measure(scale, database_url, requests)` runs in bench/run.py's process (Django set up on the seeded bench
database) and returns page figures and errors. Standalone:
`DATABASE_URL=postgres://…/bench uv run --frozen python bench/pipeline.py [scale]`."""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

PAGE_BUDGET_MS = 150  # issue 13: the succession view and the pool page p95 ≤ 150 ms
WARMUP = 5


def measure(scale: str, database_url: str, requests: int = 30) -> tuple[list[dict[str, Any]], list[str]]:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from edlead.access.models import User
    from edlead.demo.services import persona
    from edlead.pipeline.models import PoolEntry

    largest = (
        PoolEntry.objects.values("organization_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization_id")
        .first()
    )
    if largest is None:
        return [], [f"pipeline ({scale}): no pool entries — was the demo seeded?"]
    district_id, size = largest["organization_id"], largest["n"]
    client = Client()
    client.force_login(User.objects.get(email=persona("state_admin").email))
    figures: list[dict[str, Any]] = []
    errors: list[str] = []
    for name, url in (
        ("pipeline_pool", reverse("pipeline:pool", args=[district_id])),
        ("pipeline_succession", reverse("pipeline:succession", args=[district_id])),
    ):
        timings: list[float] = []
        queries: list[int] = []
        for i in range(WARMUP + requests):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                errors.append(f"{name} ({scale}): GET {url} answered {response.status_code}")
                break
            if i >= WARMUP:
                timings.append(elapsed)
                queries.append(len(captured.captured_queries))
        if not timings:
            continue
        ordered = sorted(timings)
        figures.append(
            {
                "name": name,
                "scale": scale,
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(ordered[max(0, -(-95 * len(ordered) // 100) - 1)], 1),
                "queries": max(queries),
                "budget_ms": PAGE_BUDGET_MS,
                "note": f"district with the largest pool: {size} aspiring leaders",
            }
        )
        if len(set(queries)) > 1:
            print(f"  note: {name} ({scale}) issued {min(queries)}-{max(queries)} queries across requests")
    return figures, errors


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    found, problems = measure(
        sys.argv[1] if len(sys.argv) > 1 else "demo", os.environ.get("DATABASE_URL", "")
    )
    for f in found:
        print(f)
    for p in problems:
        print("ERROR:", p)
