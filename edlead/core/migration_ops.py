"""Migration operations that only apply on PostgreSQL (SQLite has no trigram indexes)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def trigram_indexes(table: str, columns: list[str]) -> migrations.RunPython:
    """GIN trigram indexes on UPPER(column), the expression Django's `icontains` uses on PostgreSQL,
    so name search stays fast with tens of thousands of people."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')

    return migrations.RunPython(forwards, backwards)
