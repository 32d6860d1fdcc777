# SPDX-License-Identifier: EUPL-1.2
"""``manage.py load_index --series PKV FILE``: index values from a CSV or spreadsheet table.

In-process (``call_command``) for what is stored, audited and regenerated; in a fresh process, as a
person runs it, for the command contract on bad input (exit 2, Swedish on stderr, nothing on stdout).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from apps.audit.models import AuditEvent
from apps.finance.models import IndexValue
from tests.apps.core.test_commands import ROOT, run
from tests.apps.core.test_commands import env as env  # noqa: PLC0414 - the module-scoped migrated database

D = Decimal
TABLE = [["Prisindex för kommunal verksamhet (PKV), årlig procentuell förändring"], ["År", "PKV"]]
VALUES = {2023: "5,9", 2024: "3,3", 2025: "2,8"}


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_index", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def stored(series) -> dict[int, Decimal]:
    return {v.year: v.percent for v in IndexValue.objects.filter(series=series)}


def csv_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def ods_file(path: Path, rows: list[list[str | float]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (strings and floats)."""

    def cell(value: str | float) -> str:
        if isinstance(value, float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="PKV">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


# Every form a table comes in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "text"),
    [
        ("down-semicolon-comma.csv", "utf-8", "PKV;\nÅr;PKV\n2023;5,9\n2024;3,3 %\n2025;2,8\nKälla: SKR;\n"),
        ("down-bom.csv", "utf-8-sig", "År;Förändring, %\n2025;2,8\n2023;5,9\n2024;3,3\n"),
        ("down-comma-point.csv", "utf-8", "År,PKV\n2023,5.9\n2024,3.3\n2025,2.8\n"),
        ("down-comma-quoted.csv", "utf-8", 'År,PKV\n2023,"5,9"\n2024,"3,3"\n2025,"2,8"\n'),
        ("down-tab.csv", "utf-8", "År\tPKV\n2023\t5,9\n2024\t3,3\n2025\t2,8\n"),
        ("across-semicolon.csv", "utf-8", "Prisindex, procent;;;\n;2023;2024;2025\nPKV;5,9;3,3;2,8\n"),
        ("across-cp1252.csv", "cp1252", "Förändring i procent;2023;2024;2025\nPKV (prognos för år 2025);5,9;3,3;2,8\n"),
        ("across-comma-point.csv", "utf-8", "År,2023,2024,2025\nPKV,5.9 %,3.3 %,2.8 %\n"),
    ],
)
def test_csv_tables_either_way_round_with_comma_or_point(pkv, tmp_path, name, encoding, text):
    out = load("--series", "PKV", str(csv_file(tmp_path / name, text, encoding)), "--published", "2026-02-12")
    assert stored(pkv) == {2023: D("5.9"), 2024: D("3.3"), 2025: D("2.8")}
    assert "2025 (oktober): 2,8 % – ny" in out
    assert "Värden i filen för PKV: 3 (nya: 3, ändrade: 0, oförändrade: 0)." in out
    value = IndexValue.objects.get(series=pkv, year=2025)
    assert (value.reference_month, value.published_on, value.is_forecast) == (10, dt.date(2026, 2, 12), False)


def test_an_xlsx_file_as_excel_gives_it(pkv, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Prisindex för kommunal verksamhet"])
    sheet.append([None, 2023, 2024, 2025, "2026*"])
    sheet.append(["Arbetskraftskostnader", 4.3, 4.1, 3.5, 3.3])
    sheet.append(["PKV", 5.9, 3.3, 2.9000000000000004, 2.8])  # float noise from a formula
    sheet.append(["* Prognos"])
    workbook.save(tmp_path / "pkv.xlsx")
    out = load("--series", "PKV", str(tmp_path / "pkv.xlsx"), "--forecast", "--source", "SKR cirkulär 26:3")
    assert stored(pkv) == {2023: D("5.9"), 2024: D("3.3"), 2025: D("2.9"), 2026: D("2.8")}
    assert "2026 (oktober): 2,8 % – ny" in out
    assert set(IndexValue.objects.values_list("is_forecast", "source")) == {(True, "SKR cirkulär 26:3")}


def test_an_ods_file(pkv, tmp_path):
    path = ods_file(
        tmp_path / "pkv.ods", [["År", "Månad", "PKV"], [2024.0, "oktober", 3.3], [2025.0, "oktober", "2,8"]]
    )
    load("--series", "PKV", str(path))
    assert stored(pkv) == {2024: D("3.3"), 2025: D("2.8")}
    assert set(IndexValue.objects.values_list("reference_month", flat=True)) == {10}
    assert IndexValue.objects.get(year=2025).published_on is not None  # today by default


# What changes, and what does not -------------------------------------------------------------------------


def test_a_dry_run_shows_what_would_change_and_writes_nothing(pkv, tmp_path):
    IndexValue.objects.create(series=pkv, year=2024, reference_month=10, percent=D("3.0"))
    events = AuditEvent.objects.count()
    path = csv_file(tmp_path / "pkv.csv", "År;PKV\n2024;3,3\n2025;2,8\n")
    out = load("--series", "PKV", str(path), "--dry-run")
    assert "2024 (oktober): 3,3 % – ändrad (var 3 %)" in out
    assert "2025 (oktober): 2,8 % – ny" in out
    assert "Provkörning: ingenting sparades." in out
    assert stored(pkv) == {2024: D("3.0")}
    assert AuditEvent.objects.count() == events


def test_rerunning_the_same_file_changes_nothing_and_a_changed_value_is_audited_old_and_new(funded, pkv, tmp_path):
    path = csv_file(tmp_path / "pkv.csv", "År;PKV\n2024;3,3\n2025;2,8\n")
    load("--series", "PKV", str(path), "--published", "2026-02-12")
    events = AuditEvent.objects.count()
    payments = sorted(funded.payments.values_list("key", "amount"))
    out = load("--series", "PKV", str(path), "--published", "2026-03-01")
    assert "2025 (oktober): 2,8 % – oförändrad" in out
    assert "(nya: 0, ändrade: 0, oförändrade: 2)" in out
    assert AuditEvent.objects.count() == events
    assert sorted(funded.payments.values_list("key", "amount")) == payments
    assert IndexValue.objects.get(year=2025).published_on == dt.date(2026, 2, 12)  # the first publication kept

    load("--series", "PKV", str(csv_file(tmp_path / "new.csv", "År;PKV\n2024;3,3\n2025;2,9\n")))
    event = AuditEvent.objects.filter(action="finance.index_value_saved").latest("pk")
    assert event.actor is None  # the platform, no --user
    assert event.changes["percent"] == ["2.800", "2.900"]
    assert event.changes["version"] == [1, 2]  # a form opened on the old value is refused as stale
    assert AuditEvent.objects.count() == events + 1 + 1  # the value and the regenerated plan


def test_the_payment_plan_of_an_agreement_on_the_series_follows_the_loaded_value(funded, pkv, tmp_path):
    jan_2026 = funded.payments.get(key="2026-01:Socialnämnden Norr")
    assert jan_2026.amount == D("1620000")  # no October 2025 value yet: factor 1
    out = load("--series", "PKV", str(csv_file(tmp_path / "pkv.csv", "2025;2,8\n")))
    jan_2026.refresh_from_db()
    assert jan_2026.amount == D("1676560")  # 4 040 000 × 1.028 / 2 − 400 000
    assert "Överenskommelser med PKV: 1; betalningsplanen ändrades för 1." in out


def test_a_plan_the_new_value_cannot_carry_is_named_and_left_as_it_was(make_agreement, users, pkv, tmp_path):
    from apps.finance import services

    agreement = make_agreement()
    actor = users["officer_north"]
    source = {
        "name": "Folkhälsomedel",
        "annual_amount": D("4000000"),
        "share_percent": None,
        "invoiced_separately": False,
    }
    services.funding_source_save(actor=actor, agreement=agreement, data=source)
    terms = {
        "basis": "annual",
        "annual_amount": D("4040000"),
        "default_source": "Socialnämnden Norr",
        "index_series": pkv,
    }
    services.finance_terms_save(actor=actor, agreement=agreement, data={**terms, "payment_frequency": "annual"})
    payments = sorted(agreement.payments.values_list("key", "amount"))
    err = StringIO()
    out = StringIO()
    path = csv_file(tmp_path / "pkv.csv", "2025;-2,0\n")  # 4 040 000 × 0.98 < the 4 000 000 of the funder
    call_command("load_index", "--series", "PKV", str(path), stdout=out, stderr=err)
    assert stored(pkv) == {2025: D("-2.0")}  # the value is stored: it is the published figure
    assert "Överenskommelser med PKV: 1; betalningsplanen ändrades för 0." in out.getvalue()
    assert f"Betalningsplanen för överenskommelse {agreement.pk} (IOP Föräldrastöd) uppdaterades inte" in err.getvalue()
    assert sorted(agreement.payments.values_list("key", "amount")) == payments


def test_a_user_who_keeps_the_series_is_the_actor(pkv, users, index_keeper, tmp_path):
    load("--series", "pkv", str(csv_file(tmp_path / "pkv.csv", "2025;2,8\n")), "--user", "controller_city")
    assert AuditEvent.objects.get(action="finance.index_value_saved").actor == users["controller_city"]


def test_one_bad_value_stores_none_of_the_file(pkv, tmp_path):
    with pytest.raises(CommandError) as exc:
        load("--series", "PKV", str(csv_file(tmp_path / "pkv.csv", "2024;3,3\n2025;2000,5\n")))
    assert exc.value.returncode == 2
    assert str(exc.value).startswith("2025: ")
    assert IndexValue.objects.count() == 0


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        ("150", "2025: Indexvärdet måste vara större än -50 % och mindre än 100 %."),
        ("-60", "2025: Indexvärdet måste vara större än -50 % och mindre än 100 %."),
        ("2,1234", "2025: Säkerställ att det inte är mer än 3 decimaler."),
    ],
)
def test_a_value_the_register_cannot_hold_is_refused_in_words(pkv, tmp_path, percent, message):
    with pytest.raises(CommandError) as exc:
        load("--series", "PKV", str(csv_file(tmp_path / "pkv.csv", f"2024;3,3\n2025;{percent}\n")))
    assert str(exc.value) == message
    assert IndexValue.objects.count() == 0


def test_a_user_without_the_right_is_refused(pkv, users, tmp_path):
    with pytest.raises(CommandError) as exc:
        load("--series", "PKV", str(csv_file(tmp_path / "pkv.csv", "2025;2,8\n")), "--user", "officer_north")
    assert str(exc.value) == "Användaren officer_north får inte föra indexserien PKV."
    assert IndexValue.objects.count() == 0


# Bad input, as a person meets it in the shell -----------------------------------------------------------


@pytest.fixture(scope="module")
def files(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from apps.finance.models import IndexSeries; from apps.accounts.models import User; "
            "IndexSeries.objects.get_or_create(code='PKV', defaults={'name': 'PKV'}); "
            "User.objects.get_or_create(username='utan-roll')",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path_factory.mktemp("index-files")
    paths = {
        "good": "År;PKV\n2025;2,8\n",
        "notes": "Prisindex för kommunal verksamhet\nKälla: SKR\n",
        "words": "2024;tre\n2025;fyra\n",
        "high": "2024;3,3\n2025;1500\n",
        "twice": "2025;2,8\n2025;2,9\n",
    }
    result = {name: str(csv_file(folder / f"{name}.csv", text)) for name, text in paths.items()}
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    result["broken"] = str(folder / "broken.xlsx")
    (folder / "table.pdf").write_bytes(b"%PDF-1.4")
    result["pdf"] = str(folder / "table.pdf")
    return result


BAD_INPUT = [
    (["load_index", "{good}"], "Argument saknas: --series"),
    (["load_index", "--series", "PKV"], "Argument saknas: FILE"),
    (["load_index", "--series", "KPI", "{good}"], "Det finns ingen indexserie med koden KPI."),
    (
        ["load_index", "--series", "PKV", "{good}", "--published", "12/2 2026"],
        "--published: ”12/2 2026” är inget datum",
    ),
    (["load_index", "--series", "PKV", "{good}", "--published", "2026-02-30"], "”2026-02-30” är inget datum skrivet"),
    (["load_index", "--series", "PKV", "{good}", "--published", "3026-02-12"], "--published: året ska ligga mellan"),
    (["load_index", "--series", "PKV", "/nonexistent/pkv.csv"], "Filen /nonexistent/pkv.csv finns inte."),
    (["load_index", "--series", "PKV", "{pdf}"], "Filformatet (.pdf) för table.pdf stöds inte."),
    (["load_index", "--series", "PKV", "{broken}"], "Filen broken.xlsx kunde inte läsas"),
    (["load_index", "--series", "PKV", "{notes}"], "Filen innehåller inga årtal"),
    (["load_index", "--series", "PKV", "{words}"], "Filen har årtal men inga procenttal bredvid dem."),
    (["load_index", "--series", "PKV", "{twice}"], "Året 2025 finns två gånger i filen."),
    (["load_index", "--series", "PKV", "{high}"], "2025: Indexvärdet"),
    (["load_index", "--series", "PKV", "{good}", "--user", "vem"], "Det finns ingen aktiv användare vem."),
    (["load_index", "--series", "PKV", "{good}", "--user", "utan-roll"], "Användaren utan-roll får inte föra"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_input_exits_2_with_a_swedish_message_and_nothing_on_stdout(env, files, args, message):
    done = run(env, *[arg.format(**files) for arg in args])
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert message in done.stderr
    assert "Traceback" not in done.stderr and "CommandError" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_good_input_from_the_shell_prints_swedish_and_exits_0(env, files):
    done = run(env, "load_index", "--series", "PKV", files["good"], "--dry-run", extra_env={"LANG": "en_US.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert "2025 (oktober): 2,8 % – " in done.stdout
    assert "Provkörning: ingenting sparades." in done.stdout
