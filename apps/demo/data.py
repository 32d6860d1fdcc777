# SPDX-License-Identifier: EUPL-1.2
"""The three real agreements in shared/seeds (Göteborg 2024–2025) as structured facts, and a second municipality.

Göteborg's agreements are entered by hand from the documents: only what the documents state. Values the
documents do not give (e.g. Reningsborg's organisationsnummer, the committee's decision date) are left
empty, not invented.

Mölndals stad is a second tenant so that the demo shows what tenancy means: its committee, its case officer
and two agreements of its own, one with a non-profit that Göteborg works with too (Föreningen Tidigt
föräldrastöd, whose partner login then sees agreements from both municipalities). Mölndal's organisations
and organisationsnummer are real; its two agreements are made-up examples (each says so in its background),
not documents.
"""

from __future__ import annotations

import datetime as dt

D = dt.date
GBG = "212000-1355"  # Göteborgs kommun; the city's committees and departments share its number
MLN = "212000-1488"  # Mölndals kommun, likewise
MLN_COMMITTEE = "Social- och arbetsmarknadsnämnden"
# Made up for the demo, like the agreements it is party to: no organisationsnummer is invented for it.
MLN_NONPROFIT = "Föreningen Läxhjälpen i Kvarnbyn"
MADE_UP = "Påhittat exempel i demodata (inte ett verkligt avtal): "

ORGANISATIONS = [
    # (name, org_number, kind, parent)
    ("Göteborgs Stad", GBG, "public_body", None),
    ("Socialnämnden Nordost", GBG, "public_body", "Göteborgs Stad"),
    ("Socialförvaltningen Nordost", GBG, "public_body", "Socialnämnden Nordost"),
    ("Socialnämnden Sydväst", GBG, "public_body", "Göteborgs Stad"),
    ("Socialförvaltningen Sydväst", GBG, "public_body", "Socialnämnden Sydväst"),
    ("Socialnämnden Centrum", GBG, "public_body", "Göteborgs Stad"),
    ("Socialförvaltningen Centrum", GBG, "public_body", "Socialnämnden Centrum"),
    ("Förskolenämnden", GBG, "public_body", "Göteborgs Stad"),
    ("Förskoleförvaltningen", GBG, "public_body", "Förskolenämnden"),
    ("Reningsborg", "", "non_profit", None),
    ("Skyddsvärnet i Göteborg", "857201-5728", "non_profit", None),
    ("Föreningen Tidigt föräldrastöd", "802473-9412", "non_profit", None),
    # The second tenant.
    ("Mölndals stad", MLN, "public_body", None),
    (MLN_COMMITTEE, MLN, "public_body", "Mölndals stad"),
    (MLN_NONPROFIT, "", "non_profit", None),
]

USERS = [
    # (username, first name, last name, [(organisation, role)])
    (
        "handlaggare",
        "Hanna",
        "Handläggare",
        [
            ("Socialnämnden Nordost", "case_officer"),
            ("Socialnämnden Sydväst", "case_officer"),
            ("Socialnämnden Centrum", "case_officer"),
        ],
    ),
    ("controller", "Conny", "Controller", [("Göteborgs Stad", "controller")]),
    # The platform's index keeper: keeps the national PKV series (finance.keep_national_index), no membership.
    ("plattform", "Petra", "Plattform", []),
    ("partner-reningsborg", "Rut", "Reningsborg", [("Reningsborg", "partner_editor")]),
    ("partner-skyddsvarnet", "Sam", "Skyddsvärnet", [("Skyddsvärnet i Göteborg", "partner_editor")]),
    ("partner-tidigt", "Tove", "Tidigt föräldrastöd", [("Föreningen Tidigt föräldrastöd", "partner_editor")]),
    # Mölndal's case officer: sees and registers only Mölndal's agreements.
    ("handlaggare-molndal", "Maja", "Handläggare Mölndal", [(MLN_COMMITTEE, "case_officer")]),
]
# Who registers each agreement (a case officer of its public party): Göteborg's unless the agreement says.
DEFAULT_OFFICER = "handlaggare"

AGREEMENTS = [
    {
        "title": "Överenskommelse om IOP – Reningsborg och UngSydväst, föräldrastöd i Tynnered och Frölunda/Tofta",
        "status": "ended",
        "case_number": "",
        "case_officer_name": "",
        "start_date": D(2024, 12, 1),
        "end_date": D(2025, 12, 31),
        "extension_max_months": None,
        "notice_period_months": None,
        "renewal_decision_months_before_end": None,
        "ends_automatically": True,
        "purpose": (
            "Att stärka egenmakten hos föräldrar/vårdnadshavare från Tynnered och Frölunda/Tofta kring "
            "normbrytande beteende och riskbeteende hos barn och unga, och genom information och stöd bidra till "
            "att bygga tillit till socialtjänstens stöd samt andra aktörer i lokalsamhället. Partnerskapet ska "
            "bidra till stärkt samverkan i lokalsamhället i syfte att förebygga missbruksproblematik, skolavbrott "
            "samt att barn och unga rekryteras och utnyttjas av kriminella nätverk."
        ),
        "background": (
            "Som del i Kommunfullmäktiges kompletterande budget den 19 juni 2024 avsattes en kommuncentral post på "
            "8 mnkr för åtgärder rörande drogfri skola. Socialförvaltningen Sydväst avropar medel för ett "
            "förebyggande arbete riktat i första hand till vårdnadshavare, i samarbete mellan UngSydväst och "
            "Reningsborg."
        ),
        "target_group": "Föräldrar och vårdnadshavare som bor i Frölunda/Tofta och Centrala Tynnered.",
        "target_area": "Frölunda/Tofta och Centrala Tynnered",
        "values": "Partnerskapet präglas av gemensam målbild samt ömsesidig tillit, öppenhet och dialog.",
        "parties": [
            ("Socialförvaltningen Sydväst", "public", "Annika Ljungh", "Förvaltningsdirektör"),
            ("Reningsborg", "nonprofit", "Mikael Albertsson", "Direktör"),
        ],
        "decision": None,
        "interventions": [
            {
                "key": "brobyggare",
                "kind": "overall",
                "label": "",
                "title": "Områdesarbete ”Brobyggare” inkl. Föräldraforum",
                "description": "Relationsskapande områdesarbete riktat till föräldrar och vårdnadshavare i Tynnered "
                "och Frölunda/Tofta, Föräldraforum och implementering av reparativa cirkelsamtal. "
                "100 % av en heltid hos Reningsborg; 20 % från UngSydväst.",
            },
        ],
        "goals": [
            {
                "key": "overall",
                "text": "Barn och unga växer upp i trygghet genom att bidra till att stärka "
                "föräldrarnas förmåga att möta barnets behov.",
                "indicators": [
                    {
                        "name": "Antal föräldrar och vårdnadshavare som nåtts av stöd från verksamheten under avtalstiden, "
                        "könsindelat",
                        "kind": "count_by_dimensions",
                        "dimensions": ["gender"],
                        "collected_by": ["Reningsborg"],
                        "follow_ups_per_year": 4,
                    },
                    {
                        "name": "Redovisning och analys av kvalitativa data, t.ex. enkät eller intervjuer med "
                        "representanter från målgruppen",
                        "kind": "qualitative",
                        "collected_by": ["Reningsborg", "Socialförvaltningen Sydväst"],
                        "follow_ups_per_year": 1,
                    },
                ],
            },
            {"parent": "overall", "text": "Föräldrarna vi möter känner sig stärkta i sitt föräldraskap."},
            {
                "parent": "overall",
                "text": "Föräldrarna vi möter upplever ökad egenmakt genom ökad kunskap om sina "
                "rättigheter, möjligheter och ansvar som förälder.",
            },
            {
                "parent": "overall",
                "text": "Föräldrar vi möter har ökad kunskap om vilken social service som finns i "
                "närmiljön och övriga samhället.",
            },
            {"parent": "overall", "text": "Utveckla samtalsmetod för att stödja."},
        ],
    },
    {
        "title": "Överenskommelse om Idéburet offentligt partnerskap (IOP) mellan socialförvaltningen Centrum "
        "och Skyddsvärnet",
        "status": "ended",
        "case_number": "",
        "case_officer_name": "",
        "start_date": D(2025, 2, 1),
        "end_date": D(2025, 12, 31),
        "extension_max_months": None,
        "notice_period_months": None,
        "renewal_decision_months_before_end": 2,
        "ends_automatically": True,
        "purpose": (
            "Genom samsyn, gemensamma mål och samverkan syftar partnerskapet till att öka tryggheten på de platser "
            "i stadsområde Centrum där behoven är som störst enligt socialförvaltningen Centrums lägesbildsarbete, "
            "och att nå människor som lever i social utsatthet och slussa dem vidare till rätt typ av stöd."
        ),
        "background": (
            "Partnerskapet mellan Göteborgs stad och Skyddsvärnet etablerades 2016. Skyddsbussen har sedan 2018 "
            "varit en mobil plattform för trygghetsskapande och uppsökande verksamhet i stadsområdet Centrum. "
            "Skyddsvärnet medverkar också i arbetet att etablera Trygghetsvandring i Majorna."
        ),
        "target_group": "Människor som lever i social utsatthet, särskilt unga, på otrygga platser i stadsområde "
        "Centrum.",
        "target_area": "Stadsområde Centrum",
        "values": "Partnerskapet ska bygga på respekt inför varandras olika förutsättningar, på öppenhet och "
        "dialog, och genomsyras av långsiktighet och transparens.",
        "parties": [
            ("Socialförvaltningen Centrum", "public", "", ""),
            ("Skyddsvärnet i Göteborg", "nonprofit", "", ""),
        ],
        "decision": None,
        "interventions": [
            {
                "key": "skyddsbussen",
                "kind": "overall",
                "label": "",
                "title": "Skyddsbussen",
                "description": "Trygghetsskapande och uppsökande verksamhet med 7 deltidsanställda trygghetsvandrare "
                "(35 %) och en samordnare (40 %), samt medverkan i att etablera trygghetsvandring i "
                "Majorna tillsammans med Familjebostäder.",
            },
        ],
        "goals": [
            {
                "key": "trygghet",
                "text": "Öka tryggheten på otrygga platser identifierade i socialförvaltningen "
                "Centrums lägesbildsarbete",
                "indicators": [
                    {
                        "name": "Antal genomförda pass och antal medarbetare per pass",
                        "kind": "count",
                        "collected_by": ["Skyddsvärnet i Göteborg"],
                        "follow_ups_per_year": 1,
                    },
                    {
                        "name": "Vilka platser som besökts",
                        "kind": "qualitative",
                        "collected_by": ["Skyddsvärnet i Göteborg"],
                        "follow_ups_per_year": 1,
                    },
                ],
            },
            {"text": "Främja kunskapsutbytet mellan stadens och Skyddsvärnets operativa verksamheter"},
            {
                "text": "Bidra till uppsökande arbete på strategiska platser för att nå människor som lever i social "
                "utsatthet och slussa vidare till relevanta insatser",
                "indicators": [
                    {
                        "name": "Händelser och målgrupper som påträffats under passen",
                        "kind": "qualitative",
                        "collected_by": ["Skyddsvärnet i Göteborg"],
                        "follow_ups_per_year": 1,
                    },
                ],
            },
            {"text": "Bidra till socialförvaltning Centrums lägesbildsarbete"},
        ],
    },
    {
        "title": "Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028",
        "status": "active",
        "case_number": "SOCN-2025-00771",
        "case_officer_name": "Kajsa Ahlström",
        "start_date": D(2025, 7, 1),
        "end_date": D(2028, 7, 1),
        "extension_max_months": 12,
        "notice_period_months": 4,
        "renewal_decision_months_before_end": 6,
        "ends_automatically": True,
        "purpose": (
            "Att genom samverkan stärka målgruppens föräldraförmåga, öka kunskap och tillit till samhället och dess "
            "offentliga verksamheter, så att invånare vågar söka hjälp och ta emot stödinsatser i ett tidigt "
            "skede. Det övergripande målet är att bidra till jämlika uppväxtvillkor för barn och unga i Nordöstra "
            "Göteborg."
        ),
        "background": (
            "Föreningen Tidigt föräldrastöd och Socialnämnden Nordost har samverkat genom ett idéburet offentligt "
            "partnerskap 2022–2025. I det nya avtalet ingår insatsen Mentormammor i Bergsjön som tidigare utgjort "
            "en bilaga till huvudavtalet."
        ),
        "target_group": "Föräldrar eller andra viktiga vuxna kring barn som står långt från det svenska samhället. "
        "Målgruppen ska bo i nordöstra Göteborg.",
        "target_area": "Nordöstra Göteborg",
        "values": "Partnerskapet ska bygga på respekt inför varandras olika förutsättningar, öppenhet och dialog. "
        "Förbindelserna ska karaktäriseras av ömsesidig tillit, lyhördhet och förståelse.",
        "parties": [
            ("Socialnämnden Nordost", "public", "", "Förvaltningsdirektör"),
            ("Föreningen Tidigt föräldrastöd", "nonprofit", "", ""),
            ("Förskoleförvaltningen", "dialogue", "", ""),
        ],
        "decision": {
            "body": "Socialnämnden Nordost",
            "decided_on": None,
            "paragraph": "",
            "fsg_informed_on": D(2025, 6, 17),
        },
        "interventions": [
            {"key": "bro", "kind": "overall", "label": "", "title": "Brobyggande och uppsökande arbete"},
            {"key": "kurser", "kind": "overall", "label": "", "title": "Kurser"},
            {"key": "info", "kind": "overall", "label": "", "title": "Information, dialog- och nätverksträffar"},
            {"key": "indiv", "kind": "overall", "label": "", "title": "Individuella stödjande insatser"},
            {
                "key": "del1",
                "kind": "local",
                "label": "Del 1",
                "title": "Kulturtolkar i Angered",
                "description": "Samverkan med socialtjänsten (särskilt Barn och Unga 8 i Lövgärdet) och mötesplatsen "
                "Kryddan.",
            },
            {"key": "del1a", "kind": "local", "label": "", "title": "Samverkan med socialtjänsten", "parent": "del1"},
            {"key": "del1b", "kind": "local", "label": "", "title": "Mötesplatsen Kryddan", "parent": "del1"},
            {
                "key": "del2",
                "kind": "local",
                "label": "Del 2",
                "title": "Mentormammor i Bergsjön",
                "description": "Samarbete med föräldrastödjare, föräldrastöd till föräldrar med barn med "
                "funktionsnedsättning och hembesök.",
            },
            {
                "key": "del2a",
                "kind": "local",
                "label": "",
                "title": "Samarbete med föräldrastödjare från socialförvaltningen",
                "parent": "del2",
            },
            {
                "key": "del2b",
                "kind": "local",
                "label": "",
                "title": "Föräldrastöd till föräldrar med barn med funktionsnedsättning",
                "parent": "del2",
            },
            {"key": "del2c", "kind": "local", "label": "", "title": "Hembesök", "parent": "del2"},
        ],
        "goals": [
            {"key": "overall", "text": "Bidra till jämlika uppväxtvillkor för barn och unga i Nordöstra Göteborg"},
            {
                "parent": "overall",
                "text": "Ökad tillit och tillgång till socialtjänsten, välfärdssystem och civilsamhället",
            },
            {"parent": "overall", "text": "Stärkt föräldraförmåga"},
            {"parent": "overall", "text": "Stärkta föräldra-barn relationer"},
            {"parent": "overall", "text": "Tidigare stödinsatser till familjer med behov av stöd"},
            {"parent": "overall", "text": "Ömsesidig kompetensutveckling mellan samarbetsparterna"},
            # Del 1 – Kulturtolkar i Angered
            {
                "intervention": "del1",
                "text": "Tillit till socialtjänsten samt tidigare insatser för barn/familjer",
                "indicators": [
                    {
                        "name": "Antal gemensamma kontakter/aktiviteter mellan BoU 8 och Tidigt föräldrastöd",
                        "collected_by": ["Socialnämnden Nordost"],
                    }
                ],
            },
            {
                "intervention": "del1",
                "text": "Tillit till socialtjänsten och andra välfärdssystem samt stärkt föräldraförmåga",
                "indicators": [
                    {
                        "name": "Antal föräldrar som kulturtolkar stöttar i enskilda ärenden (främst i kontakt "
                        "med socialtjänsten)",
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    }
                ],
            },
            {
                "intervention": "del1",
                "text": "Stärkt föräldraförmåga och stärkta föräldra-barn relationer",
                "indicators": [
                    {
                        "name": "Antal kurser, information-, dialog- och nätverksträffar",
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    },
                    {
                        "name": "Antal deltagare fördelat på språkgrupp och kön",
                        "kind": "count_by_dimensions",
                        "dimensions": ["language_group", "gender"],
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    },
                    {"name": "Kursutvärderingar", "kind": "share", "collected_by": ["Föreningen Tidigt föräldrastöd"]},
                ],
            },
            {
                "intervention": "del1",
                "text": "Kryddan ska vara en öppen mötesplats och gynna de andra insatserna",
                "indicators": [
                    {
                        "name": "Kvalitativ uppföljning",
                        "kind": "qualitative",
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    }
                ],
            },
            # Del 2 – Mentormammor i Bergsjön
            {
                "intervention": "del2",
                "text": "Ömsesidig kompetensutveckling mellan samarbetsparterna",
                "indicators": [
                    {
                        "name": "Kvalitativ uppföljning med mentormammor och samarbetsparter",
                        "kind": "qualitative",
                        "collected_by": ["Socialnämnden Nordost", "Föreningen Tidigt föräldrastöd"],
                    }
                ],
            },
            {
                "intervention": "del2",
                "text": "Ökad tillit och tillgång till socialtjänsten, välfärdssystem och civilsamhället",
                "indicators": [
                    {"name": "Antal träffar", "collected_by": ["Föreningen Tidigt föräldrastöd"]},
                    {
                        "name": "Antal deltagare per tillfälle, fördelat på språkgrupp och kön",
                        "kind": "count_by_dimensions",
                        "dimensions": ["language_group", "gender"],
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    },
                ],
            },
            {
                "intervention": "del2",
                "text": "Ökad föräldraförmåga",
                "indicators": [
                    {"name": "Antal deltagare på kurser", "collected_by": ["Föreningen Tidigt föräldrastöd"]},
                    {"name": "Kursutvärderingar", "kind": "share", "collected_by": ["Föreningen Tidigt föräldrastöd"]},
                ],
            },
            {
                "intervention": "del2",
                "text": "Stärkta föräldra-barn relationer",
                "indicators": [
                    {"name": "Kursutvärderingar", "kind": "share", "collected_by": ["Föreningen Tidigt föräldrastöd"]},
                    {
                        "name": "Kvalitativ uppföljning genom fokusgruppsdiskussion med målgruppen",
                        "kind": "qualitative",
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    },
                ],
            },
            {
                "intervention": "del2",
                "text": "Tidigare stödinsatser till familjer med behov av stöd",
                "indicators": [
                    {
                        "name": "Antal träffar/deltagare",
                        "collected_by": ["Socialnämnden Nordost", "Föreningen Tidigt föräldrastöd"],
                    },
                    {
                        "name": "Kvalitativ uppföljning med mentormammor och samarbetspartner",
                        "kind": "qualitative",
                        "collected_by": ["Socialnämnden Nordost", "Föreningen Tidigt föräldrastöd"],
                    },
                ],
            },
        ],
    },
    # Mölndal (the second tenant): made-up examples, see the module's docstring.
    {
        "title": "Idéburet offentligt partnerskap med Tidigt föräldrastöd i Mölndal 2025–2027",
        "registered_by": "handlaggare-molndal",
        "status": "active",
        "case_number": "SAN 2024/0312",
        "case_officer_name": "Maja Handläggare Mölndal",
        "start_date": D(2025, 1, 1),
        "end_date": D(2027, 12, 31),
        "extension_max_months": 12,
        "notice_period_months": 6,
        "renewal_decision_months_before_end": 6,
        "ends_automatically": True,
        "purpose": (
            "Att stärka föräldrar i Mölndal som står långt från samhällets stöd i sitt föräldraskap, och att "
            "bygga tillit mellan familjerna och socialtjänsten i Mölndal."
        ),
        "background": MADE_UP + "Mölndals stad vill pröva Tidigt föräldrastöds arbetssätt med mentormammor, som "
        "föreningen har utvecklat i nordöstra Göteborg.",
        "target_group": "Föräldrar med barn 0–12 år i Mölndal som har kort tid i Sverige.",
        "target_area": "Mölndal",
        "values": "Partnerskapet bygger på ömsesidig tillit, öppenhet och respekt för föreningens självständighet.",
        "parties": [
            (MLN_COMMITTEE, "public", "", "Socialchef"),
            ("Föreningen Tidigt föräldrastöd", "nonprofit", "", ""),
        ],
        "decision": {"body": MLN_COMMITTEE, "decided_on": D(2024, 11, 20), "paragraph": "§ 142"},
        "interventions": [
            {"key": "mentor", "kind": "overall", "label": "", "title": "Mentormammor i Mölndal"},
        ],
        "goals": [
            {
                "key": "overall",
                "intervention": "mentor",
                "text": "Föräldrar i Mölndal söker stöd tidigare och känner sig tryggare i sitt föräldraskap",
                "indicators": [
                    {
                        "name": "Antal föräldrar som mentormammorna stöttat, fördelat på kön",
                        "kind": "count_by_dimensions",
                        "dimensions": ["gender"],
                        "collected_by": ["Föreningen Tidigt föräldrastöd"],
                    },
                    {
                        "name": "Kvalitativ uppföljning med socialtjänsten i Mölndal",
                        "kind": "qualitative",
                        "collected_by": [MLN_COMMITTEE, "Föreningen Tidigt föräldrastöd"],
                        "follow_ups_per_year": 1,
                    },
                ],
            },
            {"parent": "overall", "text": "Ökad kännedom om socialtjänstens stöd bland föräldrarna"},
        ],
    },
    {
        "title": "Överenskommelse om IOP – läxhjälp och öppen fritid i Kvarnbyn",
        "registered_by": "handlaggare-molndal",
        "status": "active",
        "case_number": "SAN 2024/0187",
        "case_officer_name": "Maja Handläggare Mölndal",
        "start_date": D(2024, 8, 1),
        "end_date": D(2026, 6, 30),
        "extension_max_months": None,
        "notice_period_months": 3,
        "renewal_decision_months_before_end": 2,
        "ends_automatically": True,
        "purpose": "Att ge barn och unga i Kvarnbyn stöd i skolarbetet och en trygg mötesplats efter skolan.",
        "background": MADE_UP + "Föreningen har drivit läxhjälp i Kvarnbyn med ideella krafter sedan 2019.",
        "target_group": "Barn och unga 10–16 år i Kvarnbyn.",
        "target_area": "Kvarnbyn, Mölndal",
        "values": "Parterna möts som jämbördiga och delar kunskap om barnens och de ungas behov.",
        "parties": [
            (MLN_COMMITTEE, "public", "", ""),
            (MLN_NONPROFIT, "nonprofit", "", "Ordförande"),
        ],
        "decision": None,
        "interventions": [
            {"key": "laxhjalp", "kind": "overall", "label": "", "title": "Läxhjälp tre eftermiddagar i veckan"},
            {"key": "fritid", "kind": "overall", "label": "", "title": "Öppen fritid på fredagskvällar"},
        ],
        "goals": [
            {
                "intervention": "laxhjalp",
                "text": "Fler barn klarar skolarbetet",
                "indicators": [
                    {
                        "name": "Antal barn som deltagit i läxhjälpen, fördelat på kön",
                        "kind": "count_by_dimensions",
                        "dimensions": ["gender"],
                        "collected_by": [MLN_NONPROFIT],
                    }
                ],
            },
            {
                "intervention": "fritid",
                "text": "Unga har en trygg mötesplats på fredagskvällar",
                "indicators": [{"name": "Antal besök", "collected_by": [MLN_NONPROFIT]}],
            },
        ],
    },
]

# Money as the documents state it (issue 3; Mölndal's made up). Keyed by agreement title; amounts are exact kronor.
PKV_EXAMPLES = [
    # (year of the October value, percent) – demo values, NOT figures published by SKR.
    (2024, "3.1"),
    (2025, "2.8"),
]

FINANCE = {
    "Idéburet offentligt partnerskap med Tidigt föräldrastöd 2025-2028": {
        "basis": "annual",
        "annual_amount": "4040000",
        "default_source": "Socialnämnden Nordost",
        "index": "PKV",
        "index_reference_month": 10,
        "payment_frequency": "semiannual",
        "payment_in_advance": True,
        "payment_months": [1, 7],
        "sources": [
            {
                "name": "Folkhälsomedel",
                "annual_amount": "800000",
                "invoiced_separately": True,
                "co_financing": "50/50 mellan Delregional nämnd Göteborg (VGR) och Socialnämnden Nordost",
            }
        ],
        "lines": [
            (
                "Del 1",
                "Löner: projektledare 60%, ekonom 10%, kulturtolkar 230% fördelat på flera tjänster.",
                "personnel",
                "projektledare 60 %, ekonom 10 %, kulturtolkar 230 %",
                "1760000",
            ),
            ("Del 1", "Andel av lokalhyra Kryddan samt kontorslokal i Lövgärdet.", "premises", "", "110000"),
            (
                "Del 1",
                "Andra verksamhetskostnader (informationsspridning, marknadsföring, resor, telefon, kontorsmaterial)",
                "other",
                "",
                "30000",
            ),
            (
                "Del 2",
                "Löner: projektledare 85%, ekonom 10%, mentormammor 255% fördelat på flera tjänster.",
                "personnel",
                "projektledare 85 %, ekonom 10 %, mentormammor 255 %",
                "2000000",
            ),
            (
                "Del 2",
                "Externa tjänster (föreläsare, revisor och ekonomikonsult vid behov)",
                "external_services",
                "",
                "60000",
            ),
            (
                "Del 2",
                "Andra verksamhetskostnader (informationsspridning, marknadsföring, resor, telefon, "
                "kontorsmaterial etc.)",
                "other",
                "",
                "80000",
            ),
        ],
    },
    "Överenskommelse om Idéburet offentligt partnerskap (IOP) mellan socialförvaltningen Centrum och Skyddsvärnet": {
        "basis": "total",
        "total_amount": "1275750",
        "default_source": "Socialförvaltningen Centrum",
        "payment_frequency": "semiannual",
        "payment_in_advance": False,
        "payment_months": [],
        "sources": [],
        "lines": [
            (
                "",
                "Personalkostnader",
                "personnel",
                "7 deltidsanställda trygghetsvandrare á 35 %, 1 samordnare á 40 % samt ledningsfunktion",
                "1060000",
            ),
            ("", "Drift och underhåll", "other", "", "78750"),
            ("", "Handledning samt utbildning av personal", "external_services", "", "40000"),
            ("", "Förbrukningskostnader inklusive fika", "other", "", "77000"),
            ("", "Telefoni", "other", "", "10000"),
            ("", "Larm", "other", "", "10000"),
        ],
    },
    "Överenskommelse om IOP – Reningsborg och UngSydväst, föräldrastöd i Tynnered och Frölunda/Tofta": {
        "basis": "total",
        "total_amount": "800000",
        "default_source": "Socialförvaltningen Sydväst",
        "payment_frequency": "once",
        "payment_in_advance": True,
        "payment_months": [],
        "sources": [],
        "lines": [
            (
                "brobyggare",
                "Områdesarbete ”Brobyggare” inkl. Föräldraforum",
                "personnel",
                "100 % av en heltid",
                "750000",
            ),
            ("", "Övriga kostnader t.ex. material, fika etc.", "other", "", "50000"),
        ],
    },
    "Idéburet offentligt partnerskap med Tidigt föräldrastöd i Mölndal 2025–2027": {
        "basis": "annual",
        "annual_amount": "1385000",
        "default_source": MLN_COMMITTEE,
        "index": "PKV",
        "index_reference_month": 10,
        "payment_frequency": "semiannual",
        "payment_in_advance": True,
        "payment_months": [1, 7],
        "sources": [
            {
                "name": "Statsbidrag för föräldraskapsstöd",
                "annual_amount": "215000",
                "invoiced_separately": False,
                "co_financing": "",
            }
        ],
        "lines": [
            (
                "mentormammor",
                "Löner: samordnare 50 %, mentormammor 150 %",
                "personnel",
                "samordnare 50 %, mentormammor 150 %",
                "1165000",
            ),
            ("", "Lokal för träffar", "premises", "", "132000"),
            ("", "Tolk, material och resor", "other", "", "88000"),
        ],
    },
    "Överenskommelse om IOP – läxhjälp och öppen fritid i Kvarnbyn": {
        "basis": "total",
        "total_amount": "643500",
        "default_source": MLN_COMMITTEE,
        "payment_frequency": "semiannual",
        "payment_in_advance": False,
        "payment_months": [],
        "sources": [],
        "lines": [
            ("", "Arvoden till läxhjälpare och fritidsledare", "personnel", "", "521500"),
            ("", "Fika, material och utflykter", "other", "", "122000"),
        ],
    },
}
