# SPDX-License-Identifier: EUPL-1.2
"""Trigram indexes for the register's text search on PostgreSQL (title and case number; party names are
indexed by organisations 0004); nothing on SQLite, where the same search (``icontains``) scans the table.

Django's ``icontains`` on PostgreSQL compares ``UPPER(column::text) LIKE UPPER('%term%')``: each index is on
that expression with ``gin_trgm_ops`` (the pg_trgm extension, created here when missing), and the search asks
each column in its own branch of a UNION (apps.agreements.selectors.search_matches), so each branch is answered
from its index.
"""

from django.db import migrations

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
COLUMNS = {"title": "agreement_title_trgm", "case_number": "agreement_case_number_trgm"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("agreements", "Agreement")._meta.db_table)
    schema_editor.execute(EXTENSION)
    for column, index in COLUMNS.items():
        # The expression is the one icontains compares (UPPER(column::text)), so the planner can use the index.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in COLUMNS.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_list_indexes"), ("organisations", "0004_name_trigram")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
