# SPDX-License-Identifier: EUPL-1.2
"""Benchmark the agreement importer: import each fixture document N times and print ms per document.

Usage: python bench/import_bench.py [-n 20] [PATH ...]
Without paths it uses tests/domain/importer/fixtures/{seeds,synthetic}/*.txt. Each run is a full
``import_path`` (read, normalise, parse, genre check); ``parse`` is ``parse_text`` on text already read.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.importer import import_path, parse_text, read_document  # noqa: E402

FIXTURES = ROOT / "tests" / "domain" / "importer" / "fixtures"


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="runs per document (default 20)")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.paths or sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "synthetic").glob("*.txt"))
    print(f"{'document':<32} {'chars':>7} {'import mean':>12} {'median':>8} {'parse median':>13}   (ms, n={args.n})")
    all_medians = []
    for path in paths:
        text = read_document(path)
        import_path(path)  # warm up (lazy imports, compiled patterns)
        full = _time(functools.partial(import_path, path), args.n)
        parse_only = _time(functools.partial(parse_text, text), args.n)
        all_medians.append(statistics.median(full))
        print(
            f"{path.stem[:32]:<32} {len(text):>7} {statistics.mean(full):>12.1f} {statistics.median(full):>8.1f} "
            f"{statistics.median(parse_only):>13.1f}"
        )
    print(f"{'all documents (median of medians)':<41} {statistics.median(all_medians):>20.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
