# SPDX-License-Identifier: EUPL-1.2
"""Tasks of the money area: recalculating the payment plans of an index series once its values committed."""

from __future__ import annotations

from django.tasks import task


@task()
def recalculate_plans(recalculation_id: int) -> str:
    """Recalculate the plans of recalculation ``recalculation_id`` in batches (idempotent: one that is no
    longer queued is left as it is). Returns its status afterwards."""
    from . import recalculation  # the services queue this task: imported when it runs

    done = recalculation.plan_recalculation_run(recalculation_id)
    return done.status if done is not None else "missing"
