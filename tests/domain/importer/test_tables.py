# SPDX-License-Identifier: EUPL-1.2
"""Budget tables and goal tables, including the shapes PDF extraction leaves behind."""

from __future__ import annotations

from domain.importer import parse_text
from domain.importer.goals import dimensions

HEAD = "Överenskommelse om idéburet offentligt partnerskap mellan Socialnämnden Väster och Föreningen Bro.\n\n"


def lines(draft: dict) -> list[tuple[str, int, str | None, int | None]]:
    return [(b["label"], b["amount_sek"], b["section"], b["year"]) for b in draft["budget_lines"]]


# --- budget tables -------------------------------------------------------------------------------

DOUBLE_SPACED = """Kostnadsposter Kostnad per helår,

grundbelopp*

Kommentar

Löner: projektledare 60%,

ekonom 10%, kulturtolkar 230%

fördelat på flera tjänster.

1 760 000 kr Varav 600 000 kr är

folkhälsomedel som går till

föräldrastödjande kurser

Andel av lokalhyra

samt kontorslokal.

(Totala kostnader för föreningen

365 000 kr/år)

110 000 kr

Totalt 1 870 000
"""


def test_wrapped_labels_comments_and_parenthetical_amounts() -> None:
    draft = parse_text(HEAD + DOUBLE_SPACED)
    assert lines(draft) == [
        ("Löner: projektledare 60%, ekonom 10%, kulturtolkar 230% fördelat på flera tjänster.", 1760000, None, None),
        ("Andel av lokalhyra samt kontorslokal.", 110000, None, None),
    ]
    assert draft["annual_amount_sek"] == 1870000  # a single "per helår" table's total


BLOCKS = """Kostnad Summa Finansiär Utförare

Områdesarbete
”Brobyggare” inkl.
Föräldraforum

750 000 kr  Socialförvaltningen
Väster –
Drogförebyggande
medel

Föreningen Bro

Övriga kostnader t.ex.
material, fika etc.

50 000 kr Socialförvaltningen
Väster

Totalt:  800 000 kr
"""


def test_blocks_separated_by_blank_lines_with_financier_columns() -> None:
    draft = parse_text(HEAD + BLOCKS)
    assert lines(draft) == [
        ("Områdesarbete ”Brobyggare” inkl. Föräldraforum", 750000, None, None),
        ("Övriga kostnader t.ex. material, fika etc.", 50000, None, None),
    ]
    assert draft["total_amount_sek"] == 800000


def test_label_with_description_lines_and_amount_alone() -> None:
    text = (
        "Post Finansiering (SEK)\n\nPersonalkostnader\n7 deltidsanställda á 35 %\ntjänstgöring.\n\n1 060 000\n\n"
        "Drift och underhåll 78 750\n\nTelefoni 10 000\n\nAvtalets totala ekonomiska ram 1 148 750\n"
    )
    draft = parse_text(HEAD + text)
    assert lines(draft) == [
        ("Personalkostnader", 1060000, None, None),
        ("Drift och underhåll", 78750, None, None),
        ("Telefoni", 10000, None, None),
    ]
    assert draft["budget_lines"][0]["description"] == "7 deltidsanställda á 35 % tjänstgöring."
    assert draft["total_amount_sek"] == 1148750


def test_totals_that_do_not_add_up_warn() -> None:
    draft = parse_text(HEAD + "Kostnadspost Belopp\nLöner 500 000\nHyra 100 000\nSumma 650 000\n")
    assert [b["amount_sek"] for b in draft["budget_lines"]] == [500000, 100000]
    assert {
        "code": "importer.warning.table_total_mismatch",
        "params": {"section": "", "year": "", "summed": 600000, "total": 650000},
    } in draft["warnings"]


def test_tkr_tables() -> None:
    draft = parse_text(HEAD + "Kostnadspost Belopp (tkr)\nLöner 900\nLokal 120\nSumma 1 020\n")
    assert [b["amount_sek"] for b in draft["budget_lines"]] == [900000, 120000]


def test_per_year_budget_table() -> None:
    draft = parse_text(
        HEAD + "Kostnadspost 2025 2026\nLöner 250 000 500 000\nHyra 50 000 100 000\nTotalt 300 000 600 000\n"
    )
    assert lines(draft) == [
        ("Löner", 250000, None, 2025),
        ("Löner", 500000, None, 2026),
        ("Hyra", 50000, None, 2025),
        ("Hyra", 100000, None, 2026),
    ]
    assert draft["amount_by_year_sek"] == {"2025": 300000, "2026": 600000}


def test_sections_from_del_headings() -> None:
    text = (
        "Insatser\nDel 1. Läxhjälp\nDel 2: Fritid\n\nÖvergripande insatser\nText om insatserna.\n\n"
        "Lokala insatser: Del 1 - Läxhjälp\nIntroduktion\nText.\n\nEkonomi\nKostnadsposter Kostnad per helår\n"
        "Lärare 300 000 kr\nTotalt 300 000\n\nLokala insatser: Del 2 – Fritid\nText.\n\n"
        "Kostnadsposter Kostnad per helår\nLedare 200 000 kr\nTotalt 200 000\n\n"
        "Organisation\nStyrgruppen möts två gånger per år.\n"
    )
    draft = parse_text(HEAD + text)
    assert lines(draft) == [("Lärare", 300000, "Del 1", None), ("Ledare", 200000, "Del 2", None)]


def test_prose_amounts_are_not_budget_lines() -> None:
    draft = parse_text(HEAD + "Föreningen ersätts med 500 000 kr per år, varav 100 000 kr är statsbidrag.")
    assert draft["budget_lines"] == []


def test_word_budget_table_with_pipes() -> None:
    draft = parse_text(
        HEAD + "Kostnadspost | Belopp | Kommentar\nLöner | 400 000 kr | Varav 50 000 kr bidrag\n"
        "Hyra | 100 000 kr |\nTotalt | 500 000 kr |\n"
    )
    assert lines(draft) == [("Löner", 400000, None, None), ("Hyra", 100000, None, None)]


# --- goal tables ---------------------------------------------------------------------------------

INTERLEAVED = """Mål och indikatorer

Mål/Delmål Indikatorer Ansvar för insamling

av data

Tillit till socialtjänsten samt

tidigare insatser för barn/

familjer

1. Antal gemensamma

kontakter mellan

enheten och Föreningen

Bro.

Socialförvaltningen

Väster

Stärkt föräldraförmåga och

stärkta relationer.

1. Antal kurser

2. Antal deltagare fördelat på

språkgrupp och kön

Föreningen Bro

Ökad föräldraförmåga  1. Antal deltagare på kurser

2. Kursutvärderingar

SF Väster

Föreningen Bro

Öppen mötesplats för alla.

Kvalitativ uppföljning  Föreningen Bro

Ekonomi
"""


def test_interleaved_goal_table() -> None:
    goals = parse_text(HEAD + INTERLEAVED)["goals"]
    assert [g["text"] for g in goals] == [
        "Tillit till socialtjänsten samt tidigare insatser för barn/familjer",
        "Stärkt föräldraförmåga och stärkta relationer.",
        "Ökad föräldraförmåga",
        "Öppen mötesplats för alla.",
    ]
    assert goals[0]["indicators"] == [
        {
            "text": "Antal gemensamma kontakter mellan enheten och Föreningen Bro.",
            "dimensions": [],
            "collected_by": ["Socialförvaltningen Väster"],
        }
    ]
    assert goals[1]["indicators"][1] == {
        "text": "Antal deltagare fördelat på språkgrupp och kön",
        "dimensions": ["gender", "language_group"],
        "collected_by": ["Föreningen Bro"],
    }
    assert [i["collected_by"] for i in goals[2]["indicators"]] == [["SF Väster", "Föreningen Bro"]] * 2
    assert goals[3]["indicators"] == [
        {"text": "Kvalitativ uppföljning", "dimensions": [], "collected_by": ["Föreningen Bro"]}
    ]


def test_goal_table_without_collector_column() -> None:
    text = "Mål Indikatorer\nFler deltar i läxhjälp\n1. Antal deltagare per skola\nBättre betyg\n1. Andel godkända\n"
    goals = parse_text(HEAD + text)["goals"]
    assert [(g["text"], [i["text"] for i in g["indicators"]]) for g in goals] == [
        ("Fler deltar i läxhjälp", ["Antal deltagare per skola"]),
        ("Bättre betyg", ["Andel godkända"]),
    ]
    assert goals[0]["indicators"][0]["dimensions"] == ["school"]


def test_goal_lists_under_headings() -> None:
    text = (
        "Mål\n- Öka tryggheten på otrygga platser identifierade i\n\nlägesbildsarbetet\n\n"
        "- Främja kunskapsutbytet mellan verksamheterna\n\nVärdegrund\nPartnerskapet bygger på tillit.\n"
    )
    goals = parse_text(HEAD + text)["goals"]
    assert [g["text"] for g in goals] == [
        "Öka tryggheten på otrygga platser identifierade i lägesbildsarbetet",
        "Främja kunskapsutbytet mellan verksamheterna",
    ]


def test_goal_list_whose_bullets_were_dropped() -> None:
    text = (
        "2.1 Målsättningar\nDen övergripande målsättningen är att barn växer upp tryggt.\n\n"
        " Föräldrarna känner sig stärkta.\n Föräldrarna upplever ökad egenmakt genom kunskap om\n\n"
        "sina rättigheter.\n\n2.1.1 Målgrupp\nFöräldrar i området.\n"
    )
    goals = parse_text(HEAD + text)["goals"]
    assert [g["text"] for g in goals] == [
        "Föräldrarna känner sig stärkta.",
        "Föräldrarna upplever ökad egenmakt genom kunskap om sina rättigheter.",
    ]


def test_labelled_goals_with_indicators() -> None:
    text = (
        "Delmål 1: Fler går vidare till arbete.\nIndikator: Andel som får arbete, könsuppdelad.\n"
        "Ansvar för insamling: Föreningen Bro\n\nDelmål 2: Ökad hälsa.\nIndikatorer:\n• Antal deltagare per "
        "åldersgrupp\n• Hälsoenkät\nAnsvar för insamling: Socialnämnden Väster och Föreningen Bro\n"
    )
    goals = parse_text(HEAD + text)["goals"]
    assert goals == [
        {
            "text": "Fler går vidare till arbete.",
            "section": None,
            "indicators": [
                {
                    "text": "Andel som får arbete, könsuppdelad.",
                    "dimensions": ["gender"],
                    "collected_by": ["Föreningen Bro"],
                },
            ],
        },
        {
            "text": "Ökad hälsa.",
            "section": None,
            "indicators": [
                {
                    "text": "Antal deltagare per åldersgrupp",
                    "dimensions": ["age"],
                    "collected_by": ["Socialnämnden Väster", "Föreningen Bro"],
                },
                {"text": "Hälsoenkät", "dimensions": [], "collected_by": ["Socialnämnden Väster", "Föreningen Bro"]},
            ],
        },
    ]


def test_word_goal_table() -> None:
    text = (
        "Mål | Indikatorer | Ansvar för insamling av data\n"
        "Fler barn läser | Antal lån • Antal deltagare per ålder | Föreningen Bro\n"
        "Fler barn läser | Antal läsombud | Socialnämnden Väster\n"
    )
    goals = parse_text(HEAD + text)["goals"]
    assert len(goals) == 1
    assert [(i["text"], i["dimensions"], i["collected_by"]) for i in goals[0]["indicators"]] == [
        ("Antal lån", [], ["Föreningen Bro"]),
        ("Antal deltagare per ålder", ["age"], ["Föreningen Bro"]),
        ("Antal läsombud", [], ["Socialnämnden Väster"]),
    ]


def test_overall_goal_only_when_nothing_more_specific() -> None:
    goals = parse_text(HEAD + "Partnerskapets mål är att fler barn når godkända betyg.")["goals"]
    assert [g["text"] for g in goals] == ["Fler barn når godkända betyg"]


def test_dimensions() -> None:
    assert dimensions("Antal deltagare fördelat på språkgrupp och kön") == ["gender", "language_group"]
    assert dimensions("Könsindelad statistik") == ["gender"]
    assert dimensions("Antal deltagare per åldersgrupp") == ["age"]
    assert dimensions("Antal elever per skola") == ["school"]
    assert dimensions("Antal flickor och pojkar") == ["gender"]
    assert dimensions("Unga i åldern 16–25 år som besöker skolan") == []
    assert dimensions("Antal kurser") == []
