"""Issue 11's benchmark: the learning catalog searched with filters (p95 ≤ 150 ms) and one person's
recommendations (≤ 100 ms), as the demo principal; and 50 people racing for the last 5 seats of a session
on PostgreSQL, which must end with exactly 5 of them enrolled and 45 waitlisted.

At `state` scale the database holds about 2,000 programs (300 the state's, which the demo principal sees
on top of the demo's), 20,000 sessions and 500,000 registrations (`edlead/demo/learning_state.py`, part
of `seed_demo --scale state`); the demo scale's 10 programs are the same at both scales.

`measure(scale, database_url, requests)` runs in bench/run.py's process (Django set up on the seeded
bench database) and returns page figures, measures and errors:

- `learning_catalog`: `learning:catalog` with `CATALOG_QUERY` (words, a format, a competency, only with
  sessions to come), as the demo principal.
- `learning_recommendations`: `learning:recommendations` as the demo principal. When the demo principal's
  latest ratings show no gap (a competency rated 1 or 2), a needs assessment with the gaps of `GAPS` is
  added before measuring and removed after, so recommendations are computed, not skipped; the page must
  list at least one (else an error). `learning_recommendations_call` times `recommend.recommendations`
  itself, in-process, with the same budget.
- `learning_registration_race_<scale>_enrolled` (a measure): a session of `CAPACITY` seats, all but
  `SEATS_LEFT` taken, for which `RACERS` threads — each with its own database connection, released at once
  by a barrier — register a different person with `services.register`. It must end with exactly
  `SEATS_LEFT` of them enrolled, the rest waitlisted and the session full (else an error). PostgreSQL
  only (row locks); skipped with a note on SQLite. The session and its registrations are deleted
  afterwards (the audit events of the registrations stay: the audit log is append-only).

Standalone: `DATABASE_URL=postgres://…/bench uv run --frozen python bench/learning.py [scale]`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

CATALOG_BUDGET_MS = 150  # issue 11: catalog search with filters, p95 ≤ 150 ms
RECOMMENDATIONS_BUDGET_MS = 100  # issue 11: recommendations for one person ≤ 100 ms
# "leadership" finds the state's programs of its leadership providers; the demo's Data Teams workshop
# (State Leadership Academy) matches at both scales.
CATALOG_QUERY = "?q=leadership&format=workshop&competency=data-decisions&upcoming=on"
# The demo principal's needs assessment when theirs shows no gap: these rated 1 or 2, the others 3.
GAPS = {
    "data-decisions": 1,
    "english-learners": 2,
    "inclusion": 2,
    "crisis-management": 2,
    "budget-strategy": 2,
    "cybersecurity": 1,
}
RACERS = 50
SEATS_LEFT = 5
CAPACITY = 30
RACE_TITLE = "Benchmark registration race"
WARMUP = 5


def _time_calls(call: Any, requests: int) -> tuple[list[float], list[int]]:
    """`call()` WARMUP + `requests` times: the measured ones' milliseconds and database queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings: list[float] = []
    queries: list[int] = []
    for i in range(WARMUP + requests):
        connection.queries_log.clear()  # a full log (9,000) would make the count read 0
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            elapsed = (time.perf_counter() - started) * 1000
        if i >= WARMUP:
            timings.append(elapsed)
            queries.append(len(captured.captured_queries))
    return timings, queries


def _figure(name: str, scale: str, timings: list[float], queries: list[int], budget: int) -> dict[str, Any]:
    from bench.run import percentile

    return {
        "name": name,
        "scale": scale,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "queries": max(queries),
        "budget_ms": budget,
    }


class _PageError(Exception):
    pass


def _get(client: Any, url: str, name: str, scale: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise _PageError(f"{name} ({scale}): GET {url} answered {response.status_code}")
    return response


def measure(
    scale: str, database_url: str, requests: int = 30
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """`database_url` is the database Django is already connected to (kept for the harness's shape)."""
    from django.test import Client
    from django.urls import reverse

    from edlead.access.models import User
    from edlead.demo.services import persona
    from edlead.learning import selectors
    from edlead.learning.forms import CatalogForm

    figures: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    errors: list[str] = []
    user = User.objects.filter(email=persona("principal").email).select_related("person").first()
    if user is None or user.person is None:
        return [], [], [f"learning ({scale}): no demo principal in the database; seed it first"]
    client = Client()
    client.force_login(user)

    # The catalog, searched and filtered.
    url = reverse("learning:catalog") + CATALOG_QUERY
    form = CatalogForm(dict(parse_qsl(CATALOG_QUERY.lstrip("?"))))
    found = selectors.catalog(user, form.filter()).count()
    try:
        timings, queries = _time_calls(lambda: _get(client, url, "learning_catalog", scale), requests)
        figures.append(_figure("learning_catalog", scale, timings, queries, CATALOG_BUDGET_MS))
        print(f"  learning_catalog ({scale}): {found} programs match {CATALOG_QUERY}")
    except _PageError as exc:
        errors.append(str(exc))
    except Exception as exc:  # a view that raises: report it and go on
        errors.append(f"learning_catalog ({scale}): GET {url} raised {type(exc).__name__}: {exc}")

    rec_figures, rec_errors = _measure_recommendations(scale, user, client, requests)
    figures, errors = figures + rec_figures, errors + rec_errors

    from django.db import connection

    if connection.vendor == "postgresql":
        try:
            race, race_errors = registration_race(scale)
            measures.append(race)
            errors += race_errors
        except Exception as exc:  # the race could not be set up or counted: report it
            errors.append(f"learning_registration_race ({scale}): raised {type(exc).__name__}: {exc}")
    else:
        print(f"  learning_registration_race ({scale}): skipped (row locks are PostgreSQL's)")
    return figures, measures, errors


def _measure_recommendations(
    scale: str, user: Any, client: Any, requests: int
) -> tuple[list[dict[str, Any]], list[str]]:
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.html import escape

    from edlead.learning import recommend
    from edlead.learning.models import Competency, GrowthRating, GrowthSurvey

    person = user.person
    added: GrowthSurvey | None = None
    figures: list[dict[str, Any]] = []
    errors: list[str] = []
    if not recommend.growth_profile(person.pk).gaps:
        added = GrowthSurvey.objects.create(
            person=person, rater=person, submitted_at=timezone.now() - dt.timedelta(minutes=1)
        )
        GrowthRating.objects.bulk_create(
            GrowthRating(survey=added, competency=c, score=GAPS.get(c.code, 3))
            for c in Competency.objects.all()
        )
    try:
        profile, recs = recommend.recommendations(user, person)
        url = reverse("learning:recommendations")
        if not recs:
            return [], [
                f"learning_recommendations ({scale}): no recommendation for the demo principal "
                f"({len(profile.gaps)} gaps): nothing would be measured"
            ]
        page = _get(client, url, "learning_recommendations", scale).content.decode()
        if escape(recs[0].program.title) not in page:
            return [], [
                f"learning_recommendations ({scale}): the page does not list the first recommendation "
                f"({recs[0].program.title!r})"
            ]
        print(
            f"  learning_recommendations ({scale}): {len(profile.gaps)} gaps"
            f"{' (a needs assessment added for the benchmark)' if added else ''}, {len(recs)} "
            f"recommended, first {recs[0].program.title!r}"
        )
        timings, queries = _time_calls(lambda: _get(client, url, "learning_recommendations", scale), requests)
        figures.append(
            _figure("learning_recommendations", scale, timings, queries, RECOMMENDATIONS_BUDGET_MS)
        )
        timings, queries = _time_calls(lambda: recommend.recommendations(user, person), requests)
        figures.append(
            _figure("learning_recommendations_call", scale, timings, queries, RECOMMENDATIONS_BUDGET_MS)
        )
    except _PageError as exc:
        errors.append(str(exc))
    except Exception as exc:  # a view that raises: report it and go on
        errors.append(f"learning_recommendations ({scale}): raised {type(exc).__name__}: {exc}")
    finally:
        if added is not None:
            added.delete()
    return figures, errors


def registration_race(scale: str) -> tuple[dict[str, Any], list[str]]:
    """`RACERS` threads register a different person each, at once, for the last `SEATS_LEFT` seats."""
    from django.db import connections
    from django.utils import timezone

    from edlead.learning import services
    from edlead.learning.models import Enrollment, Program, Provider, Session
    from edlead.people.models import Person

    S = Enrollment.Status
    provider = Provider.objects.order_by("pk").first() or Provider.objects.create(
        name="Benchmark provider", kind=Provider.Kind.STATE
    )
    program = Program.objects.create(
        title=RACE_TITLE, format=Program.Format.WORKSHOP, provider=provider, capacity=CAPACITY
    )
    starts = timezone.now() + dt.timedelta(days=30)
    session = Session.objects.create(
        program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    people = list(
        Person.objects.order_by("pk").values_list("pk", flat=True)[: CAPACITY - SEATS_LEFT + RACERS]
    )
    early, racer_ids = people[: CAPACITY - SEATS_LEFT], people[CAPACITY - SEATS_LEFT :]
    errors: list[str] = []
    try:
        Enrollment.objects.bulk_create(
            Enrollment(session=session, person_id=pk, status=S.ENROLLED) for pk in early
        )
        racers = list(Person.objects.filter(pk__in=racer_ids).order_by("pk"))
        barrier = threading.Barrier(len(racers) + 1)
        failures: list[str] = []
        waits: list[float] = []

        def race(person: Person) -> None:
            try:
                barrier.wait()
                started = time.perf_counter()
                services.register(actor=None, session=session, person=person)
                waits.append((time.perf_counter() - started) * 1000)
            except Exception as exc:  # reported below
                failures.append(f"{person.pk}: {exc!r}")
            finally:
                connections.close_all()  # this thread's connection

        threads = [threading.Thread(target=race, args=(p,)) for p in racers]
        for t in threads:
            t.start()
        barrier.wait()  # every racer is ready: go
        started = time.perf_counter()
        for t in threads:
            t.join()
        wall = (time.perf_counter() - started) * 1000
        got = Counter(
            Enrollment.objects.filter(session=session, person_id__in=racer_ids).values_list(
                "status", flat=True
            )
        )
        full = Enrollment.objects.filter(session=session, status=S.ENROLLED).count()
    finally:
        session.delete()
        program.delete()
    enrolled, waitlisted = got.get(S.ENROLLED, 0), got.get(S.WAITLISTED, 0)
    passed = (
        len(racers) == RACERS
        and enrolled == SEATS_LEFT
        and waitlisted == RACERS - SEATS_LEFT
        and full == CAPACITY
        and not failures
    )
    print(
        f"  learning_registration_race ({scale}): {len(racers)} racers for {SEATS_LEFT} seats: {enrolled} "
        f"enrolled, {waitlisted} waitlisted, {len(failures)} failed, session {full}/{CAPACITY} in "
        f"{wall:.0f} ms (slowest registration {max(waits, default=0):.0f} ms)"
    )
    if not passed:
        errors.append(
            f"learning_registration_race ({scale}): {len(racers)} racers for the last {SEATS_LEFT} of "
            f"{CAPACITY} seats ended with {enrolled} enrolled, {waitlisted} waitlisted, {full} seats taken "
            f"(expected {SEATS_LEFT}, {RACERS - SEATS_LEFT}, {CAPACITY})"
            + (f"; failures: {'; '.join(failures[:3])}" if failures else "")
        )
    result = {
        "name": f"learning_registration_race_{scale}_enrolled",
        "value": enrolled,
        "unit": f"of {RACERS} racers enrolled",
        "budget": SEATS_LEFT,
        "waitlisted": waitlisted,
        "failed": len(failures),
        "session_enrolled": full,
        "capacity": CAPACITY,
        "wall_ms": round(wall, 1),
        "slowest_registration_ms": round(max(waits, default=0), 1),
        "passed": passed,
    }
    return result, errors


if __name__ == "__main__":
    import json

    import django

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
    os.environ["EDLEAD_MFA_REQUIRED_ROLES"] = ""
    django.setup()
    from edlead.core.runtime import tune_gc

    tune_gc()  # as bench/run.py does (and edlead/wsgi.py for gunicorn)
    page_figures, other, problems = measure(
        sys.argv[1] if len(sys.argv) > 1 else "state",
        os.environ.get("DATABASE_URL", ""),
        int(os.environ.get("BENCH_REQUESTS", "30")),
    )
    print(json.dumps({"figures": page_figures, "measures": other, "errors": problems}, indent=2))
    sys.exit(1 if problems else 0)
