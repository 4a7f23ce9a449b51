"""URL routes: one include per app."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from edlead.core import views as core_views
from edlead.schedules import views as schedule_views

# The admin site signs in only through allauth's sign-in (with its two-factor step and throttling):
# its own password-only login form is never served. A signed-in non-staff user gets the admin's
# refusal; an anonymous one is sent to the EdLead sign-in page.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "EdLead administration"
admin.site.site_title = "EdLead administration"

urlpatterns = [
    path("", include("edlead.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("edlead.orgs.urls")),
    path("people/", include("edlead.people.urls")),
    path("access/", include("edlead.access.urls")),
    path("imports/", include("edlead.imports.urls")),
    path("performance/", include("edlead.metrics.urls")),
    path("settings/", include("edlead.config.urls")),
    path("accounts/manage/", include("edlead.accounts.urls")),
    path("sso/", include("edlead.sso.urls")),
    path("inbox/", include("edlead.notices.urls")),
    path("jobs/", include("edlead.schedules.urls")),
    path("files/", include("edlead.files.urls")),
    path("pdf/", include("edlead.reports.urls")),
    path("evaluation/", include("edlead.evaluations.urls")),
    path("evaluation/reports/", include("edlead.evaluations.urls_reports")),
    path("feedback/", include("edlead.evaluations.urls_feedback")),
    path("credentials/", include("edlead.credentials.urls")),
    path("learning/", include("edlead.learning.urls")),
    path("plans/", include("edlead.plans.urls")),
    path("support/", include("edlead.support.urls")),
    path("coaching/", include("edlead.coaching.urls")),
    path("networks/", include("edlead.networks.urls")),
    path("visits/", include("edlead.visits.urls")),
    path("pipeline/", include("edlead.pipeline.urls")),
    path("teacher-leaders/", include("edlead.teacherleaders.urls")),
    path("communications/", include("edlead.communications.urls")),
    path("library/", include("edlead.library.urls")),
    path("admin/", admin.site.urls),
    path("healthz", schedule_views.healthz, name="healthz"),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
