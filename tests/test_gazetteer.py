"""Tests of the gazetteer data (data/gazetteer/places.csv) and of smolgraph.gazetteer."""
from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from smolgraph._paths import data_dir
from smolgraph.gazetteer import Gazetteer, Place, PlaceMatch, load_gazetteer

CSV = data_dir() / "gazetteer" / "places.csv"
BUILDER = data_dir() / "gazetteer" / "build_gazetteer.py"
REPORT = Path(__file__).resolve().parents[2] / "shared" / "reports" / "smolensk-2025-q1.txt"
COLUMNS = ["id", "kind", "level", "name_ru", "parent_id", "country", "iso3166", "geonames_id", "wikidata",
           "adjective_ru", "aliases_ru", "name_en", "iso3166_numeric", "lat", "lon", "coord_source"]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def ids(places) -> list[str]:
    return [p.id for p in places]


def found(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(m.place.id, m.text) for m in gaz.find(text)]


# -- the data -----------------------------------------------------------------

def test_csv_has_the_documented_columns():
    with open(CSV, encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS


def test_ids_are_unique_ascii_and_rows_complete():
    with open(CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["id"].isascii() and " " not in r["id"], r["id"]
        assert r["kind"] in {"country", "region", "city", "town", "district", "municipality", "macroregion"}, r
        assert r["level"] in {"0", "1", "2", "3"}, r
        assert r["name_ru"] and "ё" not in r["name_ru"], r  # ё-forms live in the aliases


def test_every_parent_exists_and_every_chain_ends_at_its_country(gaz):
    for place in gaz:
        if place.kind == "macroregion":
            assert place.parent is None and place.country is None and place.level == 0
            continue
        chain = [place] + gaz.ancestors(place.id)
        top = chain[-1]
        assert top.kind == "country", place.id
        assert place.country == top.id, place.id
        levels = [p.level for p in chain]
        assert levels == sorted(levels, reverse=True) and len(set(levels)) == len(levels), (place.id, levels)


def test_belarus_has_118_districts_with_the_official_counts_per_oblast(gaz):
    districts = [p for p in gaz if p.country == "BY" and p.kind == "district"]
    assert len(districts) == 118
    per_oblast = Counter(gaz.region_of(p.id).name for p in districts)
    assert per_oblast == {
        "Брестская область": 16, "Витебская область": 21, "Гомельская область": 21,
        "Гродненская область": 17, "Минская область": 22, "Могилевская область": 21,
    }
    assert all(p.level == 2 and p.adjective and p.name == f"{p.adjective} район" for p in districts)


def test_belarus_first_level_units_are_six_oblasts_and_minsk(gaz):
    units = {p.id: p for p in gaz if p.country == "BY" and p.level == 1}
    assert set(units) == {"BY-BR", "BY-VI", "BY-HO", "BY-HR", "BY-MI", "BY-MA", "BY-HM"}
    assert all(p.iso == p.id for p in units.values())
    assert units["BY-MA"].name == "Могилевская область" and "Могилёвская область" in units["BY-MA"].aliases


def test_minsk_is_its_own_unit_not_part_of_minsk_region(gaz):
    minsk = gaz.get("BY-HM")
    assert (minsk.kind, minsk.level, minsk.parent, minsk.name) == ("city", 1, "BY", "Минск")
    assert "BY-MI" not in ids(gaz.ancestors("BY-HM"))
    assert gaz.region_of("BY-HM").id == "BY-HM"


def test_cities_of_oblast_subordination_sit_under_their_oblast(gaz):
    cities = [p for p in gaz if p.country == "BY" and p.kind == "city" and p.level == 3]
    assert len(cities) == 21
    assert all(gaz.get(p.parent).level == 1 for p in cities)
    assert gaz.get("BY-VI-novopolotsk").parent == "BY-VI"
    assert gaz.get("BY-VI-vitebsk").parent == "BY-VI"
    assert gaz.get("BY-BR-brest").parent == "BY-BR"


def test_district_seats_sit_under_their_district(gaz):
    assert gaz.get("BY-VI-senno").parent == "BY-VI-senno-district"
    assert gaz.get("BY-VI-glubokoe").parent == "BY-VI-glubokoe-district"
    assert gaz.get("BY-MI-marina-gorka").parent == "BY-MI-pukhovichi-district"
    assert ids(gaz.ancestors("BY-VI-senno")) == ["BY-VI-senno-district", "BY-VI", "BY"]


def test_russia_has_89_federal_subjects(gaz):
    subjects = [p for p in gaz if p.country == "RU" and p.level == 1]
    assert len(subjects) == 89
    names = {p.name for p in subjects}
    assert {"Донецкая Народная Республика", "Луганская Народная Республика", "Запорожская область",
            "Херсонская область", "Республика Крым", "Севастополь", "Москва", "Смоленская область"} <= names
    assert gaz.get("RU-SMO").iso == "RU-SMO"
    assert gaz.get("RU-dnr").iso is None and "ДНР" in gaz.get("RU-dnr").aliases
    assert {p.id for p in subjects if p.kind == "city"} == {"RU-MOW", "RU-SPE", "RU-sevastopol"}


def test_smolensk_oblast_municipalities_and_towns(gaz):
    municipalities = [p for p in gaz if p.parent == "RU-SMO" and p.kind == "municipality"]
    assert len(municipalities) == 25
    assert gaz.get("RU-SMO-krasninskiy-okrug").name == "Краснинский муниципальный округ"
    assert "Новодугинский район" in gaz.get("RU-SMO-novoduginskiy-okrug").aliases
    assert gaz.get("RU-SMO-vyazma").parent == "RU-SMO-vyazemskiy-okrug"
    for city in ("RU-SMO-smolensk", "RU-SMO-desnogorsk"):  # city okrugs, outside any district
        assert gaz.get(city).parent == "RU-SMO"


def test_every_iso_country_and_the_partly_recognised_states_are_there(gaz):
    pycountry = pytest.importorskip("pycountry")
    countries = {p.id for p in gaz if p.kind == "country"}
    assert {c.alpha_2 for c in pycountry.countries} <= countries
    for code in ("XA", "XO"):  # Abkhazia and South Ossetia: no ISO code
        assert gaz.get(code).kind == "country" and gaz.get(code).iso is None


def test_first_level_units_of_partner_countries(gaz):
    for cc, count in {"KZ": 20, "UZ": 14, "KG": 9, "TJ": 5, "AM": 11, "MN": 22}.items():
        assert len([p for p in gaz if p.country == cc and p.level == 1]) == count, cc
    assert gaz.get("KG-Y-karakol").parent == "KG-Y"
    assert gaz.get("KG-Y").name == "Иссык-Кульская область"
    assert (gaz.get("CN-BJ").kind, gaz.get("CN-BJ").level) == ("city", 1)


def test_macroregions_have_no_country(gaz):
    latin = gaz.resolve("Латинская Америка")[0]
    assert (latin.kind, latin.level, latin.country) == ("macroregion", 0, None)
    assert gaz.country_of(latin.id) is None and gaz.region_of(latin.id) is None


# Belarus between its extreme points (Wikipedia: 51°16′–56°10′ N, 23°11′–32°47′ E), a little wider.
BELARUS_BOX = (51.2, 56.2, 23.1, 32.8)


def test_coordinates_are_degrees_and_belarus_is_inside_its_box(gaz):
    south, north, west, east = BELARUS_BOX
    located = [p for p in gaz if p.lat is not None]
    assert len(located) > 1000
    for place in located:
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180, place.id
        assert place.coord_source in {"geonames", "centre"}, place.id
        if place.country == "BY":
            assert south < place.lat < north and west < place.lon < east, place.id
    for place in gaz:
        if place.coord_source == "geonames":  # an own point is a GeoNames point: the place has its GeoNames id
            assert place.kind in {"city", "town"} and place.geonames is not None, place.id


def test_every_belarusian_and_smolensk_unit_and_settlement_has_a_coordinate(gaz):
    for place in gaz:
        if place.country == "BY" or (place.id.startswith("RU-SMO")):
            assert place.lat is not None and place.lon is not None, place.id


def test_a_unit_without_a_point_of_its_own_takes_its_centre_s(gaz):
    def point(pid):
        place = gaz.get(pid)
        return (place.lat, place.lon)

    for unit, centre in [("BY-VI", "BY-VI-vitebsk"), ("BY-MI", "BY-HM"), ("BY-VI-senno-district", "BY-VI-senno"),
                         ("BY-VI-orsha-district", "BY-VI-orsha"), ("RU-SMO", "RU-SMO-smolensk"),
                         ("RU-SMO-vyazemskiy-okrug", "RU-SMO-vyazma"), ("KG-Y", "KG-Y-karakol"), ("BY", "BY-HM"),
                         ("RU", "RU-MOW")]:
        assert gaz.get(unit).coord_source == "centre", unit
        assert point(unit) == point(centre), unit
    # Vitebsk by its GeoNames point (55°11′ N, 30°12′ E), not by anything derived
    assert gaz.get("BY-VI-vitebsk").coord_source == "geonames"
    assert abs(gaz.get("BY-VI-vitebsk").lat - 55.19) < 0.05 and abs(gaz.get("BY-VI-vitebsk").lon - 30.20) < 0.05
    # no centre is set by law for Московская область: no coordinate rather than a guess
    assert gaz.get("RU-MOS").lat is None


def test_countries_carry_their_iso_numeric_code(gaz):
    assert (gaz.get("BY").numeric, gaz.get("RU").numeric, gaz.get("AF").numeric) == ("112", "643", "004")
    iso = [p for p in gaz if p.kind == "country" and p.iso]
    assert all(p.numeric and len(p.numeric) == 3 and p.numeric.isdigit() for p in iso)
    assert len({p.numeric for p in iso}) == len(iso)
    assert gaz.get("XA").numeric is None and gaz.get("BY-VI").numeric is None


def test_the_csv_is_what_the_builder_makes_from_the_repository_alone():
    pytest.importorskip("pycountry")  # the `gazetteer` extra, which .ci/run installs
    result = subprocess.run([sys.executable, str(BUILDER), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- lookups by id and hierarchy -------------------------------------------------

def test_get_returns_a_place_and_raises_a_clear_key_error(gaz):
    place = gaz.get("BY-VI")
    assert isinstance(place, Place) and place.name == "Витебская область" and place.country == "BY"
    with pytest.raises(KeyError, match="no place with id 'BY-VX'.*BY-VI"):
        gaz.get("BY-VX")


def test_container_protocol(gaz):
    assert "BY-VI" in gaz and "XX-nowhere" not in gaz
    assert len(gaz) == len(list(gaz)) > 1000


def test_region_and_country_of(gaz):
    assert gaz.region_of("BY-VI-senno").id == "BY-VI"
    assert gaz.region_of("BY-VI-novopolotsk").id == "BY-VI"
    assert gaz.region_of("BY") is None
    assert gaz.country_of("BY-VI-senno").id == "BY"
    assert gaz.country_of("BY").id == "BY"
    assert gaz.region_of("XA-sukhum") is None  # directly under its country


# -- resolve ---------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("Витебская область", "BY-VI"),
    ("Витебской области", "BY-VI"),
    ("Витебская обл.", "BY-VI"),
    ("ВИТЕБСКАЯ ОБЛАСТЬ", "BY-VI"),
    ("Витебск", "BY-VI-vitebsk"),
    ("Беларусь", "BY"),
    ("Белоруссия", "BY"),
    ("Республикой Беларусь", "BY"),
    ("BY", "BY"),
    ("BY-VI", "BY-VI"),
    ("by-vi", "BY-VI"),
    ("г. Минск", "BY-HM"),
    ("Минском", "BY-HM"),
    ("Могилёв", "BY-MA-mogilev"),
    ("Могилевская область", "BY-MA"),
    ("Брест", "BY-BR-brest"),
    ("Сенненский р-н", "BY-VI-senno-district"),
    ("Сенненского района", "BY-VI-senno-district"),
    ("Кыргызстан", "KG"),
    ("Киргизия", "KG"),
    ("Республики Кыргызстан", "KG"),
    ("КНР", "CN"),
    ("ОАЭ", "AE"),
    ("Молдавия", "MD"),
    ("ДНР", "RU-dnr"),
    ("Донецкой Народной Республики", "RU-dnr"),
    ("г. Москва", "RU-MOW"),
    ("Краснинский муниципальный округ", "RU-SMO-krasninskiy-okrug"),
    ("Новодугинский район", "RU-SMO-novoduginskiy-okrug"),
    ("в Кардымове", None),  # a phrase, not a name
    ("Кардымове", "RU-SMO-kardymovo"),
    ("Каракол", "KG-Y-karakol"),
    ("Абхазия", "XA"),
])
def test_resolve_the_ways_users_write_places(gaz, name, expected):
    result = ids(gaz.resolve(name))
    if expected is None:
        assert result == []
    else:
        assert result and result[0] == expected, result


def test_resolve_ranks_higher_units_first_and_cities_after_a_city_prefix(gaz):
    assert ids(gaz.resolve("Дубай")) == ["AE-DU", "AE-DU-dubay"]
    assert ids(gaz.resolve("г. Дубай"))[0] == "AE-DU-dubay"


def test_resolve_with_a_country(gaz):
    assert ids(gaz.resolve("Иваново", country="RU")) == ["RU-IVA-ivanovo"]
    assert ids(gaz.resolve("Иваново", country="Беларусь")) == ["BY-BR-ivanovo"]
    assert gaz.resolve("Витебск", country="RU") == []


def test_resolve_unknown_is_empty_and_suggest_offers_close_names(gaz):
    assert gaz.resolve("Витебская обласць") == []
    assert gaz.suggest("Витебская обласць")[0] == "Витебская область"
    assert "Минск" in gaz.suggest("Минсск")
    assert len(gaz.suggest("Могилевская", n=2)) <= 2


# -- by_adjective ----------------------------------------------------------------

def test_by_adjective(gaz):
    assert ids(gaz.by_adjective("Витебского", kind="region")) == ["BY-VI"]
    assert ids(gaz.by_adjective("витебский", kind="city")) == ["BY-VI-vitebsk"]
    assert ids(gaz.by_adjective("Лидского", kind="district")) == ["BY-HR-lida-district"]
    assert ids(gaz.by_adjective("белорусских", kind="country")) == ["BY"]
    assert ids(gaz.by_adjective("индийский", kind="country")) == ["IN"]
    assert ids(gaz.by_adjective("Смоленской", kind="region")) == ["RU-SMO"]
    assert {"BY-VI", "BY-VI-vitebsk", "BY-VI-vitebsk-district"} <= set(ids(gaz.by_adjective("Витебский")))
    assert gaz.by_adjective("зеленых") == []


# -- find ------------------------------------------------------------------------

def test_find_a_delegation_from_an_oblast_committee_is_belarus_only(gaz):
    text = ("делегация Республики Беларусь во главе с заместителем председателя Витебского областного "
            "исполнительного комитета\nА.А. Никитиной.")
    assert found(gaz, text) == [("BY", "Республики Беларусь")]


def test_find_a_list_of_cities(gaz):
    text = "г. Минск, г. Могилев, г. Глубокое, г. Полоцк, \nРеспублика Беларусь"
    assert found(gaz, text) == [
        ("BY-HM", "г. Минск"), ("BY-MA-mogilev", "г. Могилев"), ("BY-VI-glubokoe", "г. Глубокое"),
        ("BY-VI-polotsk", "г. Полоцк"), ("BY", "Республика Беларусь")]
    for match in gaz.find(text):
        assert isinstance(match, PlaceMatch) and text[match.start:match.end] == match.text


def test_find_a_district_a_region_and_a_country(gaz):
    text = ("ГУО «Мошканская средняя школа им. А.К. Горовца Сенненского района» Республики Беларусь; "
            "мастеров Гродненской области Республики Беларусь")
    assert found(gaz, text) == [
        ("BY-VI-senno-district", "Сенненского района"), ("BY", "Республики Беларусь"),
        ("BY-HR", "Гродненской области"), ("BY", "Республики Беларусь")]


def test_find_smolensk_municipalities_and_foreign_countries(gaz):
    text = ("г. Смоленск;\n\nКраснинский муниципальный округ Смоленской области. Школьный Клуб Дипломатии "
            "МБОУ «Астапковичская средняя школа» муниципального образования «Рославльский муниципальный "
            "округ» Смоленской области стала Народная Республика Бангладеш. МБОУ «Школа № 1» "
            "(г. Каракол, Республика Кыргызстан)")
    assert found(gaz, text) == [
        ("RU-SMO-smolensk", "г. Смоленск"), ("RU-SMO-krasninskiy-okrug", "Краснинский муниципальный округ"),
        ("RU-SMO", "Смоленской области"), ("RU-SMO-roslavlskiy-okrug", "Рославльский муниципальный округ"),
        ("RU-SMO", "Смоленской области"), ("BD", "Народная Республика Бангладеш"),
        ("KG-Y-karakol", "г. Каракол"), ("KG", "Республика Кыргызстан")]


def test_find_in_the_city_and_with_the_republic_in_other_cases(gaz):
    assert found(gaz, "Визит делегации в г. Минске и встреча с Республикой Беларусь") == [
        ("BY-HM", "г. Минске"), ("BY", "Республикой Беларусь")]
    assert found(gaz, "делегация г. Новополоцка") == [("BY-VI-novopolotsk", "г. Новополоцка")]


def test_find_skips_adjectives_and_organisation_names(gaz):
    assert gaz.find("изучение опыта белорусских производителей мебели") == []
    assert gaz.find("УО «Минский государственный механико-технологический колледж»") == []
    assert gaz.find("ордена Трудового Красного Знамени филармонии, 80-летие Великой Победы") == []
    assert gaz.find("Новополоцкого городского Совета БРПО") == []


def test_find_everyday_words_only_as_places(gaz):
    assert gaz.find("Глубокое уважение. Мир и дружба") == []
    assert found(gaz, "агрогородок Мир и замок в Мире") == [("BY-HR-mir", "агрогородок Мир"), ("BY-HR-mir", "Мире")]
    assert found(gaz, "музей им. Ю.А. Гагарина в г. Гагарин") == [("RU-SMO-gagarin", "г. Гагарин")]
    assert gaz.find("на пл. Ленина") == []


def test_find_a_district_of_a_city_is_not_the_oblast_district(gaz):
    text = "ГУ «Территориальный центр социального обслуживания населения Октябрьского района г. Витебска»"
    assert found(gaz, text) == [("BY-VI-vitebsk", "г. Витебска")]


def test_find_lists_sharing_one_head_noun(gaz):
    assert ids(m.place for m in gaz.find("комплекса Витебской, Могилевской областей и г. Минска")) == [
        "BY-VI", "BY-MA", "BY-HM"]
    assert ids(m.place for m in gaz.find("Московской, Белгородской и Брянской областей")) == [
        "RU-MOS", "RU-BEL", "RU-BRY"]


def test_find_abbreviations_and_the_longest_match(gaz):
    assert found(gaz, "Витебская обл., Сенненский р-н") == [
        ("BY-VI", "Витебская обл."), ("BY-VI-senno-district", "Сенненский р-н")]
    assert found(gaz, "Гродненской области Республики Беларусь") == [
        ("BY-HR", "Гродненской области"), ("BY", "Республики Беларусь")]


def test_find_picks_the_place_the_context_points_to(gaz):
    assert ids(m.place for m in gaz.find("г. Иваново, Брестская область")) == ["BY-BR-ivanovo", "BY-BR"]
    assert ids(m.place for m in gaz.find("г. Иваново Ивановской области")) == ["RU-IVA-ivanovo", "RU-IVA"]


def test_find_over_the_whole_report():
    if not REPORT.is_file():
        pytest.skip("no ../shared/reports")
    gaz = load_gazetteer()
    text = REPORT.read_text(encoding="utf-8")
    matches = gaz.find(text)
    places = {m.place.id for m in matches}
    assert {"BY", "BY-HM", "BY-MA", "BY-VI", "BY-HR", "BY-HO", "BY-BR-brest", "BY-HR-grodno",
            "BY-VI-senno-district", "BY-VI-orsha-district", "KG", "KG-Y-karakol", "BD", "IN", "AE",
            "AE-DU-dubay", "AE-AZ-abu-dabi", "TJ", "UZ", "VN", "CN", "ID", "TL", "macro-latin-america",
            "RU-SMO", "RU-MOW", "RU-SPE", "RU-dnr", "RU-SMO-vyazma", "RU-SMO-roslavl",
            "RU-SMO-krasninskiy-okrug", "RU-SMO-novoduginskiy-okrug"} <= places
    assert "BY-HO-oktyabrskiy-district" not in places  # "Октябрьского района г. Витебска"
    assert all(text[m.start:m.end] == m.text for m in matches)
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:]))


# -- loading ----------------------------------------------------------------------

def test_load_is_cached_per_path_and_accepts_the_folder_or_the_file(gaz):
    assert load_gazetteer() is gaz
    assert load_gazetteer(CSV.parent) is gaz
    assert load_gazetteer(CSV) is gaz


def test_load_a_missing_gazetteer_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="places.csv"):
        load_gazetteer(tmp_path)


def test_the_lemma_index_is_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_CACHE", str(tmp_path / "cache"))
    rows = "\n".join([",".join(COLUMNS),
                      "BY,country,0,Беларусь,,BY,BY,,,Белорусский,Белоруссия,Belarus",
                      "BY-VI,region,1,Витебская область,BY,BY,BY-VI,,,Витебский,,Vitebsk Region"]) + "\n"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "places.csv").write_text(rows, encoding="utf-8")
    first = load_gazetteer(tmp_path / "a")
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1
    second = load_gazetteer(tmp_path / "b")  # same content: built from the pickle
    assert second is not first
    assert found(second, "в Витебской области Белоруссии") == [("BY-VI", "Витебской области"), ("BY", "Белоруссии")]


def test_a_row_with_an_unknown_parent_is_refused():
    row = dict.fromkeys(COLUMNS, "")
    row.update(id="BY-VI", kind="region", level="1", name_ru="Витебская область", parent_id="BY", country="BY")
    with pytest.raises(ValueError, match="'BY'"):
        Gazetteer([row])


def test_by_adjective_finds_cities_and_towns(gaz):
    assert ids(gaz.by_adjective("Гомельского", kind="city")) == ["BY-HO-gomel"]
    assert ids(gaz.by_adjective("Лидская", kind="city")) == ["BY-HR-lida"]
    assert ids(gaz.by_adjective("Оршанского", kind="city")) == ["BY-VI-orsha"]
    assert ids(gaz.by_adjective("Бегомльской", kind="town")) == ["BY-VI-begoml"]
    # Russian towns are there too, so their adjectives are known to be Russian
    assert "RU-SMO-vyazma" in ids(gaz.by_adjective("Вяземский"))


def test_the_index_cache_follows_the_csv(tmp_path, monkeypatch):
    from smolgraph.gazetteer import _cache_file

    monkeypatch.setenv("SMOLGRAPH_CACHE", str(tmp_path))
    raw = CSV.read_bytes()
    assert _cache_file(raw) == _cache_file(raw)
    assert _cache_file(raw) != _cache_file(raw.replace(b"Gomel", b"Homel"))
