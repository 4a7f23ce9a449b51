"""A page as PDF, from the page's own template (WeasyPrint).

    from edlead.reports.pdf import render_pdf

    @login_required
    def evaluation_pdf(request, pk):
        evaluation = policy.get_for_user(request.user, Evaluation.objects.all(), policy.EVALUATION_VIEW, pk=pk)
        return render_pdf(request, "evaluations/evaluation_detail.html", _detail_context(request, evaluation),
                          filename=f"evaluation-{pk}.pdf", source="EdLead evaluation record",
                          title=str(evaluation), audit_target=evaluation.educator)

The template is rendered with `pdf=True` (base.html then leaves out navigation, scripts and the site
footer, and adds static/reports/print.css), plus `pdf_source`, `pdf_title` and `pdf_generated` for
the running header and footer ("Page X of Y" comes from CSS counters). Static files are read from disk
by the URL fetcher; nothing else is fetched — never the network. The response is a download
(`Content-Disposition: attachment`), audited once as an export by `render_pdf` itself (so that it can
name the record it is about), never again by ExportAuditMiddleware.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import tinycss2
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from weasyprint.urls import URLFetcher, URLFetcherResponse

from edlead.core.models import AuditEvent
from edlead.core.services import audit_record

PDF_BASE_URL = "http://edlead.invalid/"  # relative URLs resolve here; only its static files are served
# WeasyPrint styles an inline <svg> only from a <style> inside it, never from the page's stylesheets:
# these (the charts' strokes and fills) are put into each one.
SVG_STYLESHEETS = ("edlead/edlead.css",)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


def find_static(relative: str) -> Path | None:
    """A static file on disk, found as `collectstatic` would find it; None outside the static dirs."""
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if isinstance(found, list):  # the find(all=True) shape; not asked for, but typed so
        found = found[0] if found else None
    return Path(found) if found else None


def static_path(url: str) -> Path | None:
    """The file on disk behind a static URL of a page, else None."""
    parts = urlsplit(url)
    base = urlsplit(PDF_BASE_URL)
    static_url = str(settings.STATIC_URL)
    if parts.scheme != base.scheme or parts.netloc != base.netloc or not parts.path.startswith(static_url):
        return None
    return find_static(unquote(parts.path[len(static_url) :]))


SVG_PROPERTIES = frozenset(
    {"fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "opacity", "fill-opacity"}
)


@functools.cache
def _svg_css(paths: tuple[Path, ...], mtimes: tuple[float, ...]) -> str:
    """The rules of `paths` that paint SVG (fill, stroke…): parsed once per file version, since each
    inline SVG parses its own copy."""
    kept = []
    for path in paths:
        for rule in tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True):
            if rule.type != "qualified-rule":
                continue
            names = {
                d.lower_name for d in tinycss2.parse_blocks_contents(rule.content) if d.type == "declaration"
            }
            if names & SVG_PROPERTIES:
                kept.append(rule.serialize())
    return "".join(kept)


def with_svg_styles(html: str) -> str:
    paths = tuple(p for p in map(find_static, SVG_STYLESHEETS) if p)
    css = _svg_css(paths, tuple(p.stat().st_mtime for p in paths))
    style = f"<style>{css}</style>"
    return _SVG_OPEN.sub(lambda m: m.group(1) + style, html)


class StaticFilesFetcher(URLFetcher):
    """Serves the page's static files from disk and `data:` URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"http", "data"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"Only static files are fetched for a PDF, not {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def render_pdf(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    filename: str,
    source: str,
    title: str = "",
    audit_target: models.Model | None = None,
    audit_scope: Iterable[str] | None = None,
    confidential: bool = False,
) -> HttpResponse:
    """`template_name` rendered with `context` as a PDF download named `filename`. `source` names the
    data the page shows (in the footer); `title` heads every page and labels the audit event. The
    export is audited once, here: about `audit_target` (a person's record: it then shows in their
    "who has seen my record"), in the district(s) of `audit_scope` (organization paths; by default the
    target's, else the user's). `confidential` marks the footer of personnel records."""
    html = render_to_string(
        template_name,
        {
            **context,
            "pdf": True,
            "pdf_source": source,
            "pdf_title": title,
            "pdf_generated": timezone.localtime(),
            "pdf_confidential": confidential,
        },
        request=request,
    )
    document = weasyprint.HTML(
        string=with_svg_styles(html), base_url=PDF_BASE_URL, url_fetcher=StaticFilesFetcher()
    )
    data = document.write_pdf()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    patch_cache_control(response, no_store=True, private=True)
    audit_record(
        action=AuditEvent.Action.EXPORTED,
        actor=request.user,
        target=audit_target,
        target_label=f"{title or filename} (PDF)",
        request=request,
        detail={"format": "pdf", "file": filename, "source": source},
        scope=audit_scope,
    )
    response.audit_done = True  # type: ignore[attr-defined]  # not again by ExportAuditMiddleware
    return response
