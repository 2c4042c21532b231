"""Write report tables as Word files and text dumps, and make synthetic ones.

A report is plain data::

    {
        "title_lines": ["Отчет о мероприятиях ...", "Смоленской области ...", "в I квартале 2025 года"],
        "header": ["№ п/п", "Наименование мероприятия", ...],        # one string per column
        "sections": [{"sphere": "Сотрудничество в сфере ...", "rows": [[cell, ...], ...]}, ...],
        "summary": "В I квартале 2025 года состоялось ..." or None,
    }

A cell is a string; ``"\\n"`` separates its paragraphs (a Word cell's line
breaks), and an empty line is an empty paragraph. Other keys are ignored by
the writers; :func:`generate_report` adds ``columns`` (the canonical column
of each position) and ``truth`` (what the generator knows about each row).

The two layouts copy ``shared/reports/smolensk-2025-q1``:

* :func:`write_docx` -- title paragraphs (centred, bold), one table with a
  bold repeated header row, sphere headings as rows whose cells are merged
  across the whole width (one ``w:tc`` with ``gridSpan``), one paragraph per
  line of a cell, then an empty paragraph and the summary paragraph, whose
  lines are separated by ``w:br``. Landscape A4.
* :func:`write_text` -- the text dump: the title lines, a blank line, then
  every table cell as its lines with a TAB before the first one only, a blank
  line after the header row, after each heading and after each row, and the
  summary (TAB-prefixed, as the dump tool wrote it) at the bottom.

:func:`generate_report` makes realistic synthetic reports, deterministic per
seed, for tests and benchmarks.
"""
from __future__ import annotations

import calendar
import random
import re
from datetime import date
from os import PathLike
from typing import Any, Sequence

__all__ = [
    "CANONICAL_COLUMNS",
    "HEADER_VARIANTS",
    "render_text",
    "write_text",
    "build_docx",
    "write_docx",
    "generate_report",
]

#: Canonical meaning of the six columns, in the order of the real report.
CANONICAL_COLUMNS: tuple[str, ...] = ("number", "title", "venue", "dates", "content", "participants")

#: Header wordings and orders: ``(labels by canonical column, column order)``.
#: Variant 0 is the real report's header.
HEADER_VARIANTS: tuple[tuple[dict[str, str], tuple[str, ...]], ...] = (
    (
        {
            "number": "№ п/п",
            "title": "Наименование мероприятия",
            "venue": "Место проведения\nмероприятия",
            "dates": "Сроки проведения мероприятия",
            "content": "Цель, содержание и результат мероприятия (в том числе краткая "
            "информация о достигнутых договоренностях, подписанных документах)",
            "participants": "Участники мероприятия (общее количество, другие дополнительные сведения)",
        },
        CANONICAL_COLUMNS,
    ),
    (
        {
            "number": "№",
            "title": "Наименование мероприятия",
            "dates": "Дата проведения",
            "venue": "Место проведения",
            "content": "Итоги мероприятия",
            "participants": "Участники",
        },
        ("number", "title", "dates", "venue", "content", "participants"),
    ),
    (
        {
            "number": "№ п/п",
            "title": "Мероприятие",
            "dates": "Сроки",
            "venue": "Место",
            "participants": "Участники (количество)",
            "content": "Содержание и результаты",
        },
        ("number", "title", "dates", "venue", "participants", "content"),
    ),
    (
        {
            "number": "№\nп/п",
            "title": "Название мероприятия",
            "venue": "Место проведения (страна, город, организация)",
            "dates": "Дата",
            "participants": "Состав участников",
            "content": "Краткое содержание, достигнутые результаты",
        },
        ("number", "title", "venue", "dates", "participants", "content"),
    ),
)

# Column widths of the real table, in twentieths of a point.
_WIDTHS = {"number": 680, "title": 3118, "venue": 2268, "dates": 1814, "content": 4252, "participants": 3005}


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def render_text(report: dict) -> str:
    """Return the text dump of *report* (what :func:`write_text` writes).

    >>> print(render_text({"title_lines": ["Отчет"], "header": ["№", "Место"],
    ...     "sections": [{"sphere": "Сфера", "rows": [["1. ", "г. Минск,\\nБеларусь"]]}],
    ...     "summary": None}).replace("\\t", "→"), end="")
    Отчет
    <BLANKLINE>
    →№
    →Место
    <BLANKLINE>
    →Сфера
    <BLANKLINE>
    →1. 
    →г. Минск,
    Беларусь
    <BLANKLINE>
    """
    header = _check(report)
    out: list[str] = []
    for line in report.get("title_lines") or []:
        out.append(line + "\n")
    out.append("\n")
    for cell in header:
        out.append("\t" + cell + "\n")
    out.append("\n")
    for section in report["sections"]:
        sphere = section.get("sphere")
        if sphere:
            out.append("\t" + sphere + "\n\n")
        for row in section["rows"]:
            for cell in row:
                out.append("\t" + cell + "\n")
            out.append("\n")
    summary = report.get("summary")
    if summary:
        out.append("\t" + summary + "\n\n\n\n")
    return "".join(out)


def write_text(report: dict, path: str | PathLike, encoding: str = "utf-8", *, newline: str = "\n") -> None:
    """Write *report* as a text dump like ``shared/reports/*.txt``.

    ``newline`` is written at the end of every line (``"\\r\\n"`` gives a
    Windows dump); ``encoding`` may be any codec that can hold the text
    (``"cp1251"`` works for Russian reports).
    """
    text = render_text(report)
    if newline != "\n":
        text = text.replace("\n", newline)
    with open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def build_docx(report: dict):
    """Return a ``docx.Document`` laid out like the real report (see module doc)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    header = _check(report)
    ncols = len(header)
    columns = report.get("columns")
    if columns and len(columns) == ncols and all(c in _WIDTHS for c in columns):
        widths = [_WIDTHS[c] for c in columns]
    else:
        default = [_WIDTHS[c] for c in CANONICAL_COLUMNS]
        widths = [default[i] if i < len(default) else 2268 for i in range(ncols)]

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(16838), Twips(11906)
    section.left_margin = section.right_margin = Twips(850)
    section.top_margin = section.bottom_margin = Twips(1440)

    for line in report.get("title_lines") or []:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True

    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"

    def fill(cell, text: str, *, bold: bool, center: bool = False) -> None:
        for i, line in enumerate(text.split("\n")):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(line) if line else p.add_run()
            run.bold = bold

    row = table.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text, width in zip(row.cells, header, widths):
        cell.width = Twips(width)
        fill(cell, text, bold=True)

    for section_data in report["sections"]:
        sphere = section_data.get("sphere")
        if sphere:
            row = table.add_row()
            cells = row.cells
            merged = cells[0].merge(cells[-1]) if ncols > 1 else cells[0]
            merged.width = Twips(sum(widths) + 1)
            fill(merged, sphere, bold=True, center=True)
        for values in section_data["rows"]:
            row = table.add_row()
            for cell, text, width in zip(row.cells, values, widths):
                cell.width = Twips(width)
                fill(cell, text, bold=False)

    summary = report.get("summary")
    if summary:
        doc.add_paragraph()
        p = doc.add_paragraph()
        for i, line in enumerate(summary.split("\n")):
            if i:
                p.add_run().add_break()
            p.add_run(line)
    return doc


def write_docx(report: dict, path: str | PathLike) -> None:
    """Write *report* as a Word file laid out like ``shared/reports/*.docx``."""
    build_docx(report).save(str(path))


def _check(report: dict) -> list[str]:
    header = list(report.get("header") or [])
    if not header:
        raise ValueError("report has no header: give 'header' as a list of column titles")
    for s, section in enumerate(report.get("sections") or []):
        for r, row in enumerate(section.get("rows") or []):
            if len(row) != len(header):
                raise ValueError(
                    f"section {s + 1} ({section.get('sphere')!r}), row {r + 1}: "
                    f"{len(row)} cells, but the header has {len(header)}; give one string per column"
                )
    return header


# --------------------------------------------------------------------------
# Synthetic reports
# --------------------------------------------------------------------------

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTH_GEN = ("", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")
_MONTH_NOM = ("", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
              "сентябрь", "октябрь", "ноябрь", "декабрь")

_SPHERES = (
    "Сотрудничество в сфере инвестиционного развития",
    "Сотрудничество в сфере промышленности и торговли",
    "Сотрудничество в сфере сельского хозяйства",
    "Сотрудничество в сфере природных ресурсов и экологии",
    "Сотрудничество в сфере здравоохранения",
    "Сотрудничество в сфере культуры и туризма",
    "Сотрудничество в сфере образования и науки",
    "Сотрудничество в социальной сфере",
    "Сотрудничество в сфере молодежной политики и гражданско-патриотического воспитания",
    "Сотрудничество в сфере общественных связей",
    "Сотрудничество в сфере спорта",
    "Общие направления сотрудничества",
)

# Countries: code -> (nominative, genitive, instrumental, locative). Abkhazia has no ISO code.
_COUNTRIES = {
    "BY": ("Республика Беларусь", "Республики Беларусь", "Республикой Беларусь", "Республике Беларусь"),
    "KZ": ("Республика Казахстан", "Республики Казахстан", "Республикой Казахстан", "Республике Казахстан"),
    "UZ": ("Республика Узбекистан", "Республики Узбекистан", "Республикой Узбекистан", "Республике Узбекистан"),
    "CN": ("Китайская Народная Республика", "Китайской Народной Республики",
           "Китайской Народной Республикой", "Китайской Народной Республике"),
    "KG": ("Кыргызская Республика", "Кыргызской Республики", "Кыргызской Республикой", "Кыргызской Республике"),
    "AM": ("Республика Армения", "Республики Армения", "Республикой Армения", "Республике Армения"),
    "Абхазия": ("Республика Абхазия", "Республики Абхазия", "Республикой Абхазия", "Республике Абхазия"),
}
# How often a partner country is drawn.
_COUNTRY_WEIGHTS = (("BY", 60), ("KZ", 9), ("UZ", 8), ("CN", 8), ("KG", 7), ("AM", 5), ("Абхазия", 3))


def _oblast(stem: str, country: str) -> dict:
    return {"kind": "region", "country": country, "region": stem + "ая область",
            "nom": stem + "ая область", "gen": stem + "ой области", "acc": stem + "ую область",
            "loc": stem + "ой области", "adj": stem}


def _district(stem: str, region: str) -> dict:
    return {"kind": "district", "country": "BY", "region": region, "nom": stem + "ий район",
            "gen": stem + "ого района", "loc": stem + "ом районе", "adj": stem}


def _city(nom: str, gen: str, loc: str, region: str | None, country: str, adj: str | None = None) -> dict:
    return {"kind": "city", "country": country, "region": region, "nom": nom, "gen": gen, "loc": loc, "adj": adj}


_REGIONS = [
    _oblast("Витебск", "BY"), _oblast("Могилевск", "BY"), _oblast("Гомельск", "BY"),
    _oblast("Брестск", "BY"), _oblast("Гродненск", "BY"), _oblast("Минск", "BY"),
    _oblast("Карагандинск", "KZ"), _oblast("Костанайск", "KZ"),
    _oblast("Самаркандск", "UZ"), _oblast("Ферганск", "UZ"),
    _oblast("Иссык-Кульск", "KG"), _oblast("Чуйск", "KG"),
    _oblast("Ширакск", "AM"),
    {"kind": "region", "country": "CN", "region": "провинция Хэйлунцзян", "nom": "провинция Хэйлунцзян",
     "gen": "провинции Хэйлунцзян", "acc": "провинцию Хэйлунцзян", "loc": "провинции Хэйлунцзян", "adj": None},
    {"kind": "region", "country": "CN", "region": "провинция Шаньдун", "nom": "провинция Шаньдун",
     "gen": "провинции Шаньдун", "acc": "провинцию Шаньдун", "loc": "провинции Шаньдун", "adj": None},
]

_DISTRICTS = [
    _district("Оршанск", "Витебская область"), _district("Сенненск", "Витебская область"),
    _district("Лепельск", "Витебская область"), _district("Глубокск", "Витебская область"),
    _district("Полоцк", "Витебская область"), _district("Горецк", "Могилевская область"),
    _district("Кричевск", "Могилевская область"), _district("Речицк", "Гомельская область"),
    _district("Жлобинск", "Гомельская область"), _district("Пинск", "Брестская область"),
    _district("Барановичск", "Брестская область"), _district("Лидск", "Гродненская область"),
    _district("Сморгонск", "Гродненская область"), _district("Борисовск", "Минская область"),
    _district("Смолевичск", "Минская область"),
]

_CITIES = [
    _city("Минск", "Минска", "Минске", "Минск", "BY", "Минск"),
    _city("Витебск", "Витебска", "Витебске", "Витебская область", "BY", "Витебск"),
    _city("Орша", "Орши", "Орше", "Витебская область", "BY"),
    _city("Полоцк", "Полоцка", "Полоцке", "Витебская область", "BY"),
    _city("Новополоцк", "Новополоцка", "Новополоцке", "Витебская область", "BY", "Новополоцк"),
    _city("Лепель", "Лепеля", "Лепеле", "Витебская область", "BY"),
    _city("Могилев", "Могилева", "Могилеве", "Могилевская область", "BY", "Могилевск"),
    _city("Бобруйск", "Бобруйска", "Бобруйске", "Могилевская область", "BY", "Бобруйск"),
    _city("Кричев", "Кричева", "Кричеве", "Могилевская область", "BY"),
    _city("Гомель", "Гомеля", "Гомеле", "Гомельская область", "BY", "Гомельск"),
    _city("Мозырь", "Мозыря", "Мозыре", "Гомельская область", "BY"),
    _city("Брест", "Бреста", "Бресте", "Брестская область", "BY", "Брестск"),
    _city("Пинск", "Пинска", "Пинске", "Брестская область", "BY"),
    _city("Барановичи", "Барановичей", "Барановичах", "Брестская область", "BY"),
    _city("Гродно", "Гродно", "Гродно", "Гродненская область", "BY", "Гродненск"),
    _city("Лида", "Лиды", "Лиде", "Гродненская область", "BY"),
    _city("Борисов", "Борисова", "Борисове", "Минская область", "BY"),
    _city("Молодечно", "Молодечно", "Молодечно", "Минская область", "BY"),
    _city("Караганда", "Караганды", "Караганде", "Карагандинская область", "KZ"),
    _city("Темиртау", "Темиртау", "Темиртау", "Карагандинская область", "KZ"),
    _city("Костанай", "Костаная", "Костанае", "Костанайская область", "KZ"),
    _city("Астана", "Астаны", "Астане", "Астана", "KZ"),
    _city("Самарканд", "Самарканда", "Самарканде", "Самаркандская область", "UZ"),
    _city("Фергана", "Ферганы", "Фергане", "Ферганская область", "UZ"),
    _city("Ташкент", "Ташкента", "Ташкенте", "Ташкент", "UZ"),
    _city("Харбин", "Харбина", "Харбине", "провинция Хэйлунцзян", "CN"),
    _city("Хэйхэ", "Хэйхэ", "Хэйхэ", "провинция Хэйлунцзян", "CN"),
    _city("Каракол", "Каракола", "Караколе", "Иссык-Кульская область", "KG"),
    _city("Бишкек", "Бишкека", "Бишкеке", "Бишкек", "KG"),
    _city("Ереван", "Еревана", "Ереване", "Ереван", "AM"),
    _city("Гюмри", "Гюмри", "Гюмри", "Ширакская область", "AM"),
    _city("Сухум", "Сухума", "Сухуме", None, "Абхазия"),
]

_UNITS_BY_COUNTRY: dict[str, list[dict]] = {}
for _u in _REGIONS + _DISTRICTS + _CITIES:
    _UNITS_BY_COUNTRY.setdefault(_u["country"], []).append(_u)

# Other Russian regions: (nominative, genitive).
_RU_REGIONS = (
    ("Брянская область", "Брянской области"), ("Калужская область", "Калужской области"),
    ("Тверская область", "Тверской области"), ("Псковская область", "Псковской области"),
    ("Московская область", "Московской области"), ("Орловская область", "Орловской области"),
    ("Москва", "г. Москвы"), ("Санкт-Петербург", "г. Санкт-Петербурга"),
)

_LOCAL_CENTRES = {
    "Смоленская область": ("Смоленск", "Смоленска", "Смоленске"),
    "Брянская область": ("Брянск", "Брянска", "Брянске"),
    "Псковская область": ("Псков", "Пскова", "Пскове"),
    "Калужская область": ("Калуга", "Калуги", "Калуге"),
    "Тверская область": ("Тверь", "Твери", "Твери"),
}

_LETTERS = "АБВГДЕЗИКЛМНОПРСТЮЯ"
# Surname stems by declension: "ov" (Петров), "sky" (Вишневский), "ich" (Жданович), "indecl".
_SURNAMES = {
    "RU": (("ov", "Соколов"), ("ov", "Ковалев"), ("ov", "Мельников"), ("ov", "Тарасов"), ("ov", "Громов"),
           ("ov", "Лапин"), ("ov", "Зимин"), ("ov", "Савельев"), ("ov", "Кудрявцев"), ("ov", "Беляев"),
           ("ov", "Фролов"), ("ov", "Корнилов"), ("ov", "Лебедев"), ("ov", "Осипов"), ("ov", "Прохоров"),
           ("ov", "Ермаков"), ("ov", "Гаврилов"), ("sky", "Вишневск"), ("sky", "Заболотск"),
           ("sky", "Островск"), ("indecl", "Ткаченко")),
    "BY": (("ov", "Жуков"), ("ov", "Шуляков"), ("ov", "Волков"), ("ich", "Жданович"), ("ich", "Гуринович"),
           ("ich", "Савицкевич"), ("ich", "Мацкевич"), ("sky", "Каменск"), ("indecl", "Коваленко"),
           ("indecl", "Бондаренко"), ("ov", "Латушкин")),
    "KZ": (("ov", "Абенов"), ("ov", "Жумабаев"), ("ov", "Сейтказиев"), ("ov", "Касымов"), ("ov", "Нургалиев")),
    "UZ": (("ov", "Юлдашев"), ("ov", "Каримов"), ("ov", "Рахимов"), ("ov", "Турсунов")),
    "KG": (("ov", "Абдыкеримов"), ("ov", "Осмоналиев"), ("ov", "Токтогулов")),
    "AM": (("indecl", "Петросян"), ("indecl", "Арутюнян"), ("indecl", "Саргсян")),
    "Абхазия": (("indecl", "Ардзинба"), ("indecl", "Агрба"), ("indecl", "Когония")),
}
_CHINESE_NAMES = ("Чжан Вэй", "Ли Мин", "Ван Лэй", "Лю Ян", "Чэнь Цзин")


def _person(rng: random.Random, country: str) -> dict:
    """A person's name in nominative, genitive and instrumental."""
    if country == "CN":
        name = rng.choice(_CHINESE_NAMES)
        return {"nom": name, "gen": name, "ins": name}
    kind, stem = rng.choice(_SURNAMES[country if country in _SURNAMES else "RU"])
    female = rng.random() < 0.4
    if kind == "ov":
        forms = (stem + "а", stem + "ой", stem + "ой") if female else (stem, stem + "а", stem + "ым")
    elif kind == "sky":
        forms = (stem + "ая", stem + "ой", stem + "ой") if female else (stem + "ий", stem + "ого", stem + "им")
    elif kind == "ich":
        forms = (stem, stem, stem) if female else (stem, stem + "а", stem + "ем")
    else:
        forms = (stem, stem, stem)
    a, b = rng.choice(_LETTERS), rng.choice(_LETTERS)
    initials = f"{a}.{b}."
    return {"nom": f"{initials} {forms[0]}", "gen": f"{initials} {forms[1]}", "ins": f"{initials} {forms[2]}"}


# A role: (head nominative, head genitive, head instrumental, tail).
_LOCAL_ROLES = (
    ("Губернатор", "Губернатора", "Губернатором", " {RG}"),
    ("первый заместитель", "первого заместителя", "первым заместителем", " Губернатора {RG}"),
    ("заместитель", "заместителя", "заместителем", " председателя Правительства {RG}"),
    ("министр", "министра", "министром", " культуры {RG}"),
    ("министр", "министра", "министром", " образования и науки {RG}"),
    ("министр", "министра", "министром", " сельского хозяйства и продовольствия {RG}"),
    ("министр", "министра", "министром", " промышленности и торговли {RG}"),
    ("заместитель министра", "заместителя министра", "заместителем министра", " социального развития {RG}"),
    ("руководитель", "руководителя", "руководителем",
     " Представительства Правительства {RG} при Правительстве Российской Федерации"),
)


def _foreign_role(rng: random.Random, unit: dict | None, country: str) -> tuple[str, str, str, str]:
    cn_gen = _COUNTRIES[country][1]
    if unit is not None and country == "BY":
        adj = unit.get("adj")
        if unit["kind"] == "region":
            tail = f" {adj}ого областного исполнительного комитета"
        elif unit["kind"] == "district":
            tail = f" {adj}ого районного исполнительного комитета"
        elif adj:
            tail = f" {adj}ого городского исполнительного комитета"
        else:
            tail = ""
        if tail:
            head = rng.choice((("председатель", "председателя", "председателем"),
                               ("заместитель председателя", "заместителя председателя", "заместителем председателя")))
            return (*head, tail)
    if unit is not None and unit["kind"] == "region":
        if country == "KZ":
            return ("заместитель акима", "заместителя акима", "заместителем акима", " " + unit["gen"])
        if country == "UZ":
            return ("заместитель хокима", "заместителя хокима", "заместителем хокима", " " + unit["gen"])
        if country == "CN":
            return ("заместитель губернатора", "заместителя губернатора", "заместителем губернатора", " " + unit["gen"])
        if country == "KG":
            return ("полномочный представитель", "полномочного представителя", "полномочным представителем",
                    f" Правительства Кыргызской Республики в {unit['loc']}")
    return rng.choice((
        ("Чрезвычайный и Полномочный Посол", "Чрезвычайного и Полномочного Посла",
         "Чрезвычайным и Полномочным Послом", f" {cn_gen} в Российской Федерации"),
        ("советник Посольства", "советника Посольства", "советником Посольства", f" {cn_gen} в Российской Федерации"),
    ))


def _people_count(n: int, one: str = "человек", few: str = "человека", many: str = "человек") -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


_NBSP_RE = re.compile(r"(?<=\bг\.) |(?<=\bим\.) |(?<=[А-Я]\.[А-Я]\.) | (?=–)|(?<=\d) (?=человек)")


class _Ctx:
    """Per-report state the row builders share."""

    def __init__(self, rng, region, region_genitive, year, quarter, centre):
        self.rng = rng
        self.region = region
        self.rg = region_genitive
        self.year = year
        self.quarter = quarter
        self.centre = centre
        stem = region[: -len("ая область")] if region.endswith("ая область") else None
        self.stem = stem
        short = stem[0] if stem else "О"
        if stem:
            self.local_orgs = (
                f"ОГАУК «{stem}ая областная филармония»",
                f"ГБУК «{stem}ая областная научная библиотека»",
                f"ГАУ ДПО «{stem}ий областной институт развития образования»",
                f"{short}ОГБУ «{stem}ий областной молодежный центр»",
                f"{short}ОГБУ «{stem}ий комплексный центр социального обслуживания населения»",
                f"ГБУК «{stem}ий областной центр народного творчества»",
                f"{short}ОГБУ ДО «Областной центр детского творчества»",
                f"ОГБПОУ «{stem}ий педагогический колледж»",
                f"ГБУК «{stem}ий областной краеведческий музей»",
            )
        else:
            self.local_orgs = (
                f"Министерство культуры {region_genitive}",
                f"Министерство образования и науки {region_genitive}",
                f"Областной молодежный центр {region_genitive}",
            )
        self.ru_regions = [r for r in _RU_REGIONS if r[0] != region]
        self.meetings = 0

    # -- pieces ------------------------------------------------------------

    def local_person(self, roles=_LOCAL_ROLES):
        head_nom, head_gen, head_ins, tail = self.rng.choice(roles)
        tail = tail.format(RG=self.rg)
        p = _person(self.rng, "RU")
        return {
            "nom": f"{head_nom}{tail} {p['nom']}", "gen": f"{head_gen}{tail} {p['gen']}",
            "ins": f"{head_ins}{tail} {p['ins']}",
            "truth": {"name": p["nom"], "role": head_nom + tail, "side": "local"},
        }

    def foreign_person(self, unit, country):
        head_nom, head_gen, head_ins, tail = _foreign_role(self.rng, unit, country)
        p = _person(self.rng, country)
        return {
            "nom": f"{head_nom}{tail} {p['nom']}", "gen": f"{head_gen}{tail} {p['gen']}",
            "ins": f"{head_ins}{tail} {p['ins']}",
            "truth": {"name": p["nom"], "role": head_nom + tail, "side": "foreign"},
        }

    def partner(self, countries=None, kinds=("region", "district", "city", None)):
        """Draw a partner country and (maybe) a unit inside it."""
        rng = self.rng
        pool = [(c, w) for c, w in _COUNTRY_WEIGHTS if countries is None or c in countries]
        country = rng.choices([c for c, _ in pool], [w for _, w in pool])[0]
        units = [u for u in _UNITS_BY_COUNTRY.get(country, ()) if u["kind"] in kinds]
        unit = rng.choice(units) if units and (None not in kinds or rng.random() < 0.85) else None
        return country, unit

    def partner_gen(self, country, unit):
        """'Витебской области Республики Беларусь', 'г. Орши (Республика Беларусь)', ..."""
        cn_nom, cn_gen = _COUNTRIES[country][:2]
        if unit is None:
            return cn_gen
        if unit["kind"] == "city":
            return f"г. {unit['gen']} ({cn_nom})"
        if unit["kind"] == "district" or self.rng.random() < 0.5:
            return f"{unit['gen']} ({cn_nom})"
        return f"{unit['gen']} {cn_gen}"

    def foreign_org(self, country, unit):
        """A named foreign organisation located in *unit* (nominative, instrumental)."""
        rng = self.rng
        cn_nom = _COUNTRIES[country][0]
        if unit is not None and country == "BY":
            if unit["kind"] == "region":
                adj = unit["adj"]
                return rng.choice((
                    (f"{adj}ий областной исполнительный комитет", f"{adj}им областным исполнительным комитетом"),
                    (f"ГУК «{adj}ая областная библиотека»",) * 2,
                    (f"УК «{adj}ий областной драматический театр»",) * 2,
                ))
            if unit["kind"] == "district":
                name = rng.choice((
                    f"ГУ «Территориальный центр социального обслуживания населения {unit['gen']}»",
                    f"ГУК «Централизованная библиотечная система {unit['gen']}»",
                    f"ГУО «Средняя школа № {rng.randint(1, 9)} {unit['gen']}»",
                ))
                return name, name
            name = rng.choice((f"ГУО «Средняя школа № {rng.randint(1, 40)} г. {unit['gen']}»",
                               f"ГУО «Гимназия № {rng.randint(1, 5)} г. {unit['gen']}»"))
            return name, name
        if unit is not None and unit["kind"] == "region":
            if country == "KZ":
                return f"акимат {unit['gen']}", f"акиматом {unit['gen']}"
            if country == "UZ":
                return f"хокимият {unit['gen']}", f"хокимиятом {unit['gen']}"
            if country == "CN":
                return f"Народное правительство {unit['gen']}", f"Народным правительством {unit['gen']}"
        if unit is not None and unit["kind"] == "city":
            name = f"Средняя школа № {rng.randint(1, 60)} (г. {unit['nom']}, {cn_nom})"
            return name, name
        name = f"Посольство {_COUNTRIES[country][1]} в Российской Федерации"
        return name, f"Посольством {_COUNTRIES[country][1]} в Российской Федерации"

    def dates(self, *, long=False, month_only=False):
        """Return (text, start, end, precision) inside the report's quarter."""
        rng, y, q = self.rng, self.year, self.quarter
        months = (3 * q - 2, 3 * q - 1, 3 * q)
        brk = "\n" if rng.random() < 0.5 else " "
        if month_only:
            m1 = rng.choice(months)
            if m1 < months[-1] and rng.random() < 0.6:
                m2 = m1 + 1
                text = f"{_MONTH_NOM[m1]}-{_MONTH_NOM[m2]}{brk}{y} года"
            else:
                m2 = m1
                text = f"{_MONTH_NOM[m1]}{brk}{y} года"
            return text, f"{y}-{m1:02d}", f"{y}-{m2:02d}", "month"
        form = rng.random()
        m = rng.choice(months)
        last = calendar.monthrange(y, m)[1]
        if long or form < 0.12:
            # across two months, sometimes across the quarter's end
            if m == months[-1] and rng.random() < 0.5:
                y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
            else:
                m = rng.choice(months[:2])
                last = calendar.monthrange(y, m)[1]
                y2, m2 = y, m + 1
            d1 = rng.randint(max(1, last - 6), last)
            d2 = rng.randint(1, 20 if long else 8)
            start, end = date(y, m, d1), date(y2, m2, d2)
            if y2 != y:
                text = f"{d1} {_MONTH_GEN[m]} {y} года – {d2} {_MONTH_GEN[m2]} {y2} года"
            else:
                sep = rng.choice((" – ", " – \n", "\u00a0– "))
                text = f"{d1} {_MONTH_GEN[m]}{sep}{d2} {_MONTH_GEN[m2]}{brk}{y} года"
            return text, start.isoformat(), end.isoformat(), "day"
        if form < 0.55:
            d = rng.randint(1, last)
            text = f"{d} {_MONTH_GEN[m]}{brk}{y} года"
            return text, date(y, m, d).isoformat(), date(y, m, d).isoformat(), "day"
        d1 = rng.randint(1, last - 2)
        d2 = rng.randint(d1 + 1, min(last, d1 + 4))
        start, end = date(y, m, d1).isoformat(), date(y, m, d2).isoformat()
        if form < 0.82:
            return f"{d1}-{d2} {_MONTH_GEN[m]}{brk}{y} года", start, end, "day"
        if form < 0.93:
            year = f" {y} года" if rng.random() < 0.5 else ""
            return f"с {d1} по {d2} {_MONTH_GEN[m]}{year}", start, end, "day"
        return f"{d1:02d}.{m:02d}.{y}", start, start, "day"

    def local_venue(self, org=None, online=None):
        lines = []
        if self.centre:
            lines.append(f"г. {self.centre[0]}" + ("," if org else ""))
        else:
            lines.append(self.region + ("," if org else ""))
        if org:
            lines.append(org)
        if online:
            lines.append(online)
        return "\n".join(lines)

    def total(self, n):
        return rng_choice(self.rng, (
            f"Общее количество участников – {_people_count(n)}",
            f"Общее количество участников\u00a0– {_people_count(n)}",
            f"Общее количество участников мероприятия – {_people_count(n)}",
        ))


def rng_choice(rng, seq):
    return seq[int(rng.random() * len(seq))]


_DISCUSSED = (
    "обсуждены вопросы расширения межрегионального сотрудничества в торгово-экономической сфере",
    "рассмотрены перспективы кооперации промышленных предприятий",
    "обсуждены вопросы взаимных поставок продукции агропромышленного комплекса",
    "рассмотрены вопросы организации совместных культурных и образовательных проектов",
    "обсуждены направления сотрудничества в сфере туризма и молодежной политики",
)
_AGREED = (
    "о проведении совместной выставки продукции предприятий двух регионов",
    "об обмене делегациями специалистов во втором полугодии",
    "о подготовке плана совместных мероприятий на ближайшие два года",
    "о проведении серии видеоконференций для профильных ведомств",
)
_CONTEST_NAMES = ("Мир глазами детей", "Наследники Победы", "Родные просторы", "Дружба без границ",
                  "Живая память", "Краски весны", "Моя малая родина")


def _row_visit_in(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("region", "district", "city"))
    pg = ctx.partner_gen(country, unit)
    centre = ctx.centre[0] if ctx.centre else None
    title = rng_choice(rng, (
        f"Визит делегации {pg} в г. {centre}" if centre else f"Визит делегации {pg} в {ctx.rg}",
        f"Прием делегации {pg}",
        f"Визит в {ctx.region if not centre else 'г. ' + centre} делегации {pg} с целью развития сотрудничества",
    ))
    local, foreign = ctx.local_person(), ctx.foreign_person(unit, country)
    sentences = [f"В ходе визита {rng.choice(_DISCUSSED)}"]
    signed = agreed = False
    r = rng.random()
    if r < 0.2:
        org_nom, org_ins = ctx.foreign_org(country, unit if unit and unit["kind"] == "region" else None)
        sentences.append(f"Подписано соглашение о сотрудничестве между Правительством {ctx.rg} и {org_ins}")
        signed = True
    elif r < 0.5:
        sentences.append(f"Достигнута договоренность {rng.choice(_AGREED)}")
        agreed = True
    n = rng.randint(6, 40)
    participants = (f"{_cap(local['nom'])},\nделегация {pg} во главе с {foreign['ins']}.\n"
                    + ctx.total(n))
    ctx.meetings += 1
    return {
        "title": title, "venue": ctx.local_venue(rng.choice(ctx.local_orgs) if rng.random() < 0.4 else None),
        "content": ". ".join(sentences), "participants": participants,
    }, {
        "event_type": "visit_incoming", "venue_countries": ["RU"], "country": country, "units": [unit],
        "people": [local["truth"], foreign["truth"]], "participants_total": n,
        "document_signed": signed, "agreement_reached": agreed or signed,
    }


def _row_visit_out(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("region", "city"))
    cn_nom = _COUNTRIES[country][0]
    local = ctx.local_person()
    if unit is None:
        title = f"Рабочий визит делегации {ctx.rg} в {_COUNTRIES[country][3].replace('Республике', 'Республику', 1)}"
        venue = cn_nom
        units = []
    elif unit["kind"] == "city":
        title = f"Рабочий визит делегации {ctx.rg} в г. {unit['nom']} ({cn_nom})"
        lines = [f"г. {unit['nom']},"]
        if unit["region"] and unit["region"] != unit["nom"] and rng.random() < 0.5:
            lines.append(unit["region"] + ",")
        lines.append(cn_nom)
        venue = "\n".join(lines)
        units = [unit]
    else:
        title = f"Визит делегации {ctx.rg} в {unit['acc']} ({cn_nom})"
        venue = f"{unit['nom']},\n{cn_nom}"
        units = [unit]
    signed = agreed = False
    content = f"В рамках визита {rng.choice(_DISCUSSED)}"
    if rng.random() < 0.25:
        content += f". Достигнута договоренность {rng.choice(_AGREED)}"
        agreed = True
    k = rng.randint(3, 15)
    participants = rng_choice(rng, (
        f"Делегация {ctx.rg} во главе с {local['ins']} ({_people_count(k)})",
        f"Делегация {ctx.rg} во главе с\u00a0{local['ins']} (в составе {k} человек)",
    ))
    d_text, start, end, prec = ctx.dates(long=rng.random() < 0.1)
    return {
        "title": title, "venue": venue, "content": content, "participants": participants,
        "dates": (d_text, start, end, prec),
    }, {
        "event_type": "visit_outgoing", "venue_countries": [country], "country": country, "units": units,
        "people": [local["truth"]], "participants_total": None, "breakdown": {"RU": k},
        "document_signed": signed, "agreement_reached": agreed,
    }


def _row_meeting(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("region", "city", None))
    local, other, foreign = ctx.local_person(_LOCAL_ROLES[:3]), ctx.local_person(_LOCAL_ROLES[3:]), \
        ctx.foreign_person(unit, country)
    title = f"Рабочая встреча {local['gen']} с {foreign['ins']}"
    hybrid = rng.random() < 0.35
    remote = " (в режиме ВКС)" if hybrid else ""
    n = rng.randint(4, 25)
    if rng.random() < 0.3:
        venue = f"г. Москва,\nПредставительство Правительства {ctx.rg} при Правительстве Российской Федерации"
    else:
        venue = ctx.local_venue("Дом Советов" if rng.random() < 0.5 else None)
        ctx.meetings += 1
    signed = rng.random() < 0.2
    content = f"В ходе встречи {rng.choice(_DISCUSSED)}"
    if signed:
        org_nom, org_ins = ctx.foreign_org(country, unit if unit and unit["kind"] == "region" else None)
        content += f". По итогам встречи подписано соглашение о сотрудничестве между Правительством {ctx.rg} и {org_ins}"
    participants = f"{_cap(local['nom'])},\n{other['nom']}{remote},\n{foreign['nom']}.\n" + ctx.total(n)
    other_truth = dict(other["truth"])
    if hybrid:
        other_truth["remote"] = True
    return {"title": title, "venue": venue, "content": content, "participants": participants}, {
        "event_type": "meeting", "venue_countries": ["RU"], "country": country, "units": [unit],
        "people": [local["truth"], other_truth, foreign["truth"]], "participants_total": n, "hybrid": hybrid,
        "document_signed": signed, "agreement_reached": signed,
    }


def _row_video(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(countries=("BY", "KZ", "KG", "UZ"), kinds=("district", "city"))
    org_nom, _ = ctx.foreign_org(country, unit)
    local_org = rng.choice(ctx.local_orgs)
    marker = rng_choice(rng, ("(в дистанционном формате)", "(в режиме видеоконференцсвязи)"))
    place = unit["nom"] if unit else _COUNTRIES[country][0]
    centre = ctx.centre[0] if ctx.centre else ctx.region
    title = rng_choice(rng, (f"Телемост «{centre} – {place}»", f"Видеоконференция «{centre} – {place}»",
                             "Проведение телемоста", "Телемост-знакомство"))
    a, b = rng.randint(5, 25), rng.randint(5, 25)
    referenced = rng.random() < 0.3
    content = rng_choice(rng, (
        "Обмен опытом работы по организации досуга и социальной поддержки граждан старшего поколения",
        "Участники рассказали о традициях своих регионов и обсудили планы совместных проектов",
        "Обмен опытом по вопросам патриотического воспитания обучающихся",
    ))
    if referenced:
        content += " в рамках соглашения о сотрудничестве"
    if rng.random() < 0.5:
        participants = (f"Представители {local_org} ({_people_count(a)}), "
                        f"{org_nom} ({_COUNTRIES[country][0]}) ({_people_count(b)}).\n" + ctx.total(a + b))
        breakdown = None
    else:
        participants = f"Сотрудники {local_org} и {org_nom} ({_COUNTRIES[country][0]}).\n" + ctx.total(a + b)
    return {"title": title, "venue": ctx.local_venue(local_org, marker), "content": content,
            "participants": participants}, {
        "event_type": "videoconference", "venue_countries": ["RU"], "country": country, "units": [unit],
        "online": True, "participants_total": a + b, "agreement_referenced": referenced,
    }


def _row_contest(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("district", "region", None))
    online = rng.random() < 0.7
    org = rng.choice(ctx.local_orgs)
    title = rng_choice(rng, (
        f"Международный конкурс детского рисунка «{rng.choice(_CONTEST_NAMES)}»",
        f"Открытый дистанционный конкурс чтецов «{rng.choice(_CONTEST_NAMES)}»",
        f"Международный фестиваль-конкурс детского творчества «{rng.choice(_CONTEST_NAMES)}»",
    ))
    if unit is None:
        who = _COUNTRIES[country][1]
    elif unit["kind"] == "district":
        who = f"учреждений образования {unit['gen']} ({_COUNTRIES[country][0]})"
    else:
        who = f"{unit['gen']} ({_COUNTRIES[country][0]})"
    n = rng.randint(40, 400)
    more = rng.random() < 0.3
    if more:
        count = f"Более {n} участников"
    else:
        count = ctx.total(n)
    participants = f"Обучающиеся образовательных организаций {ctx.rg} и {who}.\n{count}"
    dates = ctx.dates(month_only=rng.random() < 0.5, long=True)
    return {"title": title,
            "venue": ctx.local_venue(org, "(в дистанционном формате)" if online else None),
            "content": "Конкурс проводится с целью выявления и поддержки творчески одаренных детей",
            "participants": participants, "dates": dates}, {
        "event_type": "competition_contest", "venue_countries": ["RU"], "country": country, "units": [unit],
        "online": online, "participants_total": n, "participants_qualifier": "more_than" if more else None,
    }


def _row_culture(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(countries=("BY", "AM", "Абхазия", "KZ"), kinds=("region", "city"))
    name = rng.choice(("Свiтанак", "Радзiма", "Наири", "Жетысу", "Апсны", "Криница"))
    where = f" ({'г. ' + unit['nom'] + ', ' if unit and unit['kind'] == 'city' else ''}{_COUNTRIES[country][0]})"
    collective = f"народный ансамбль песни и танца «{name}»{where}"
    org = rng.choice(ctx.local_orgs)
    k, v = rng.randint(8, 60), rng.randint(100, 900)
    title = rng_choice(rng, (f"Концерт народного ансамбля песни и танца «{name}»",
                             f"Гастроли народного ансамбля «{name}»"))
    units = [unit] if unit and unit["kind"] == "city" else []
    return {"title": title, "venue": ctx.local_venue(org),
            "content": "Концертная программа из народных песен и танцев",
            "participants": f"{_cap(collective)} ({_people_count(k)}).\n"
                            f"Количество посетителей – {_people_count(v)}"}, {
        "event_type": "concert_exhibition_culture", "venue_countries": ["RU"], "country": country, "units": units,
        "visitors": v, "breakdown": {country: k},
    }


def _row_tour(ctx: _Ctx):
    rng = ctx.rng
    org = rng.choice(ctx.local_orgs)
    views = rng.randint(50, 2000)
    foreign = rng.random() < 0.5
    country = None
    if foreign:
        audience, unspecified = "иностранных граждан", True
    else:
        country, _ = ctx.partner(countries=("BY", "KZ", "UZ", "KG"))
        audience, unspecified = f"обучающихся {_COUNTRIES[country][1]}", False
    return {"title": rng_choice(rng, ("Онлайн-тур «Экскурсия по историческому центру»",
                                      "Онлайн-экскурсия «Крепостная стена»")),
            "venue": ctx.local_venue(org, "(в дистанционном формате)"),
            "content": f"Организована онлайн-экскурсия с субтитрами для {audience}",
            "participants": f"{views} {_plural(views, 'просмотр', 'просмотра', 'просмотров')}"}, {
        "event_type": "excursion", "venue_countries": ["RU"], "country": country, "units": [],
        "online": True, "views": views, "foreign_participation_unspecified": unspecified,
    }


def _row_forum(ctx: _Ctx):
    rng = ctx.rng
    country = "BY"
    units = rng.sample([u for u in _REGIONS if u["country"] == "BY"] + [_CITIES[0]], 2)
    rr = rng.sample(ctx.ru_regions, rng.randint(1, 4))
    n = rng.randint(60, 400)
    by_part = " и ".join(("г. " + u["gen"]) if u["kind"] == "city" else u["gen"] for u in units)
    participants = (f"Более {n} ученых и педагогов из регионов Российской Федерации "
                    f"({', '.join(g for _, g in rr)}) и Республики Беларусь ({by_part})")
    return {"title": rng_choice(rng, ("Международная научно-практическая конференция «Образование в приграничье»",
                                      "Межрегиональный форум «Наука и молодежь Союзного государства»")),
            "venue": ctx.local_venue(rng.choice(ctx.local_orgs)),
            "content": "Обсуждены вопросы развития научного и образовательного сотрудничества",
            "participants": participants}, {
        "event_type": "forum_conference", "venue_countries": ["RU"], "country": country, "units": units,
        "participants_total": n, "participants_qualifier": "more_than", "russian_regions": [r for r, _ in rr],
    }


def _row_roundtable(ctx: _Ctx):
    rng = ctx.rng
    a, b = rng.randint(5, 30), rng.randint(5, 30)
    return {"title": "Круглый стол по вопросам адаптации иностранных студентов",
            "venue": ctx.local_venue(rng.choice(ctx.local_orgs)),
            "content": "Круглый стол организован с участием иностранных граждан и представителей "
                       "образовательных организаций высшего образования",
            "participants": ctx.total(a + b) + f"\n({_people_count(a)} – граждане Российской Федерации,\n"
                                              f"{_people_count(b)} – иностранные граждане)"}, {
        "event_type": "forum_conference", "venue_countries": ["RU"], "country": None, "units": [],
        "participants_total": a + b, "foreign_participation_unspecified": True,
    }


_BUILDERS = (
    (_row_visit_in, 16), (_row_visit_out, 14), (_row_meeting, 10), (_row_video, 12), (_row_contest, 12),
    (_row_culture, 10), (_row_tour, 6), (_row_forum, 6), (_row_roundtable, 5),
)


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _truth_places(units):
    regions, places = [], []
    for u in units:
        if not u:
            continue
        if u["kind"] in ("city", "district"):
            if u["nom"] not in places:
                places.append(u["nom"])
        if u["region"] and u["region"] not in regions:
            regions.append(u["region"])
    return regions, places


def generate_report(
    seed: int,
    *,
    region: str = "Смоленская область",
    region_genitive: str = "Смоленской области",
    year: int = 2025,
    quarter: int = 1,
    n_rows: int = 35,
    column_order: Sequence[str] | None = None,
    header_variant: int = 0,
    centre: tuple[str, str, str] | None = None,
    nbsp: float = 0.15,
) -> dict[str, Any]:
    """Make a synthetic report, the same for the same arguments.

    Parameters
    ----------
    seed : int
        Seed of the report's own ``random.Random``; nothing global is touched.
    region, region_genitive : str
        The reporting region in the nominative and genitive.
    year, quarter : int
        The reporting period; dates fall inside it (one event may run past
        its end, as real ones do).
    n_rows : int
        Number of event rows.
    column_order : sequence of str, optional
        A permutation of :data:`CANONICAL_COLUMNS`; default: the header
        variant's own order.
    header_variant : int
        Index into :data:`HEADER_VARIANTS` (0 is the real header).
    centre : (nominative, genitive, locative), optional
        The region's centre city, for venues; known for a few regions.
    nbsp : float
        Share of the spaces after "г.", initials and before dashes written as
        no-break spaces, as in real reports.

    Returns
    -------
    dict
        The report (see the module docstring) plus ``columns`` (canonical
        column of each position), ``region``, ``year``, ``quarter`` and
        ``truth``: one dict per row with what the row states (dates, online,
        hybrid, partner countries/regions/places, people, counts, agreements,
        event type).

    Examples
    --------
    >>> r = generate_report(7, n_rows=5)
    >>> sum(len(s["rows"]) for s in r["sections"]), len(r["header"]), r == generate_report(7, n_rows=5)
    (5, 6, True)
    """
    if quarter not in _ROMAN:
        raise ValueError(f"quarter must be 1-4, not {quarter!r}")
    if not 0 <= header_variant < len(HEADER_VARIANTS):
        raise ValueError(f"header_variant must be 0..{len(HEADER_VARIANTS) - 1}, not {header_variant!r}")
    labels, order = HEADER_VARIANTS[header_variant]
    if column_order is not None:
        order = tuple(column_order)
        if sorted(order) != sorted(CANONICAL_COLUMNS):
            raise ValueError(f"column_order must be a permutation of {CANONICAL_COLUMNS}, not {order!r}")
    rng = random.Random(seed)
    if centre is None:
        centre = _LOCAL_CENTRES.get(region)
    ctx = _Ctx(rng, region, region_genitive, year, quarter, centre)

    n_spheres = max(1, min(n_rows, rng.randint(6, 10)))
    spheres = sorted(rng.sample(range(len(_SPHERES)), n_spheres))
    cuts = sorted(rng.sample(range(1, n_rows), n_spheres - 1)) if n_rows > 1 else []
    bounds = [0, *cuts, n_rows]
    builders, weights = zip(*_BUILDERS)

    sections, truth = [], []
    number = 0
    for s, sphere_index in enumerate(spheres):
        sphere = _SPHERES[sphere_index]
        rows = []
        for _ in range(bounds[s + 1] - bounds[s]):
            number += 1
            cells, facts = rng.choices(builders, weights)[0](ctx)
            d_text, start, end, prec = cells.pop("dates", None) or ctx.dates()
            cells["dates"] = d_text
            cells["number"] = f"{number}. "
            if nbsp and rng.random() < 0.7:
                for key in ("venue", "participants", "content"):
                    cells[key] = _NBSP_RE.sub(lambda m: "\u00a0" if rng.random() < nbsp else " ", cells[key])
            rows.append([cells[c] for c in order])
            country = facts.get("country")
            regions, places = _truth_places(facts.get("units") or [])
            truth.append({
                "n": number, "sphere": sphere, "start": start, "end": end, "date_precision": prec,
                "online": facts.get("online", False), "hybrid": facts.get("hybrid", False),
                "venue_countries": facts.get("venue_countries", []),
                "partner_countries": [country] if country else [],
                "partner_regions": regions, "partner_places": places,
                "foreign_participation_unspecified": facts.get("foreign_participation_unspecified", False),
                "russian_regions_other": facts.get("russian_regions", []),
                "people": facts.get("people", []),
                "participants_total": facts.get("participants_total"),
                "participants_qualifier": facts.get("participants_qualifier"),
                "participants_breakdown": facts.get("breakdown"),
                "views": facts.get("views"), "visitors": facts.get("visitors"),
                "document_signed": facts.get("document_signed", False),
                "agreement_reached": facts.get("agreement_reached", False),
                "agreement_referenced": facts.get("agreement_referenced", False),
                "event_type": facts["event_type"],
            })
        sections.append({"sphere": sphere, "rows": rows})

    roman = _ROMAN[quarter]
    prep = "во" if quarter == 2 else "в"
    summary = None
    if rng.random() < 0.8 and ctx.meetings:
        k = ctx.meetings
        summary = (f"{_cap(prep)} {roman} квартале {year} года состоялось {k} "
                   f"{_plural(k, 'встреча', 'встречи', 'встреч')} (приемы, переговоры) с иностранными "
                   f"делегациями (отдельными лицами)\nв здании Дома Советов (пл. Ленина, д. 1)")
    return {
        "title_lines": [
            "Отчет о мероприятиях в международной сфере, проведенных исполнительными органами",
            f"{region_genitive} и подведомственными им учреждениями",
            f"{prep} {roman} квартале {year} года",
        ],
        "header": [labels[c] for c in order],
        "sections": sections,
        "summary": summary,
        "columns": list(order),
        "region": region,
        "year": year,
        "quarter": quarter,
        "truth": truth,
    }
