# SPDX-License-Identifier: EUPL-1.2
"""Clauses in prose: clock terms, payment rules, indexation, amounts, governance, parties and metadata."""

from __future__ import annotations

import pytest

from domain.importer import parse_text

HEAD = "Överenskommelse om idéburet offentligt partnerskap mellan Socialnämnden Väster och Föreningen Bro.\n\n"


def codes(result: dict) -> list[str]:
    return [w["code"] for w in result["warnings"]]


def draft(body: str) -> dict:
    return parse_text(HEAD + body)


# --- the agreement clock -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Om en part vill säga upp avtalet i förtid ska det ske med 4 månaders uppsägningstid.", 4),
        ("Uppsägningstiden är tre månader.", 3),
        ("Avtalet kan sägas upp med sex månaders varsel.", 6),
        ("Vardera part kan säga upp överenskommelsen med en uppsägningstid om två månader.", 2),
        ("Uppsägningstiden är ett år.", 12),
        ("Avtalet kan sägas upp med en uppsägningstid om tre (3) månader.", 3),
    ],
)
def test_notice_period(text: str, months: int) -> None:
    assert draft(text)["notice_period_months"] == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Avtalet gäller till 2028-07-01 med möjlighet till förlängning om maximalt 12 månader.", 12),
        ("Avtalet kan förlängas med högst ett år.", 12),
        ("Överenskommelsen kan förlängas med som mest tjugofyra månader.", 24),
        ("Möjlighet finns till förlängning med ytterligare sex månader.", 6),
        ("Avtalet kan därefter förlängas med maximalt arton månader.", 18),
        ("Avtalet kan förlängas med högst tolv (12) månader.", 12),
    ],
)
def test_extension(text: str, months: int) -> None:
    assert draft(text)["extension_max_months"] == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Ställningstagande om nytt avtal ska skriftligen tas senast sex månader innan partnerskapet upphör.", 6),
        (
            "Ställningstagande till förlängning eller omförhandling ska ske senast två månader innan avtalsperiodens slut.",
            2,
        ),
        ("Beslut om förlängning ska fattas senast fyra månader före avtalstidens utgång.", 4),
    ],
)
def test_renewal_deadline_is_not_an_extension(text: str, months: int) -> None:
    result = draft(text)
    assert result["renewal_decision_months_before_end"] == months
    assert result["extension_max_months"] is None


def test_unstated_clock_terms_stay_null() -> None:
    result = draft("Eventuell förlängning av partnerskapet behandlas på kvartalsavstämningarna.")
    assert result["extension_max_months"] is None
    assert result["notice_period_months"] is None
    assert result["renewal_decision_months_before_end"] is None


def test_period_with_conflicting_dates_warns() -> None:
    result = draft(
        "Avtalet gäller 2025-01-01 till och med 2025-12-31.\n\nAvtalstiden är 2025-02-01 till och med 2026-01-31."
    )
    assert result["period"] in (
        {"start": "2025-02-01", "end": "2026-01-31"},
        {"start": "2025-01-01", "end": "2025-12-31"},
    )
    assert "importer.warning.several_periods" in codes(result)


def test_open_ended_period() -> None:
    result = draft("Överenskommelsen gäller från och med 2025-04-01.")
    assert result["period"] == {"start": "2025-04-01", "end": None}
    assert "importer.warning.period_incomplete" in codes(result)


def test_history_is_not_the_period() -> None:
    result = draft(
        "Parterna har tidigare samverkat 2022-06-01 till 2025-06-30.\n\n"
        "Avtalet gäller 2025-07-01 till och med 2027-06-30."
    )
    assert result["period"] == {"start": "2025-07-01", "end": "2027-06-30"}


# --- payments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        (
            "Föreningen fakturerar Socialförvaltningen i förskott två gånger per år, en gång i juli och en gång i januari.",
            {"frequency": "semiannual", "in_advance": True, "months": [1, 7]},
        ),
        (
            "Föreningen fakturerar socialförvaltningen halvårsvis.",
            {"frequency": "semiannual", "in_advance": None, "months": []},
        ),
        (
            "Ersättningen betalas ut kvartalsvis i förskott.",
            {"frequency": "quarterly", "in_advance": True, "months": []},
        ),
        ("Föreningen fakturerar månadsvis i efterskott.", {"frequency": "monthly", "in_advance": False, "months": []}),
        (
            "Ersättningen betalas ut en gång per år i januari.",
            {"frequency": "annual", "in_advance": None, "months": [1]},
        ),
        ("Ersättningen utbetalas årligen i förskott.", {"frequency": "annual", "in_advance": True, "months": []}),
    ],
)
def test_payment_schedules(text: str, schedule: dict) -> None:
    assert draft(text)["payment_schedule"] == schedule


def test_invoice_in_the_start_month_is_once_at_start() -> None:
    result = draft(
        "Avtalstid: 2024-12-01 till och med 2025-12-31.\n\n"
        "* Utförare fakturerar finansiär samma månad som avtalet träder i kraft."
    )
    assert result["payment_schedule"] == {"frequency": "once", "in_advance": True, "months": [12]}


def test_invoicing_mentioned_with_indexation_is_not_a_schedule() -> None:
    result = draft("Första indexuppräkningen sker vid fakturering i januari 2026.")
    assert result["payment_schedule"] is None


def test_separately_invoiced_funds_warn() -> None:
    result = draft("Föreningen fakturerar två gånger per år. Folkhälsomedlen särfaktureras.")
    assert "importer.warning.separate_invoicing" in codes(result)


# --- indexation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index", "month"),
    [
        ("Indexuppräkning ska ske årligen med prisindex för kommunal verksamhet (PKV) för oktober månad.", "PKV", 10),
        ("*Årlig uppräkning sker enligt Kommunalt Pris Index (PKV).", "PKV", None),
        ("Ersättningen räknas upp årligen med konsumentprisindex (KPI) för september månad.", "KPI", 9),
        ("Beloppet räknas om årligen enligt SKR:s omräkningsfaktor.", "OMF", None),
        ("Ersättningen indexeras med AKI, oktober föregående år.", "AKI", None),
    ],
)
def test_indexation(text: str, index: str, month: int | None) -> None:
    assert draft(text)["indexation"] == {"index": index, "reference_month": month}


def test_no_indexation() -> None:
    assert draft("Ingen indexuppräkning sker under avtalstiden.")["indexation"] is None
    assert draft("Ersättningen är fast.")["indexation"] is None


def test_unknown_index_warns() -> None:
    result = draft("Ersättningen räknas upp årligen.")
    assert result["indexation"] == {"index": None, "reference_month": None}
    assert "importer.warning.index_unknown" in codes(result)


# --- amounts -------------------------------------------------------------------------------------


def test_annual_amount_and_parts_of_it() -> None:
    result = draft(
        "Budgeten är 4 040 000 per helår. Av dessa utgör 800 tkr folkhälsomedel. "
        "Föreningen ersätts på årsbasis med 4 040 000 kr, varav 800 tkr är folkhälsomedel."
    )
    assert result["annual_amount_sek"] == 4040000
    assert result["total_amount_sek"] is None


def test_total_frame() -> None:
    result = draft("Finansieringen omfattar totalt 1 275 750 kronor från socialförvaltningen.")
    assert result["total_amount_sek"] == 1275750
    assert result["annual_amount_sek"] is None


def test_amounts_per_year_from_a_year_table() -> None:
    result = draft(" 2025 2026 2027 2028\n\nKostnad 2 020 000 4 040 000* 4 040 000* 2 020 000*\n")
    assert result["amount_by_year_sek"] == {"2025": 2020000, "2026": 4040000, "2027": 4040000, "2028": 2020000}
    assert result["budget_lines"] == []


def test_amounts_per_year_from_lines() -> None:
    result = draft("Ersättning per år:\n2025: 500 000 kr\n2026: 520 000 kr\n")
    assert result["amount_by_year_sek"] == {"2025": 500000, "2026": 520000}


# --- governance ----------------------------------------------------------------------------------


def test_steering_group() -> None:
    result = draft(
        "Varje part ansvarar för att utse representanter till styrgrupp. Minst två representanter per "
        "part.\n\n• Styrgruppen ska mötas minst två gånger per år.\n"
        "• Uppföljningen av mål och indikatorer ska göras fyra gånger per år till styrgruppen."
    )
    assert result["steering_group_min_meetings_per_year"] == 2
    assert result["steering_group_min_members_per_party"] == 2
    assert result["follow_ups_per_year"] == 4


@pytest.mark.parametrize(
    ("text", "meetings"),
    [
        ("Styrgruppen sammankallas ca två gånger/år.", 2),
        ("Styrgruppen sammanträder kvartalsvis.", 4),
        ("Styrgruppen träffas minst en gång per termin.", 2),
    ],
)
def test_steering_group_meetings(text: str, meetings: int) -> None:
    assert draft(text)["steering_group_min_meetings_per_year"] == meetings


def test_cooperation_group_is_not_the_steering_group() -> None:
    result = draft("Samverkansgruppen träffas minst två gånger per termin.")
    assert result["steering_group_min_meetings_per_year"] is None


@pytest.mark.parametrize(
    ("text", "per_year"),
    [
        ("De mål och indikatorer som finns i överenskommelsen följs upp två gånger per år.", 2),
        ("Löpande budget- och verksamhetsuppföljning görs kvartalsvis.", 4),
        ("Måluppfyllelsen redovisas till nämnden en gång per år.", 1),
    ],
)
def test_follow_ups(text: str, per_year: int) -> None:
    assert draft(text)["follow_ups_per_year"] == per_year


# --- parties and metadata ------------------------------------------------------------------------


def test_parties_from_org_numbers_and_sections() -> None:
    result = parse_text(
        "Överenskommelse om IOP\n\nOffentlig sektor\n\n- Socialförvaltningen Centrum, Göteborg stad, "
        "organisationsnummer 212000-1355\n\nIdéburen sektor\n\n- Skyddsvärnet i Göteborg, organisationsnummer "
        "857201-5728\n\nPartnerskapet mellan Göteborgs stad och Skyddsvärnet i Göteborg etablerades 2016."
    )
    assert result["public_parties"] == [{"name": "Socialförvaltningen Centrum", "org_number": "212000-1355"}]
    assert result["nonprofit_parties"] == [{"name": "Skyddsvärnet i Göteborg", "org_number": "857201-5728"}]


def test_bad_check_digit_is_warned_and_dropped() -> None:
    result = parse_text(
        "Överenskommelse om IOP mellan Socialnämnden Norr och Föreningen Alfa.\n\n"
        "Föreningen Alfa (organisationsnummer 802473-9413) är en ideell förening."
    )
    assert result["nonprofit_parties"] == [{"name": "Föreningen Alfa", "org_number": None}]
    assert {
        "code": "importer.warning.org_number_check_digit",
        "params": {"number": "802473-9413", "name": "Föreningen Alfa"},
    } in result["warnings"]


def test_personal_identity_numbers_are_ignored() -> None:
    result = parse_text(
        "Överenskommelse om IOP mellan Socialnämnden Norr och Föreningen Alfa.\n\nKontaktperson Anna Berg, 850101-1234."
    )
    assert all(p["org_number"] is None for p in result["nonprofit_parties"] + result["public_parties"])
    assert "850101" not in str(result["warnings"])


def test_dialogue_parties() -> None:
    result = parse_text(
        HEAD + "Förskoleförvaltningen i Göteborg finns med som dialogpart. I detta partnerskap är "
        "förskoleförvaltningen en aktiv dialogpart."
    )
    assert result["dialogue_parties"] == ["Förskoleförvaltningen"]
    assert all("Förskole" not in p["name"] for p in result["public_parties"])


def test_decision_report_metadata() -> None:
    result = parse_text(
        "Tjänsteutlåtande\nUtfärdat 2025-05-28\nÄrendenummer SOCN-2025-00771\n\n"
        "Förslag till beslut\nSocialnämnden Nordost beslutar att godkänna överenskommelsen om IOP "
        "mellan Socialnämnden Nordost och föreningen Tidigt föräldrastöd."
    )
    assert result["document_type"] == "decision_report"
    assert result["case_number"] == "SOCN-2025-00771"
    assert result["issued_on"] == "2025-05-28"


@pytest.mark.parametrize(
    ("text", "case_number"),
    [
        ("Dnr 1.2.3-456/2024", "1.2.3-456/2024"),
        ("Diarienummer: SN 2024/123", "SN 2024/123"),
        ("Diarienummer: N2024-0456", "N2024-0456"),
        ("Vårt dnr: KS 2024/0012", "KS 2024/0012"),
        ("Ärende SOCN-2025-00771 gäller", "SOCN-2025-00771"),
    ],
)
def test_case_numbers(text: str, case_number: str) -> None:
    assert parse_text("Överenskommelse om IOP\n" + text)["case_number"] == case_number


def test_place_and_date_line_is_the_issue_date_but_a_period_label_is_not() -> None:
    assert draft("Avtalstid 2025-01-01\n\nGöteborg 2025-02-01")["issued_on"] == "2025-02-01"
    assert draft("Startdatum: 2025-01-01")["issued_on"] is None
