# SPDX-License-Identifier: EUPL-1.2
"""Tasks of the document importer: reading an uploaded file once the upload has committed."""

from __future__ import annotations

from django.tasks import task


@task()
def read_import_draft(draft_id: int) -> str:
    """Read the uploaded file of draft ``draft_id`` in a bounded process and store the result (idempotent:
    a draft that is no longer being read is left as it is). Returns the draft's status afterwards."""
    from . import services  # the services queue this task: imported when it runs

    try:
        return services.importdraft_read(draft_id=draft_id)
    except Exception as exc:
        services.importdraft_read_failed(draft_id=draft_id, error=exc)
        raise  # and the task is recorded as failed, with its traceback, for the operator
