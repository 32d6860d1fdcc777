# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SYNTHETIC = sorted((FIXTURES / "synthetic").glob("*.txt"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
