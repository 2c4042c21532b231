"""People written in every form regional reports use, each reduced to one canonical name.

Initials before or after the surname, a full name with patronymic, a first name and a
surname, in any case and with surnames of every declension: all give "В.В. Иванов"
(initials, surname in the nominative, the gender kept).
"""
from __future__ import annotations

import pytest

from smolgraph.extract.people import find_people, merge_initials


def names(text: str) -> list[str]:
    return [p.name for p in find_people(text)]


@pytest.mark.parametrize(
    "text",
    [
        "В.В. Иванов",
        "В. В. Иванов",
        "Иванов В.В.",
        "Иванов В. В.",
        "Ивановым В.В.",
        "Иванов Владимир Викторович",
        "Ивановым Владимиром Викторовичем",
        "Иванова Владимира Викторовича",
        "Владимир Викторович Иванов",
        "встреча с Владимиром Викторовичем Ивановым",
    ],
)
def test_every_form_of_a_man_gives_one_name(text):
    assert names(text) == ["В.В. Иванов"]


@pytest.mark.parametrize(
    "text",
    ["Иванова В.В.", "Иванова В. В.", "Ивановой Веры Викторовны", "Вера Викторовна Иванова", "Ивановой Верой Викторовной"],
)
def test_a_woman_keeps_her_surname(text):
    assert names(text) == ["В.В. Иванова"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # Surnames that decline like nouns.
        ("Гайдамака Владимир Викторович", "В.В. Гайдамака"),
        ("Гайдамаки Владимира Викторовича", "В.В. Гайдамака"),
        ("Гайдамакой Владимиром Викторовичем", "В.В. Гайдамака"),
        ("Гайдамака В.В.", "В.В. Гайдамака"),
        ("Зозуля Мария Петровна", "М.П. Зозуля"),
        ("Зозули Марии Петровны", "М.П. Зозуля"),
        ("Зозулей Владимиром Викторовичем", "В.В. Зозуля"),
        # Indeclinable surnames.
        ("Шевченко Владимира Викторовича", "В.В. Шевченко"),
        ("Черных Марией Петровной", "М.П. Черных"),
        # -ич declines for a man only.
        ("Петровичем Иваном Сергеевичем", "И.С. Петрович"),
        ("Ярошевича Ивана Сергеевича", "И.С. Ярошевич"),
        ("Ярошевич Анной Сергеевной", "А.С. Ярошевич"),
        # Adjectival surnames of both genders.
        ("Шаинской Анны Петровны", "А.П. Шаинская"),
        ("Достоевским Федором Михайловичем", "Ф.М. Достоевский"),
        # Foreign surnames.
        ("Ли Владимиром Викторовичем", "В.В. Ли"),
        ("Гансом Мюллером", "Г. Мюллер"),
        ("Мария Гарсиа", "М. Гарсиа"),
        # Surnames the dictionary does not know.
        ("Стрельцовым А.В.", "А.В. Стрельцов"),
        ("Анной Стрельцовой", "А. Стрельцова"),
    ],
)
def test_surnames_of_every_declension(text, expected):
    assert names(text) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Владимир Иванов", ["В. Иванов"]),
        ("встреча с Владимиром Ивановым", ["В. Иванов"]),
        ("с Марией Ивановой", ["М. Иванова"]),
        ("Надежда Иванова", ["Н. Иванова"]),
    ],
)
def test_a_first_name_and_a_surname_give_one_initial(text, expected):
    assert names(text) == expected


def test_one_initial_joins_the_only_person_it_can_be():
    assert names("Иванов В.В. и Владимир Иванов") == ["В.В. Иванов", "В.В. Иванов"]
    # Two people of the surname with the initial В.: which one is not guessed.
    assert names("Владимир Иванов, В.П. Иванов и В.В. Иванов") == ["В. Иванов", "В.П. Иванов", "В.В. Иванов"]
    assert merge_initials(["В. Иванов", "А.А. Иванов"]) == {}


@pytest.mark.parametrize(
    "text, role, name",
    [
        ("министр образования Иванов В.В.", "министр образования", "В.В. Иванов"),
        ("министром образования Ивановым В.В.", "министр образования", "В.В. Иванов"),
        # The role's genitive settles "Иванова": a man here, a woman below.
        ("встреча министра образования Иванова В.В.", "министр образования", "В.В. Иванов"),
        ("встреча министра образования Ивановой В.В.", "министр образования", "В.В. Иванова"),
        ("Губернатора Смоленской области Анохина Василия Николаевича", "Губернатор Смоленской области", "В.Н. Анохин"),
        ("Губернатор Василий Николаевич Анохин", "Губернатор", "В.Н. Анохин"),
        ("Президентом Республики Беларусь Александром Лукашенко", "Президент Республики Беларусь", "А. Лукашенко"),
    ],
)
def test_the_role_before_a_name_in_any_form(text, role, name):
    assert [(p.name, p.role) for p in find_people(text)] == [(name, role)]


@pytest.mark.parametrize(
    "text",
    [
        "Республика Беларусь, Смоленск",
        "делегация Министерства образования Республики Беларусь",
        "г. Смоленск, Витебск",
        "в г. Владимир Владимирской области",
        "г. Владимир Петров",
        "празднование 8 Марта Ивановой",
        "в январе, Смоленская область",
        "Вера Надежда Любовь",
        "ООО «Владимир Плюс»",
        "Концерт «Симфонический Майкл Джексон»",
        "Беларусь В.В.",
        "Москва А.А.",
        "Встреча Иван Иванович",
        "Кирилл и Мефодий",
    ],
)
def test_places_months_and_titles_are_not_people(text):
    assert names(text) == []


def test_a_plain_word_after_initials_leaves_the_surname_before_them():
    assert names("Иванов В.В. Встреча прошла в Минске") == ["В.В. Иванов"]
    # A surname after the initials still wins: "А.В." belongs to Стрельцов.
    assert names("Илюхин\nА.В. Стрельцов") == ["А.В. Стрельцов"]
    assert names("Иванов В.В., Петров П.П.") == ["В.В. Иванов", "П.П. Петров"]


def test_a_common_noun_before_a_name_is_not_its_surname():
    assert names("Концерт Петра Ильича Чайковского") == ["П.И. Чайковский"]
    assert names("Встреча Ивана Ивановича Петрова") == ["И.И. Петров"]


def test_full_names_after_a_namesake_marker_are_namesakes():
    found = find_people("школа имени Александра Сергеевича Пушкина")
    assert [(p.name, p.namesake) for p in found] == [("А.С. Пушкин", True)]


@pytest.mark.parametrize(
    "written, surname, full",
    [
        ("Ивановым", ["Иванов", "Ивановым"], None),
        ("Иванова", ["Иванов", "Иванова"], None),
        ("Шевченко", ["Шевченко"], None),
        ("Зозулей", ["Зозуля", "Зозулей"], None),
        ("Гайдамака", ["Гайдамак", "Гайдамака"], None),
        ("Иванов В.В.", "Иванов", "В.В. Иванов"),
        ("Ивановой Марии Петровны", "Иванова", "М.П. Иванова"),
        ("Владимир Иванов", "Иванов", None),
    ],
)
def test_the_person_parameter_in_any_form(written, surname, full):
    from smolgraph.ask import _person_bindings

    bindings = _person_bindings(written)
    got = bindings["surname"]
    got = [str(t) for t in got] if isinstance(got, list) else str(got)
    assert got == surname
    assert (str(bindings["fullName"]) if "fullName" in bindings else None) == full


def test_events_with_person_finds_every_written_form(tmp_path):
    from conftest import report_document

    from smolgraph.ask import rows_as_python, run_named
    from smolgraph.ingest import ingest
    from smolgraph.store import EmbeddedStore

    document, _ = report_document([
        "Международное сотрудничество",
        ["1.", "Встреча с делегацией Витебской области", "г. Смоленск", "10 февраля 2025 года",
         "министр образования Смоленской области Ивановым Владимиром Викторовичем"],
        ["2.", "Визит в Минск", "г. Минск", "12 марта 2025 года", "Шевченко Марии Петровны; Гайдамака Владимир Викторович"],
    ])
    path = tmp_path / "people-2025-q1.docx"
    document.save(path)
    store = EmbeddedStore(tmp_path / "db")
    ingest([path], store)

    def rows(person: str) -> set[int]:
        return {r["row"] for r in rows_as_python(run_named(store, "events-with-person", {"person": person}))}

    for written in ("Ивановым", "Иванов В.В.", "В.В. Иванов", "Иванова Владимира Викторовича"):
        assert rows(written) == {1}, written
    for written in ("Шевченко", "М.П. Шевченко", "Гайдамака", "Гайдамакой", "Гайдамака В.В."):
        assert rows(written) == {2}, written
