"""Uploads are parsed once (issue 7, item 9): the preview keeps what it read, parsed and validated next
to the upload, and "Apply import" starts from that instead of reading the file again. When the kept
form is missing or not EdLead's own, the apply reads the file again and still applies it.

The parser is counted by a real kind: the district directory with a counter in its `parse`, registered
for these tests under a slug of its own and chosen as the upload's kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edlead.imports import services
from edlead.imports.kinds import KINDS, register
from edlead.imports.kinds.base import Outcome, ProgressFn
from edlead.imports.kinds.directory import DistrictDirectory
from edlead.imports.models import ImportRun
from edlead.imports.parsed import Parsed, parsed_keep, parsed_load
from edlead.orgs.models import Organization

DISTRICTS = (
    "Org Name,Org Code,Org Type,Function,Contact Name,Town,Grade\r\n"
    'Alphaville,97010000,Public School District,Superintendent,Dana Alvarez,Alphaville,"K,01"\r\n'
    "Betatown,97020000,Charter District,Charter School Leader,Lee Brown,Betatown,09\r\n"
)


class CountingDistrictDirectory(DistrictDirectory):
    """The district directory, counting how often a file is parsed."""

    slug = "test-counting-district-directory"
    label = "District directory (counting its parses)"
    parses: ClassVar[int] = 0

    @classmethod
    def parse(
        cls,
        header: Sequence[str],
        rows: Iterable[tuple[int, list[str]]],
        outcome: Outcome,
        progress: ProgressFn | None = None,
        header_line: int = 1,
    ) -> list[Any]:
        CountingDistrictDirectory.parses += 1
        return super().parse(header, rows, outcome, progress, header_line)


@pytest.fixture
def counting_kind() -> Iterator[type[CountingDistrictDirectory]]:
    before = dict(KINDS)
    CountingDistrictDirectory.parses = 0
    register(CountingDistrictDirectory)
    try:
        yield CountingDistrictDirectory
    finally:
        KINDS.clear()
        KINDS.update(before)


def _preview(client: Any, users: dict[str, Any]) -> ImportRun:
    client.force_login(users["state_admin"])
    response = client.post(
        reverse("imports:run-create"),
        {
            "file": SimpleUploadedFile("2024-25 districts.csv", DISTRICTS.encode()),
            "kind": CountingDistrictDirectory.slug,
            "school_year": "",
        },
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PREVIEWED and run.created_count == 6
    return run


def _kept(run: ImportRun) -> Path:
    return Path(f"{run.stored_file.path}.parsed")


@pytest.mark.django_db
def test_apply_uses_the_previews_parse_and_does_not_parse_again(
    client: Any, users: dict[str, Any], counting_kind: Any
) -> None:
    run = _preview(client, users)
    assert counting_kind.parses == 1
    kept = _kept(run)
    assert kept.exists()
    assert not Organization.objects.filter(code="97010000").exists()  # the preview wrote nothing

    response = client.post(reverse("imports:run-apply", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert counting_kind.parses == 1  # applied from the kept parse, not from the file
    assert run.status == ImportRun.Status.APPLIED and run.created_count == 6
    assert Organization.objects.get(code="97010000").name == "Alphaville"
    assert run.school_year == "2024-25" and run.rows_total == 2
    assert not kept.exists() and not run.stored_file  # neither the upload nor its parse lingers


@pytest.mark.django_db
def test_apply_parses_the_file_again_when_the_kept_parse_is_missing(
    client: Any, users: dict[str, Any], counting_kind: Any
) -> None:
    run = _preview(client, users)
    _kept(run).unlink()
    client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert counting_kind.parses == 2
    assert run.status == ImportRun.Status.APPLIED and run.created_count == 6
    assert Organization.objects.filter(code__in=["97010000", "97020000"]).count() == 2


@pytest.mark.django_db
def test_a_kept_parse_that_is_not_edleads_own_is_never_loaded(
    client: Any, users: dict[str, Any], counting_kind: Any
) -> None:
    """The kept form is a pickle: it is loaded only with a valid signature, so a file put in its place
    (or changed on disk) is read as missing and the upload is parsed again."""
    run = _preview(client, users)
    kept = _kept(run)
    blob = bytearray(kept.read_bytes())
    blob[-1] ^= 0xFF
    kept.write_bytes(bytes(blob))
    assert parsed_load(run) is None

    client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert counting_kind.parses == 2 and run.status == ImportRun.Status.APPLIED


@pytest.mark.django_db
def test_the_kept_parse_gives_the_same_outcome_as_reading_the_file(
    users: dict[str, Any], tmp_path: Path
) -> None:
    """What a preview keeps plans exactly like a fresh reading: same counts, notes and changes."""
    path = tmp_path / "2024-25 districts.csv"
    path.write_text(DISTRICTS)
    outcome, parsed = services.file_parse(path=path, name=path.name)
    assert parsed is not None
    rows = parsed.kind.parsed_load(parsed.kind.parsed_dump(parsed.rows))
    assert rows == parsed.rows and [type(r) for r in rows] == [type(r) for r in parsed.rows]
    fresh = services.import_file(path=path, dry_run=True)
    again = services.import_file(
        path=tmp_path / "absent.csv",  # never opened
        name=path.name,
        dry_run=True,
        parsed=(outcome, services.Parsed(parsed.kind, rows, parsed.title, parsed.year)),
    )
    assert again.report() == fresh.report()
    assert again.counts_line() == fresh.counts_line()


@pytest.mark.django_db
def test_a_kept_parse_that_no_longer_fits_its_kind_is_read_again(
    client: Any, users: dict[str, Any], counting_kind: Any
) -> None:
    """Rows kept by an earlier version of EdLead (another number of columns) are not trusted."""
    run = _preview(client, users)
    kept_outcome, parsed = parsed_load(run) or (None, None)
    assert kept_outcome is not None and parsed is not None
    parsed_keep(run, kept_outcome, Parsed(parsed.kind, [(2, "Alphaville")], parsed.title, parsed.year))
    assert parsed_load(run) is None

    client.post(reverse("imports:run-apply", args=[run.pk]))
    run.refresh_from_db()
    assert counting_kind.parses == 2 and run.status == ImportRun.Status.APPLIED
