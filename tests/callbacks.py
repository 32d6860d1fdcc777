# SPDX-License-Identifier: EUPL-1.2
"""On-commit callbacks a test captured, without the cache generations' bumps (apps.core.cache)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from apps.core.cache import is_generation_bump


def queued_tasks(callbacks: Iterable[Callable[..., Any]]) -> list[Callable[..., Any]]:
    """The callbacks that are not a cache bump: the tasks and notifications a write queued for after commit."""
    return [func for func in callbacks if not is_generation_bump(func)]
