# SPDX-License-Identifier: EUPL-1.2
"""Small parsers: counts and number words, durations, frequencies, dates, periods and amounts."""

from __future__ import annotations

from datetime import date

import pytest

from domain.importer.amounts import find_amounts, split_amount_run, to_kronor
from domain.importer.dates import find_dates, parse_date, period_candidates
from domain.importer.numbers import duration_months, find_duration, find_frequency, months_in, parse_count


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("ett", 1),
        ("en", 1),
        ("två", 2),
        ("tre", 3),
        ("fyra", 4),
        ("fem", 5),
        ("sex", 6),
        ("sju", 7),
        ("åtta", 8),
        ("nio", 9),
        ("tio", 10),
        ("elva", 11),
        ("tolv", 12),
        ("arton", 18),
        ("aderton", 18),
        ("tjugo", 20),
        ("tjugofyra", 24),
        ("trettiosex", 36),
        ("12", 12),
        ("Tre", 3),
    ],
)
def test_counts(word: str, value: int) -> None:
    assert parse_count(word) == value


@pytest.mark.parametrize("word", ["", "många", "tjugoelva", "1234567", "ettan"])
def test_not_counts(word: str) -> None:
    assert parse_count(word) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("4 månaders uppsägningstid", 4),
        ("tre månader", 3),
        ("ett år", 12),
        ("två år", 24),
        ("ett halvår", 6),
        ("tjugofyra månader", 24),
        ("arton månader", 18),
    ],
)
def test_durations(text: str, months: int) -> None:
    found = find_duration(text)
    assert found is not None and found[0] == months


def test_weeks_are_not_months() -> None:
    assert duration_months("sex", "veckor") is None


@pytest.mark.parametrize(
    ("text", "per_year"),
    [
        ("minst två gånger per år", 2),
        ("ca två gånger/år", 2),
        ("2 ggr/år", 2),
        ("två gånger årligen", 2),
        ("halvårsvis", 2),
        ("kvartalsvis", 4),
        ("varje kvartal", 4),
        ("månadsvis", 12),
        ("en gång per år", 1),
        ("årligen", 1),
        ("fyra gånger per år", 4),
        ("en gång per termin", 2),
        ("terminsvis", 2),
    ],
)
def test_frequencies(text: str, per_year: int) -> None:
    found = find_frequency(f"Styrgruppen möts {text} med alla parter.")
    assert found is not None and found[0] == per_year


def test_months_named() -> None:
    assert months_in("en gång i juli och en gång i januari") == [7, 1]
    assert months_in("inga månader här, marsvin och julgran") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-07-01", date(2025, 7, 1)),
        ("1 juli 2025", date(2025, 7, 1)),
        ("den 1:a juli 2025", date(2025, 7, 1)),
        ("30 juni 2028", date(2028, 6, 30)),
        ("1 sept. 2025", date(2025, 9, 1)),
        ("15.3.2025", date(2025, 3, 15)),
        ("20250101", date(2025, 1, 1)),
        ("3 okt 2024", date(2024, 10, 3)),
    ],
)
def test_dates(text: str, value: date) -> None:
    assert parse_date(text) == value


def test_invalid_and_partial_dates() -> None:
    assert find_dates("2025-02-30") == []
    assert parse_date("2025-2028") is None
    month = find_dates("januari 2026")
    assert month[0].precision == "month" and month[0].as_end() == date(2026, 1, 31)


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Avtalet gäller 2025-07-01 till och med 2028-07-01.", date(2025, 7, 1), date(2028, 7, 1)),
        ("från och med 1 juli 2025 till och med 30 juni 2028", date(2025, 7, 1), date(2028, 6, 30)),
        ("Partnerskapet tecknas för perioden 1 juli 2025 till 1 juli 2028.", date(2025, 7, 1), date(2028, 7, 1)),
        ("för perioden 2025-01-01–2026-12-31,", date(2025, 1, 1), date(2026, 12, 31)),
        ("Avtalet gäller fr.o.m. 1 januari 2025 t.o.m. 31 december 2027.", date(2025, 1, 1), date(2027, 12, 31)),
        ("Avtalsperiod: januari 2025 – december 2026", date(2025, 1, 1), date(2026, 12, 31)),
        ("Avtalet löper mellan 2025-03-01 och 2026-02-28.", date(2025, 3, 1), date(2026, 2, 28)),
    ],
)
def test_periods(sentence: str, start: date, end: date) -> None:
    found = period_candidates(sentence, 0)
    assert [(c.start, c.end) for c in found] == [(start, end)]


def test_backwards_pair_is_not_a_period() -> None:
    assert period_candidates("2026-01-01 till 2025-01-01", 0) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 275 750 kronor", 1275750),
        ("800 tkr", 800000),
        ("Ca 300 tkr", 300000),
        ("8 mnkr", 8000000),
        ("4 040 000 kr", 4040000),
        ("1.200.000 kr", 1200000),
        ("2,5 mnkr", 2500000),
        ("12 000:-", 12000),
        ("1 200 tkr", 1200000),
        ("3 miljoner kronor", 3000000),
        ("500 000 SEK", 500000),
    ],
)
def test_amounts(text: str, value: int) -> None:
    amounts = find_amounts(text)
    assert amounts and amounts[0].value == value and amounts[0].plausible


def test_amount_helpers() -> None:
    assert to_kronor("800", "tkr") == 800000
    assert to_kronor("12", "okänd") is None
    assert not find_amounts("2025")[0].plausible  # a year
    assert not find_amounts("60%")[0].plausible


@pytest.mark.parametrize(
    ("run", "count", "values"),
    [
        ("2 020 000 4 040 000* 4 040 000* 2 020 000*", 4, [2020000, 4040000, 4040000, 2020000]),
        ("100 000 200 000", 2, [100000, 200000]),
        ("150 000 360 000 210 000", 3, [150000, 360000, 210000]),
        ("500 1 000 1 000", 3, [500, 1000, 1000]),
        ("850 000 kr 850 000 kr", 2, [850000, 850000]),
    ],
)
def test_split_amount_runs(run: str, count: int, values: list[int]) -> None:
    assert split_amount_run(run.replace("kr", "*"), count) == values


def test_unsplittable_run() -> None:
    assert split_amount_run("100 000", 3) is None
    assert split_amount_run("", 1) is None


def test_a_run_beyond_any_one_amount_is_kept_for_the_table_reader_to_split() -> None:
    # money.parse_sek refuses amounts beyond what one amount can be; a run of table cells read as one number
    # must still reach split_amount_run.
    assert to_kronor("270 000 648 000 378") == 270000648000378
    assert split_amount_run("270 000 648 000 378 000", 3) == [270000, 648000, 378000]
    assert to_kronor("2 000 000 000", "mnkr") is None  # with a unit it is one (impossible) amount
