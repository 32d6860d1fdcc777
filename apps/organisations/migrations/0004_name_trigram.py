# SPDX-License-Identifier: EUPL-1.2
"""A trigram index for searching organisation names on PostgreSQL (the agreement list's and the organisation
register's search, ``name__icontains``); nothing on SQLite, where the same search scans the table.

Django's ``icontains`` on PostgreSQL compares ``UPPER(name::text) LIKE UPPER('%term%')``: the index is on that
expression with ``gin_trgm_ops`` (the pg_trgm extension, created here when missing), so the search is answered
from the index however many organisations there are.
"""

from django.db import migrations

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"


INDEX = "organisation_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("organisations", "Organisation")._meta.db_table)
    schema_editor.execute(EXTENSION)
    # The expression is the one icontains compares (UPPER(name::text)), so the planner can use the index.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((UPPER(name::text)) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_register_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
