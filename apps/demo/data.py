# SPDX-License-Identifier: EUPL-1.2
"""The three real agreements in shared/seeds (Göteborg 2024–2025) as structured facts.

Entered by hand from the documents: only what the documents state. Values the documents do not give
(e.g. Reningsborg's organisationsnummer, the committee's decision date) are left empty, not invented.
"""

from __future__ import annotations

import datetime as dt

D = dt.date
GBG = "212000-1355"  # Göteborgs kommun; the city's committees and departments share its number

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
]

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
]

# Money as the documents state it (issue 3). Keyed by agreement title; amounts are exact kronor.
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
}
