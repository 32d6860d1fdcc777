import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "domain" / "importer" / "fixtures" / "seeds"
ROOT = Path(__file__).resolve().parents[3]


def run(*args):
    return subprocess.run([sys.executable, "manage.py", "import_agreement", *args], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": "/usr/bin", "DJANGO_SETTINGS_MODULE": "partnerskap.settings.test"})


def test_prints_one_draft_and_exits_0():
    seed = next(FIXTURES.glob("003_*.txt"))
    result = run(str(seed), "--json")
    assert result.returncode == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["format"] == "partnerskap.agreement-draft/1"
    assert draft["case_number"] == "SOCN-2025-00771"


def test_missing_and_non_agreement_files_exit_2_with_a_message(tmp_path):
    for path in (tmp_path / "saknas.txt", tmp_path / "recept.txt"):
        if path.name == "recept.txt":
            path.write_text("Pannkakor: 3 dl mjöl, 6 dl mjölk, 3 ägg. Stek i smör.", encoding="utf-8")
        result = run(str(path), "--json")
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.strip()
