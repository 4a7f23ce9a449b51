"""Issue 8's PDF benchmark: a school performance page as PDF ≤ 5 s at state scale.

`measure(scale, database_url)` times `reports:school-performance` (every measure of a Riverton school,
as the district administrator) on an already seeded database (`seed_demo` and `seed_metrics`), with
Django already set up on that database; `bench/run.py` calls it. Standalone:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench uv run --frozen python bench/reports.py state
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

PDF_BUDGET_MS = 5000  # issue 8: a school performance PDF ≤ 5 s
WARMUP = 1  # the first PDF of a process also loads fonts
REQUESTS = int(os.environ.get("BENCH_PDF_REQUESTS", "7"))


def measure(scale: str, database_url: str) -> tuple[list[dict[str, Any]], list[str]]:
    """One figure, `school_performance_pdf`; errors as text (a PDF that does not answer 200)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.run import percentile
    from edlead.access.models import User
    from edlead.demo.demo import RIVERTON_CODE
    from edlead.demo.services import persona
    from edlead.orgs.models import Organization

    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    school = Organization.objects.schools().filter(district=riverton).order_by("name").first()
    if school is None:
        return [], [f"school_performance_pdf ({scale}): no Riverton school in {database_url}: seed first"]
    url = reverse("reports:school-performance", args=[school.pk])
    client = Client()
    client.force_login(User.objects.get(email=persona("district_admin").email))
    timings: list[float] = []
    queries: list[int] = []
    # The PDF is measured, not the two-factor set-up page a district administrator without it is sent to.
    with override_settings(EDLEAD_MFA_REQUIRED_ROLES=[]):
        for i in range(WARMUP + REQUESTS):
            connection.queries_log.clear()  # a full log (9,000) would make the count read 0
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200 or response["Content-Type"] != "application/pdf":
                return [], [f"school_performance_pdf ({scale}): GET {url} answered {response.status_code}"]
            if i >= WARMUP:
                timings.append(elapsed)
                queries.append(len(captured.captured_queries))
    return [
        {
            "name": "school_performance_pdf",
            "scale": scale,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 95), 1),
            "queries": max(queries),
            "budget_ms": PDF_BUDGET_MS,
        }
    ], []


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
    import django

    django.setup()
    figures, errors = measure(
        sys.argv[1] if len(sys.argv) > 1 else "state", os.environ.get("DATABASE_URL", "")
    )
    for figure in figures:
        print(figure)
    for error in errors:
        print("ERROR", error, file=sys.stderr)
    sys.exit(1 if errors else 0)
