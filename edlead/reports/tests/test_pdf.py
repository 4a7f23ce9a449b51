"""PDFs of a school's performance page and of a person's record: the page's own figures, the footer's
source, date and page numbers, access exactly as the page's, audited once as an export."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from edlead.access.models import RoleGrant
from edlead.core.models import AuditEvent
from edlead.metrics.tests.dashboard_data import build
from edlead.reports.pdf import StaticFilesFetcher, static_path, with_svg_styles
from edlead.testing import make_user

G = RoleGrant.Role


def pdf_text(response: Any) -> tuple[str, int]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_school_pdf_shows_the_page_figures_source_and_page_numbers(client: Any, world: Any) -> None:
    build(world)
    school = world.orgs["S1"]
    user = world.users["principal_supervisor"]
    client.force_login(user)
    page = client.get(reverse("metrics:school", args=[school.pk]))
    response = client.get(reverse("reports:school-performance", args=[school.pk]))
    text, pages = pdf_text(response)
    flat = squash(text)
    assert "Oak Elementary: school performance" in flat
    for block in page.context["data"].key:  # every key figure of the page, the same text in the PDF
        assert block.metric.name in flat
        for row in block.rows:
            assert row.label in flat
            for cell in (row.school, row.district, row.state):
                assert cell.text in flat
    latest = page.context["data"].key[0].rows[0]
    assert (latest.school.text, latest.district.text) == ("13.5%", "16.0%")
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert "Source:" in flat and "Generated" in flat
    assert "Download PDF" not in flat and "Export figures" not in flat  # screen-only parts left out
    assert response["Content-Disposition"] == 'attachment; filename="99100010-performance.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_school_pdf_is_audited_once_as_an_export_in_the_school_scope(client: Any, world: Any) -> None:
    build(world)
    school = world.orgs["S1"]
    client.force_login(world.users["principal_supervisor"])
    before = AuditEvent.objects.count()
    client.get(reverse("reports:school-performance", args=[school.pk]))
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == [AuditEvent.Action.EXPORTED]
    assert events[0].target_label == "Oak Elementary: school performance (PDF)"
    assert events[0].scope == f"|{school.path}|"


def test_school_pdf_of_another_district_is_404(client: Any, world: Any) -> None:
    build(world)
    outsider = make_user(grants=[(G.DISTRICT_ADMIN, world.orgs["B"])], password=None)
    client.force_login(outsider)
    assert client.get(reverse("metrics:school", args=[world.orgs["S1"].pk])).status_code == 404
    assert client.get(reverse("reports:school-performance", args=[world.orgs["S1"].pk])).status_code == 404
    assert client.get(reverse("reports:school-performance", args=[999999])).status_code == 404


def test_school_pdf_needs_sign_in(client: Any, world: Any) -> None:
    response = client.get(reverse("reports:school-performance", args=[world.orgs["S1"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_person_pdf_shows_the_record_with_personnel_details_for_hr(client: Any, world: Any) -> None:
    person = world.people["P1"]
    person.mepid = "12345678"
    person.save()
    client.force_login(world.users["hr"])
    before = AuditEvent.objects.count()
    text, pages = pdf_text(client.get(reverse("reports:person", args=[person.pk])))
    flat = squash(text)
    assert "Pat Principal-One" in flat and "Oak Elementary" in flat
    assert "12345678" in flat and "Confidential personnel record" in flat
    # The outcomes of the schools led, which the page loads afterwards, are in the PDF itself.
    assert squash("Outcomes over each tenure") in flat
    assert f"Page 1 of {pages}" in flat
    events = list(AuditEvent.objects.order_by("pk")[before:])
    # The personnel details read (as on the page) and the export: one each, both about the person, so
    # both show in their "who has seen my record".
    assert sorted(e.action for e in events) == sorted(
        [AuditEvent.Action.RECORD_VIEWED, AuditEvent.Action.EXPORTED]
    )
    assert {e.subject_person_id for e in events} == {person.pk}
    export = next(e for e in events if e.action == AuditEvent.Action.EXPORTED)
    assert export.target_label == "Pat Principal-One: leader record (PDF)"
    assert export.scope == f"|{world.orgs['S1'].path}|" and export.detail["file"] == f"person-{person.pk}.pdf"


def test_person_pdf_leaves_out_personnel_details_for_those_the_page_hides_them_from(
    client: Any, world: Any
) -> None:
    person = world.people["P1"]
    person.mepid = "12345678"
    person.save()
    client.force_login(world.users["coach"])  # sees the record, not the personnel details
    flat = squash(pdf_text(client.get(reverse("reports:person", args=[person.pk])))[0])
    assert "Pat Principal-One" in flat and "12345678" not in flat and "Confidential" not in flat


@pytest.mark.parametrize("who", ["educator", "no_role"])
def test_person_pdf_is_404_where_the_page_shows_at_most_a_card(client: Any, world: Any, who: str) -> None:
    client.force_login(world.users[who])
    assert client.get(reverse("reports:person", args=[world.people["P1"].pk])).status_code == 404


def test_person_pdf_of_another_district_is_404(client: Any, world: Any) -> None:
    client.force_login(make_user(grants=[(G.HR, world.orgs["B"])], password=None))
    assert client.get(reverse("reports:person", args=[world.people["P1"].pk])).status_code == 404


def test_fetcher_serves_static_files_from_disk_and_nothing_else() -> None:
    fetcher = StaticFilesFetcher()
    css = fetcher.fetch("http://edlead.invalid/static/reports/print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert static_path("http://edlead.invalid/static/../settings.py") is None
    for url in (
        "http://example.org/static/reports/print.css",
        "file:///etc/passwd",
        "http://edlead.invalid/admin/",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_inline_svg_gets_the_chart_paint_rules_weasyprint_would_not_apply_otherwise() -> None:
    html = with_svg_styles('<p>x</p><svg class="edlead-chart__svg" viewBox="0 0 10 10"><polyline/></svg>')
    style = html.split('viewBox="0 0 10 10">', 1)[1].split("</style>", 1)[0]
    assert style.startswith("<style>") and ".edlead-series-0 { stroke: #005ea2;" in style
    assert ".edlead-main" not in style  # only rules that paint SVG
