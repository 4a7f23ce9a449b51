"""HR attaches a document to a principal's record and downloads it; a supervisor opens a school's
performance page as PDF and its text matches the page. Axe clean, no CSP violation; screenshots in
e2e/artifacts/files-*.png and the PDF's first page drawn by pdftoppm (e2e/artifacts/files-school-pdf-1.png)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.helpers import ARTIFACTS, base_url, check_axe, screenshot, sign_in
from edlead.access.models import RoleGrant
from edlead.core.models import AuditEvent
from edlead.files.services import DOWNLOADED
from edlead.files.tests import samples
from edlead.metrics.tests.dashboard_data import build
from edlead.testing import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def attachments_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
    }
    settings.EDLEAD_MFA_REQUIRED_ROLES = []  # two-factor sign-in is tested on its own
    return tmp_path / "attachments"


def test_hr_attaches_and_downloads_then_a_school_page_opens_as_pdf(
    page: Page, live_server: Any, world: Any, attachments_tmp: Path, csp_violations: list[str]
) -> None:
    build(world)
    hr = make_user(email="hr.files@example.org", grants=[(RoleGrant.Role.HR, world.orgs["A"])])
    person = world.people["P1"]
    sign_in(page, live_server, hr.email)

    page.goto(f"{base_url(live_server)}{person.get_absolute_url()}")
    panel = page.locator("#attachments")
    expect(panel.get_by_role("heading", name="Documents")).to_be_visible()
    panel.locator("input[type=file]").set_input_files(
        {"name": "Offer letter.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}
    )
    restricted = panel.get_by_label("Restricted: record every download in the audit log")
    expect(restricted).to_be_checked()  # a person's documents are restricted unless HR says not
    restricted.check()
    panel.get_by_role("button", name="Attach the file").click()
    expect(page.get_by_role("status")).to_contain_text("Attached “Offer letter.pdf”.")
    link = panel.get_by_role("link", name="Offer letter.pdf")
    expect(link).to_be_visible()
    expect(panel.locator(".edlead-badge")).to_have_text("Restricted")
    check_axe(page)
    screenshot(page, "files-person-attachment")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Offer letter.pdf"
    assert Path(download.path()).read_bytes() == samples.PDF
    downloaded = AuditEvent.objects.get(action=DOWNLOADED)
    assert downloaded.actor == hr and downloaded.target_id == str(person.pk)

    # An executable renamed .pdf comes back with the reason, and nothing is listed.
    panel.locator("input[type=file]").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": samples.MZ}
    )
    panel.get_by_role("button", name="Attach the file").click()
    expect(page.get_by_role("alert")).to_contain_text("is a Windows program, not a PDF document")
    expect(panel.get_by_role("link", name="invoice.pdf")).to_have_count(0)
    check_axe(page)

    # The school's performance page and its PDF.
    page.goto(f"{base_url(live_server)}/performance/schools/{world.orgs['S1'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oak Elementary: school performance")
    pdf_link = page.get_by_role("link", name="Download PDF")
    figures = page.locator("table.edlead-figures").first.locator("tbody td").all_inner_texts()
    check_axe(page)
    screenshot(page, "files-school-page")
    response = page.request.get(f"{base_url(live_server)}{pdf_link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    data = response.body()
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "Oak Elementary: school performance" in text and "Page 1 of" in text
    assert figures and all(cell.strip().split("\n")[0] in text for cell in figures)
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf_path = ARTIFACTS / "files-school.pdf"
        pdf_path.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf_path),
                str(ARTIFACTS / "files-school-pdf"),
            ],
            check=True,
        )
    assert not csp_violations
