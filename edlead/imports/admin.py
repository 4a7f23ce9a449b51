from django.contrib import admin

from edlead.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: runs are written by the import service only."""

    list_display = (
        "file_name",
        "kind",
        "status",
        "user_label",
        "created_at",
        "created_count",
        "updated_count",
        "skipped_count",
    )
    list_filter = ("status", "kind", "origin")
    search_fields = ("file_name", "user_label")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
