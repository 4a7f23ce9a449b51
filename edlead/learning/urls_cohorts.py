"""Routes of the learning app's cohorts and think tanks (added to edlead/learning/urls.py)."""

from django.urls import URLPattern, path

from edlead.learning import views_cohorts as v

urlpatterns: list[URLPattern] = [
    path("cohorts/", v.cohorts, name="cohorts"),
    path("cohorts/new/", v.cohort_new, name="cohort-new"),
    path("cohorts/<int:pk>/", v.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:pk>/members/", v.cohort_members, name="cohort-members"),
    path("cohorts/<int:pk>/meetings/new/", v.cohort_meeting_new, name="cohort-meeting-new"),
    path("cohorts/<int:pk>/posts/new/", v.cohort_post_new, name="cohort-post-new"),
    path("cohorts/meetings/<int:pk>/attendance/", v.cohort_attendance, name="cohort-attendance"),
    path("cohorts/posts/<int:pk>/remove/", v.cohort_post_remove, name="cohort-post-remove"),
]
