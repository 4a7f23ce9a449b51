"""Issue 8's PDF benchmark: a school performance page as PDF ≤ 5 s at state scale; issue 12's: a network's
monthly report — generated as the schedule does it, and downloaded as PDF — ≤ 5 s each for the network
with the most schools (at least 15 at state scale).

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
    figures = [
        {
            "name": "school_performance_pdf",
            "scale": scale,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 95), 1),
            "queries": max(queries),
            "budget_ms": PDF_BUDGET_MS,
        }
    ]
    report_figures, errors = measure_network_report(scale)
    return figures + report_figures, errors


def _timed(run: Any, requests: int) -> tuple[list[float], list[int], Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings: list[float] = []
    queries: list[int] = []
    result = None
    for i in range(WARMUP + requests):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = run()
            elapsed = (time.perf_counter() - started) * 1000
        if i >= WARMUP:
            timings.append(elapsed)
            queries.append(len(captured.captured_queries))
    return timings, queries, result


def measure_network_report(scale: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The network with the most open schools whose supervisor is on record: its last month's report
    generated as the schedule does it (as the supervisor: an account is made for them in the bench
    database if they have none), then downloaded as PDF by the supervisor."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.test import Client, override_settings
    from django.urls import reverse

    from bench.run import percentile
    from edlead.access.models import User
    from edlead.networks import reports
    from edlead.orgs.models import Organization
    from edlead.people.models import Position

    supervised = (
        Position.objects.current().filter(role=Position.Role.PRINCIPAL_SUPERVISOR).values("organization_id")
    )
    network = (
        Organization.objects.networks()
        .filter(pk__in=supervised)
        .annotate(n=Count("children", filter=Q(children__kind=Organization.Kind.SCHOOL)))
        .order_by("-n", "pk")
        .first()
    )
    if network is None:
        return [], [f"network_report ({scale}): no network with a supervisor on record: seed first"]
    today = dt.date.today()
    start, end = reports.month_of(today.replace(day=1) - dt.timedelta(days=1))
    supervisor = reports.supervisor_of(network, end)
    assert supervisor is not None
    user = User.objects.filter(person=supervisor).first() or User.objects.create(
        email=f"bench-supervisor-{supervisor.pk}@bench.edlead.org", person=supervisor
    )
    generate_ms, generate_q, report = _timed(
        lambda: reports.report_generate(actor=None, network=network, kind="monthly", start=start, end=end), 3
    )
    client = Client()
    client.force_login(user)
    url = reverse("networks:report-pdf", args=[report.pk])
    with override_settings(EDLEAD_MFA_REQUIRED_ROLES=[]):
        pdf_ms, pdf_q, response = _timed(lambda: client.get(url), REQUESTS)
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        return [], [f"network_report_pdf ({scale}): GET {url} answered {response.status_code}"]
    schools = report.content["schools"]
    return [
        {
            "name": f"network_report_generate ({schools} schools)",
            "scale": scale,
            "median_ms": round(statistics.median(generate_ms), 1),
            "p95_ms": round(percentile(generate_ms, 95), 1),
            "queries": max(generate_q),
            "budget_ms": PDF_BUDGET_MS,
        },
        {
            "name": f"network_report_pdf ({schools} schools)",
            "scale": scale,
            "median_ms": round(statistics.median(pdf_ms), 1),
            "p95_ms": round(percentile(pdf_ms, 95), 1),
            "queries": max(pdf_q),
            "budget_ms": PDF_BUDGET_MS,
        },
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
