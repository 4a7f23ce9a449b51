"""The bulk writer of facts: set-based comparison with what is stored, then one insert stream and one
update stream. `COPY` on PostgreSQL, `executemany` on SQLite. No model instance per value."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction

from edlead.metrics.models import Fact


class FactRow(NamedTuple):
    organization_id: int
    school_year: int
    period: str
    metric_id: int
    group_id: int
    value: Decimal | None
    n: int | None
    note: str = ""  # why there is no value, as the source said it (`*`, `<10`, `N/A`)


@dataclass
class FactCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


FactKey = tuple[int, int, str, int, int]  # organization, year, period, metric, group

_TABLE = Fact._meta.db_table
_COLUMNS = ("organization_id", "school_year", "period", "metric_id", "group_id", "value", "n", "note")
# Rows written per transaction when the caller is not inside one (a worker's import): each commit lets
# other writers in (SQLite has one write lock), so sign-ins and pages keep answering during a big import.
CHUNK_ROWS = 20_000


def _norm(value: Decimal | None) -> Decimal | None:
    # Stored with 4 decimals: compare on the same footing so a re-import is "unchanged".
    return None if value is None else value.quantize(Decimal("0.0001"))


def _in(column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` among `values`: one array parameter on PostgreSQL (psycopg splits a query of a thousand
    placeholders in Python, slowly), an IN list on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _stored_where(keys: Collection[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """The WHERE clause that finds the stored facts keys (organization, year, period, metric, group…) may
    meet: by metric and year, and by organization when they are few."""
    org_ids = {k[0] for k in keys}
    years = {k[1] for k in keys}
    metric_ids = {k[3] for k in keys}
    parts = [_in("metric_id", sorted(metric_ids)), _in("school_year", sorted(years))]
    if len(org_ids) < 500:
        parts.append(_in("organization_id", sorted(org_ids)))
    return " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def _select(sql: str, params: list[Any]) -> Iterable[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20_000):
            yield from batch


def _stored(rows: Sequence[FactRow]) -> Iterable[tuple[Any, ...]]:
    """(id, organization, year, period, metric, group, value, n, note) of the stored facts these rows may
    meet: one plain query read with the database driver (no ORM conversion per value: a million stored
    facts are compared on a re-import)."""
    where, params = _stored_where(rows)
    return _select(
        "SELECT id, organization_id, school_year, period, metric_id, group_id, value, n, note "  # noqa: S608
        f"FROM {_TABLE} WHERE {where}",
        params,
    )


def facts_plan(rows: Sequence[FactRow]) -> tuple[list[FactRow], list[tuple[int, FactRow]], int]:
    """Split rows into (to insert, to update as (id, row), unchanged count) against the database. Values
    compare as numbers (PostgreSQL returns the stored Decimal, SQLite its number), so a re-import of the
    same file is "unchanged" whatever the number of decimals written. Rows may be plain tuples in
    FactRow's order (the bulk importers build them so: cheaper than a named tuple per value)."""
    if not rows:
        return [], [], 0
    existing: dict[FactKey, tuple[int, Any, int | None, str]] = {}
    for pk, org, year, period, metric, group, value, n, note in _stored(rows):
        existing[(org, year, period, metric, group)] = (pk, value, n, note)
    if not existing:  # a first import of these metrics and years: every row is new
        return list(rows), [], 0
    inserts: list[FactRow] = []
    updates: list[tuple[int, FactRow]] = []
    unchanged = 0
    normalized: dict[Any, Any] = {}  # the same values repeat across a file: round each once
    for row in rows:
        found = existing.get(row[:5])  # FactRow starts with the FactKey fields
        if found is None:
            inserts.append(row)  # the database keeps 4 decimals; no need to round here
            continue
        written = row[5]
        value = normalized.get(written)
        if value is None and written is not None:
            value = normalized[written] = _norm(written)
        if _same(found[1], value, written) and found[2] == row[6] and found[3] == row[7]:
            unchanged += 1
        else:
            updates.append((found[0], FactRow(*row[:5], value, row[6], row[7])))
    return inserts, updates, unchanged


def _same(stored: Any, value: Decimal | None, written: Decimal | None) -> bool:
    """Whether a stored value equals a row's (`value` rounded to 4 places, `written` as read)."""
    if stored is None or value is None:
        return stored is None and value is None
    if isinstance(stored, Decimal):
        return stored == value
    # SQLite keeps a decimal as an integer or a double, as it was written (rounded or not).
    return float(stored) == float(value) or (written is not None and float(stored) == float(written))


def _chunks(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        yield rows[start : start + CHUNK_ROWS]


def facts_existing_ids(keys: Sequence[FactKey]) -> list[int]:
    """Ids of stored facts with these keys (organization, year, period, metric, group)."""
    if not keys:
        return []
    wanted = set(keys)
    where, params = _stored_where(wanted)
    found = _select(
        f"SELECT id, organization_id, school_year, period, metric_id, group_id FROM {_TABLE} WHERE {where}",  # noqa: S608
        params,
    )
    return [pk for pk, *key in found if tuple(key) in wanted]


def _insert(rows: list[FactRow]) -> None:
    if not rows:
        return
    for chunk in _chunks(rows):
        with transaction.atomic():  # its own commit outside a transaction, a savepoint inside one
            _commit_without_waiting()
            _insert_chunk(chunk)


def _commit_without_waiting() -> None:
    """On PostgreSQL, let this transaction's commit return before its record reaches the disk: a bulk load
    commits a chunk every few thousand rows, and waiting for each flush adds up. A crash in the next
    fraction of a second may lose the last chunks (applying again writes them), never corrupt anything.
    Inside an outer transaction it applies to that one, which is as safe."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _insert_chunk(rows: Sequence[FactRow]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {_TABLE} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                copy.write(_copy_text(rows))
        else:
            # A page cache big enough for the fact indexes (SQLite's default is 2 MB): a million random
            # index insertions otherwise thrash it. With it, rows go in file order: sorting them by the
            # unique key first cost more (a second and a half for the DESE folder) than it saved.
            cursor.execute("PRAGMA cache_size = -262144")
            cursor.execute("PRAGMA wal_autocheckpoint = 100000")
            placeholders = ", ".join(["%s"] * len(_COLUMNS))
            # FactRows are the parameters as they are (Django's SQLite backend adapts Decimal to text).
            cursor.executemany(
                f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_text(rows: Sequence[FactRow]) -> str:
    """Rows in COPY's text format, built in one pass (psycopg's `write_row` formats value by value in
    Python: several times slower for a million facts). Text fields are escaped; None is `\\N`. An empty
    period or note (most of them) needs no escaping, so no lookup."""
    escaped: dict[str, str] = {}
    lines: list[str] = []
    add = lines.append
    null = _NULL
    for org, year, period, metric, group, value, n, note in rows:
        if period:
            p = escaped.get(period)
            if p is None:
                p = escaped[period] = period.translate(_COPY_ESCAPES)
            period = p
        if note:
            t = escaped.get(note)
            if t is None:
                t = escaped[note] = note.translate(_COPY_ESCAPES)
            note = t
        add(
            f"{org}\t{year}\t{period}\t{metric}\t{group}\t{null if value is None else value}\t"
            f"{null if n is None else n}\t{note}\n"
        )
    return "".join(lines)


def _update(rows: list[tuple[int, FactRow]]) -> None:
    for chunk in _chunks(rows):
        with transaction.atomic(), connection.cursor() as cursor:
            _commit_without_waiting()
            cursor.executemany(
                f"UPDATE {_TABLE} SET value = %s, n = %s, note = %s WHERE id = %s",  # noqa: S608
                [(None if r[5] is None else str(r[5]), r[6], r[7], pk) for pk, r in chunk],
            )


def _delete(ids: Sequence[int]) -> None:
    for chunk in _chunks(list(ids)):
        with transaction.atomic():
            Fact.objects.filter(pk__in=chunk).delete()


def facts_apply(
    inserts: list[FactRow], updates: list[tuple[int, FactRow]], deletes: Sequence[int] = ()
) -> None:
    """Write what `facts_plan` decided (for importers that plan before they write). Outside a
    transaction each chunk of rows commits on its own: a crash part-way leaves some of the file written,
    and applying it again writes the rest (the plan compares with what is stored, so nothing doubles)."""
    _delete(deletes)
    _insert(inserts)
    _update(updates)


@transaction.atomic
def facts_upsert(rows: Iterable[FactRow], *, dry_run: bool = False) -> FactCounts:
    """Write facts by natural key (organization, year, period, metric, group). Re-writing the same
    values changes nothing. The caller has already refused files with conflicting duplicates."""
    materialized = list(rows)
    inserts, updates, unchanged = facts_plan(materialized)
    if not dry_run:
        facts_apply(inserts, updates)
    return FactCounts(created=len(inserts), updated=len(updates), unchanged=unchanged)
