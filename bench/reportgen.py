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
    """Write *report* as a Word file laid out like ``shared/reports/*.docx``.

    The file is byte-for-byte the same for the same report: the zip entries
    get a fixed timestamp, so generated files can be committed and compared.
    """
    import io
    import zipfile

    buffer = io.BytesIO()
    build_docx(report).save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, src.read(item.filename))


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
    """A foreign official's role that names *unit* (or the country's embassy when *unit* is None)."""
    cn_gen = _COUNTRIES[country][1]
    deputy = rng.random() < 0.6
    if unit is None:
        return rng.choice((
            ("Чрезвычайный и Полномочный Посол", "Чрезвычайного и Полномочного Посла",
             "Чрезвычайным и Полномочным Послом", f" {cn_gen} в Российской Федерации"),
            ("советник Посольства", "советника Посольства", "советником Посольства",
             f" {cn_gen} в Российской Федерации"),
        ))
    kind, adj = unit["kind"], unit.get("adj")
    if country == "BY" and (kind != "city" or adj):
        level = {"region": "областного", "district": "районного"}.get(kind, "городского")
        tail = f" {adj}ого {level} исполнительного комитета"
        if deputy:
            return ("заместитель председателя", "заместителя председателя", "заместителем председателя", tail)
        return ("председатель", "председателя", "председателем", tail)
    where = " " + unit["gen"] if kind != "city" else f" г. {unit['gen']}"
    if country == "KG" and kind == "region":
        return ("полномочный представитель", "полномочного представителя", "полномочным представителем",
                f" Правительства Кыргызской Республики в {unit['loc']}")
    mayor = ("мэр", "мэра", "мэром")
    head = {
        "KZ": ("аким", "акима", "акимом"), "UZ": ("хоким", "хокима", "хокимом"), "KG": mayor,
        "CN": ("губернатор", "губернатора", "губернатором") if kind == "region" else mayor,
        "AM": ("губернатор", "губернатора", "губернатором") if kind == "region" else mayor,
    }.get(country)
    if head is None:  # a Belarusian town without its own executive committee, Sukhum, ...
        if country == "BY":
            school = f" ГУО «Средняя школа № {rng.randint(1, 40)} г. {unit['gen']}»"
        else:
            school = f" ОУ «Средняя школа № {rng.randint(1, 40)}» г. {unit['gen']}"
        return ("директор", "директора", "директором", school)
    if deputy:
        head = ("заместитель " + head[1], "заместителя " + head[1], "заместителем " + head[1])
    return (*head, where)


def _people_count(n: int, one: str = "человек", few: str = "человека", many: str = "человек") -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


_NBSP_RE = re.compile(r"(?<=\bг\.) |(?<=\bим\.) |(?<=[А-Я]\.[А-Я]\.) | (?=–)|(?<=\d) (?=человек)")


def _pick(rng: random.Random, seq: Sequence):
    """``rng.choice`` without its bit-length dance: about twice as fast."""
    return seq[int(rng.random() * len(seq))]


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
        self.region_acc = stem + "ую область" if stem else region
        if stem:
            s = stem[0] + "ОГБУ"
            self.local_orgs = {
                "culture": (f"ОГАУК «{stem}ая областная филармония»",
                            f"ГБУК «{stem}ая областная научная библиотека»",
                            f"ГБУК «{stem}ий областной центр народного творчества»",
                            f"ГБУК «{stem}ий областной краеведческий музей»"),
                "education": (f"ГАУ ДПО «{stem}ий областной институт развития образования»",
                              f"ОГБПОУ «{stem}ий педагогический колледж»",
                              f"{s} ДО «Областной центр детского творчества»"),
                "youth": (f"{s} «{stem}ий областной молодежный центр»",),
                "social": (f"{s} «{stem}ий комплексный центр социального обслуживания населения»",
                           f"{s} «Областной реабилитационный центр для детей с ограниченными возможностями»"),
                "sport": (f"{s} «Спортивная школа олимпийского резерва»",),
            }
        else:
            self.local_orgs = {
                "culture": (f"Министерство культуры {region_genitive}",),
                "education": (f"Министерство образования и науки {region_genitive}",),
                "youth": (f"Областной молодежный центр {region_genitive}",),
                "social": (f"Министерство социального развития {region_genitive}",),
                "sport": (f"Министерство спорта {region_genitive}",),
            }
        self.ru_regions = [r for r in _RU_REGIONS if r[0] != region]
        self.meetings = 0

    def org(self, *kinds: str) -> str:
        pool = [o for k in kinds for o in self.local_orgs[k]]
        return _pick(self.rng, pool)

    def local_person(self, roles=_LOCAL_ROLES):
        head_nom, head_gen, head_ins, tail = _pick(self.rng, roles)
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
        unit = _pick(rng, units) if units and (None not in kinds or rng.random() < 0.85) else None
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
        """A named foreign organisation located in *unit*: (nominative, instrumental)."""
        rng = self.rng
        cn_nom = _COUNTRIES[country][0]
        if unit is not None and country == "BY":
            if unit["kind"] == "region":
                adj = unit["adj"]
                return _pick(rng, (
                    (f"{adj}ий областной исполнительный комитет", f"{adj}им областным исполнительным комитетом"),
                    (f"ГУК «{adj}ая областная библиотека»",) * 2,
                    (f"УК «{adj}ий областной драматический театр»",) * 2,
                ))
            if unit["kind"] == "district":
                name = _pick(rng, (
                    f"ГУ «Территориальный центр социального обслуживания населения {unit['gen']}»",
                    f"ГУК «Централизованная библиотечная система {unit['gen']}»",
                    f"ГУО «Средняя школа № {rng.randint(1, 9)} {unit['gen']}»",
                ))
                return name, name
            name = _pick(rng, (f"ГУО «Средняя школа № {rng.randint(1, 40)} г. {unit['gen']}»",
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
            kind = "КГУ «Общеобразовательная школа" if country == "KZ" else "ОУ «Средняя школа"
            name = f"{kind} № {rng.randint(1, 60)}» (г. {unit['nom']}, {cn_nom})"
            return name, name
        name = f"Посольство {_COUNTRIES[country][1]} в Российской Федерации"
        return name, f"Посольством {_COUNTRIES[country][1]} в Российской Федерации"

    def dates(self, style: str = "any"):
        """Return (text, start, end, precision) inside the report's quarter.

        ``style``: ``day`` (one day), ``short`` (one day or a few in one
        month), ``any``, ``long`` (across months, sometimes past the
        quarter's end) or ``month`` (month precision).
        """
        rng, y, q = self.rng, self.year, self.quarter
        months = (3 * q - 2, 3 * q - 1, 3 * q)
        brk = "\n" if rng.random() < 0.5 else " "
        if style == "month":
            m1 = _pick(rng, months)
            if m1 < months[-1] and rng.random() < 0.6:
                m2 = m1 + 1
                text = f"{_MONTH_NOM[m1]}-{_MONTH_NOM[m2]}{brk}{y} года"
            else:
                m2 = m1
                text = f"{_MONTH_NOM[m1]}{brk}{y} года"
            return text, f"{y}-{m1:02d}", f"{y}-{m2:02d}", "month"
        form = rng.random()
        if style == "long" or (style == "any" and form < 0.12):
            # across two months, sometimes across the quarter's end
            m = _pick(rng, months)
            if m == months[-1] and rng.random() < 0.5:
                y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
            else:
                m = _pick(rng, months[:2])
                y2, m2 = y, m + 1
            last = calendar.monthrange(y, m)[1]
            d1 = rng.randint(max(1, last - 6), last)
            d2 = rng.randint(1, 20 if style == "long" else 8)
            start, end = date(y, m, d1), date(y2, m2, d2)
            if y2 != y:
                text = f"{d1} {_MONTH_GEN[m]} {y} года – {d2} {_MONTH_GEN[m2]} {y2} года"
            else:
                sep = _pick(rng, (" – ", " – \n", "\u00a0– "))
                text = f"{d1} {_MONTH_GEN[m]}{sep}{d2} {_MONTH_GEN[m2]}{brk}{y} года"
            return text, start.isoformat(), end.isoformat(), "day"
        m = _pick(rng, months)
        last = calendar.monthrange(y, m)[1]
        form = rng.random()
        if form < 0.1:
            d = rng.randint(1, last)
            return f"{d:02d}.{m:02d}.{y}", date(y, m, d).isoformat(), date(y, m, d).isoformat(), "day"
        if style == "day" or form < 0.55:
            d = rng.randint(1, last)
            text = f"{d} {_MONTH_GEN[m]}{brk}{y} года"
            return text, date(y, m, d).isoformat(), date(y, m, d).isoformat(), "day"
        d1 = rng.randint(1, last - 2)
        d2 = rng.randint(d1 + 1, min(last, d1 + 4))
        start, end = date(y, m, d1).isoformat(), date(y, m, d2).isoformat()
        if form < 0.85 or d2 == d1 + 1:
            return f"{d1}-{d2} {_MONTH_GEN[m]}{brk}{y} года", start, end, "day"
        year = f" {y} года" if rng.random() < 0.5 else ""
        return f"с {d1} по {d2} {_MONTH_GEN[m]}{year}", start, end, "day"

    def local_venue(self, org=None, online=None):
        place = f"г. {self.centre[0]}" if self.centre else self.region
        lines = [place + ("," if org else "")]
        if org:
            lines.append(org)
        if online:
            lines.append(online)
        return "\n".join(lines)

    def total(self, n):
        return _pick(self.rng, (
            f"Общее количество участников – {_people_count(n)}",
            f"Общее количество участников\u00a0– {_people_count(n)}",
            f"Общее количество участников мероприятия – {_people_count(n)}",
        ))


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
_ENSEMBLES = {"BY": ("Вясёлка", "Купалинка", "Криница"), "AM": ("Наири", "Арарат"),
              "KZ": ("Жетысу", "Сарыарка"), "Абхазия": ("Апсны",)}
_SPORTS = ("вольной борьбе", "дзюдо", "мини-футболу", "баскетболу 3х3", "легкой атлетике", "самбо")


def _row_visit_in(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("region", "district", "city"))
    pg = ctx.partner_gen(country, unit)
    where = f"г. {ctx.centre[0]}" if ctx.centre else ctx.region_acc
    title = _pick(rng, (
        f"Визит делегации {pg} в {where}",
        f"Прием делегации {pg}",
        f"Визит в {where} делегации {pg} с целью развития сотрудничества",
    ))
    local, foreign = ctx.local_person(), ctx.foreign_person(unit, country)
    sentences = [f"В ходе визита {_pick(rng, _DISCUSSED)}"]
    signed = agreed = False
    r = rng.random()
    if r < 0.25 and unit["kind"] == "region":
        _, org_ins = ctx.foreign_org(country, unit)
        sentences.append(f"Подписано соглашение о сотрудничестве между Правительством {ctx.rg} и {org_ins}")
        signed = True
    elif r < 0.5:
        sentences.append(f"Достигнута договоренность {_pick(rng, _AGREED)}")
        agreed = True
    n = rng.randint(6, 40)
    participants = f"{_cap(local['nom'])},\nделегация {pg} во главе с {foreign['ins']}.\n" + ctx.total(n)
    ctx.meetings += 1
    org = ctx.org("culture", "education", "social") if rng.random() < 0.3 else None
    return {
        "title": title, "venue": ctx.local_venue(org), "content": ". ".join(sentences),
        "participants": participants, "dates": ctx.dates("short"),
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
    if unit["kind"] == "city":
        title = f"Рабочий визит делегации {ctx.rg} в г. {unit['nom']} ({cn_nom})"
        lines = [f"г. {unit['nom']},"]
        if unit["region"] and unit["region"] != unit["nom"] and rng.random() < 0.5:
            lines.append(unit["region"] + ",")
        lines.append(cn_nom)
        venue = "\n".join(lines)
    else:
        title = f"Визит делегации {ctx.rg} в {unit['acc']} ({cn_nom})"
        venue = f"{unit['nom']},\n{cn_nom}"
    agreed = False
    content = f"В рамках визита {_pick(rng, _DISCUSSED)}"
    if rng.random() < 0.25:
        content += f". Достигнута договоренность {_pick(rng, _AGREED)}"
        agreed = True
    k = rng.randint(3, 15)
    participants = _pick(rng, (
        f"Делегация {ctx.rg} во главе с {local['ins']} ({_people_count(k)})",
        f"Делегация {ctx.rg} во главе с\u00a0{local['ins']} (в составе {k} человек)",
    ))
    return {
        "title": title, "venue": venue, "content": content, "participants": participants,
        "dates": ctx.dates("long" if rng.random() < 0.1 else "short"),
    }, {
        "event_type": "visit_outgoing", "venue_countries": [country], "country": country, "units": [unit],
        "people": [local["truth"]], "breakdown": {"RU": k}, "agreement_reached": agreed,
    }


def _row_meeting(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("region", "city", None))
    local, other = ctx.local_person(_LOCAL_ROLES[:3]), ctx.local_person(_LOCAL_ROLES[3:])
    foreign = ctx.foreign_person(unit, country)
    title = f"Рабочая встреча {local['gen']} с {foreign['ins']}"
    hybrid = rng.random() < 0.35
    remote = " (в режиме ВКС)" if hybrid else ""
    n = rng.randint(4, 25)
    if rng.random() < 0.3:
        venue = f"г. Москва,\nПредставительство Правительства {ctx.rg} при Правительстве Российской Федерации"
    else:
        venue = ctx.local_venue("Дом Советов" if rng.random() < 0.5 else None)
        ctx.meetings += 1
    signed = rng.random() < 0.25 and unit is not None and unit["kind"] == "region"
    content = f"В ходе встречи {_pick(rng, _DISCUSSED)}"
    if signed:
        _, org_ins = ctx.foreign_org(country, unit)
        content += f". По итогам встречи подписано соглашение о сотрудничестве между Правительством {ctx.rg} и {org_ins}"
    participants = f"{_cap(local['nom'])},\n{other['nom']}{remote},\n{foreign['nom']}.\n" + ctx.total(n)
    other_truth = dict(other["truth"], remote=True) if hybrid else other["truth"]
    return {"title": title, "venue": venue, "content": content, "participants": participants,
            "dates": ctx.dates("day")}, {
        "event_type": "meeting", "venue_countries": ["RU"], "country": country, "units": [unit],
        "people": [local["truth"], other_truth, foreign["truth"]], "participants_total": n, "hybrid": hybrid,
        "document_signed": signed, "agreement_reached": signed,
    }


def _row_video(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(countries=("BY", "KZ", "KG", "UZ"), kinds=("district", "city"))
    org_nom, _ = ctx.foreign_org(country, unit)
    local_org = ctx.org("education", "social", "youth")
    marker = _pick(rng, ("(в дистанционном формате)", "(в режиме видеоконференцсвязи)"))
    place = unit["nom"] if unit else _COUNTRIES[country][0]
    centre = ctx.centre[0] if ctx.centre else ctx.region
    title = _pick(rng, (f"Телемост «{centre} – {place}»", f"Видеоконференция «{centre} – {place}»",
                             "Проведение телемоста", "Телемост-знакомство"))
    a, b = rng.randint(5, 25), rng.randint(5, 25)
    referenced = rng.random() < 0.3
    content = _pick(rng, (
        "Обмен опытом работы по организации досуга и социальной поддержки граждан старшего поколения",
        "Участники рассказали о традициях своих регионов и обсудили планы совместных проектов",
        "Обмен опытом по вопросам патриотического воспитания обучающихся",
    ))
    if referenced:
        content += " в рамках соглашения о сотрудничестве"
    cn = "" if _COUNTRIES[country][0] in org_nom else f" ({_COUNTRIES[country][0]})"
    breakdown = None
    if rng.random() < 0.5:
        participants = (f"Представители {local_org} ({_people_count(a)}), "
                        f"{org_nom}{cn} ({_people_count(b)}).\n" + ctx.total(a + b))
        breakdown = {"RU": a, country: b}
    else:
        participants = f"Сотрудники {local_org} и {org_nom}{cn}.\n" + ctx.total(a + b)
    return {"title": title, "venue": ctx.local_venue(local_org, marker), "content": content,
            "participants": participants, "dates": ctx.dates("day")}, {
        "event_type": "videoconference", "venue_countries": ["RU"], "country": country, "units": [unit],
        "online": True, "participants_total": a + b, "breakdown": breakdown, "agreement_referenced": referenced,
    }


def _row_contest(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(kinds=("district", "region", None))
    online = rng.random() < 0.7
    title = _pick(rng, (
        f"Международный конкурс детского рисунка «{_pick(rng, _CONTEST_NAMES)}»",
        f"Открытый дистанционный конкурс чтецов «{_pick(rng, _CONTEST_NAMES)}»",
        f"Международный фестиваль-конкурс детского творчества «{_pick(rng, _CONTEST_NAMES)}»",
    ))
    if unit is None:
        who = _COUNTRIES[country][1]
    elif unit["kind"] == "district":
        who = f"учреждений образования {unit['gen']} ({_COUNTRIES[country][0]})"
    else:
        who = f"{unit['gen']} ({_COUNTRIES[country][0]})"
    n = rng.randint(40, 400)
    more = rng.random() < 0.3
    count = f"Более {n} участников" if more else ctx.total(n)
    return {"title": title,
            "venue": ctx.local_venue(ctx.org("education", "culture"), "(в дистанционном формате)" if online else None),
            "content": "Конкурс проводится с целью выявления и поддержки творчески одаренных детей",
            "participants": f"Обучающиеся образовательных организаций {ctx.rg} и {who}.\n{count}",
            "dates": ctx.dates("month" if rng.random() < 0.5 else "long")}, {
        "event_type": "competition_contest", "venue_countries": ["RU"], "country": country, "units": [unit],
        "online": online, "participants_total": n, "participants_qualifier": "more_than" if more else None,
    }


def _row_culture(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(countries=tuple(_ENSEMBLES), kinds=("city",))
    name = _pick(rng, _ENSEMBLES[country])
    where = f" (г. {unit['nom']}, {_COUNTRIES[country][0]})" if unit else f" ({_COUNTRIES[country][0]})"
    k, v = rng.randint(8, 60), rng.randint(100, 900)
    title = _pick(rng, (f"Концерт народного ансамбля песни и танца «{name}»",
                             f"Гастроли народного ансамбля «{name}»"))
    return {"title": title, "venue": ctx.local_venue(ctx.org("culture")),
            "content": "Концертная программа из народных песен и танцев",
            "participants": f"Народный ансамбль песни и танца «{name}»{where} ({_people_count(k)}).\n"
                            f"Количество посетителей – {_people_count(v)}",
            "dates": ctx.dates("day")}, {
        "event_type": "concert_exhibition_culture", "venue_countries": ["RU"], "country": country, "units": [unit],
        "visitors": v, "breakdown": {country: k},
    }


def _row_tour(ctx: _Ctx):
    rng = ctx.rng
    views = rng.randint(50, 2000)
    country = None
    if rng.random() < 0.5:
        audience = "иностранных граждан"
    else:
        country, _ = ctx.partner(countries=("BY", "KZ", "UZ", "KG"))
        audience = f"обучающихся {_COUNTRIES[country][1]}"
    return {"title": _pick(rng, ("Онлайн-тур «Экскурсия по историческому центру»",
                                      "Онлайн-экскурсия «Крепостная стена»")),
            "venue": ctx.local_venue(ctx.org("culture", "youth"), "(в дистанционном формате)"),
            "content": f"Организована онлайн-экскурсия с субтитрами для {audience}",
            "participants": f"{views} {_plural(views, 'просмотр', 'просмотра', 'просмотров')}",
            "dates": ctx.dates("day")}, {
        "event_type": "excursion", "venue_countries": ["RU"], "country": country, "units": [],
        "online": True, "views": views, "foreign_participation_unspecified": country is None,
    }


def _row_forum(ctx: _Ctx):
    rng = ctx.rng
    units = rng.sample([u for u in _REGIONS if u["country"] == "BY"] + [_CITIES[0]], 2)
    rr = rng.sample(ctx.ru_regions, rng.randint(1, 4))
    n = rng.randint(60, 400)
    by_part = " и ".join(("г. " + u["gen"]) if u["kind"] == "city" else u["gen"] for u in units)
    participants = (f"Более {n} ученых и педагогов из регионов Российской Федерации "
                    f"({', '.join(g for _, g in rr)}) и Республики Беларусь ({by_part})")
    return {"title": _pick(rng, ("Международная научно-практическая конференция «Образование в приграничье»",
                                      "Межрегиональный форум «Наука и молодежь Союзного государства»")),
            "venue": ctx.local_venue(ctx.org("education")),
            "content": "Обсуждены вопросы развития научного и образовательного сотрудничества",
            "participants": participants, "dates": ctx.dates("short")}, {
        "event_type": "forum_conference", "venue_countries": ["RU"], "country": "BY", "units": units,
        "participants_total": n, "participants_qualifier": "more_than", "russian_regions": [r for r, _ in rr],
    }


def _row_roundtable(ctx: _Ctx):
    rng = ctx.rng
    a, b = rng.randint(5, 30), rng.randint(5, 30)
    return {"title": "Круглый стол по вопросам адаптации иностранных студентов",
            "venue": ctx.local_venue(ctx.org("youth", "education")),
            "content": "Круглый стол организован с участием иностранных граждан и представителей "
                       "образовательных организаций высшего образования",
            "participants": ctx.total(a + b) + f"\n({_people_count(a)} – граждане Российской Федерации,\n"
                                              f"{_people_count(b)} – иностранные граждане)",
            "dates": ctx.dates("day")}, {
        "event_type": "forum_conference", "venue_countries": ["RU"], "country": None, "units": [],
        "participants_total": a + b, "breakdown": {"RU": a, "foreign_citizens": b},
        "foreign_participation_unspecified": True,
    }


def _row_sport(ctx: _Ctx):
    rng = ctx.rng
    country, unit = ctx.partner(countries=("BY", "KZ", "UZ", "AM"), kinds=("region", "city"))
    rr = rng.sample(ctx.ru_regions, rng.randint(1, 3))
    teams = ", ".join(g for _, g in rr)
    foreign = f"{unit['gen']} ({_COUNTRIES[country][0]})" if unit["kind"] == "region" else \
        f"г. {unit['gen']} ({_COUNTRIES[country][0]})"
    n = rng.randint(40, 300)
    return {"title": f"Международный турнир по {_pick(rng, _SPORTS)} среди юношей и девушек",
            "venue": ctx.local_venue(ctx.org("sport")),
            "content": "Участие в соревнованиях, укрепление дружественных связей между регионами",
            "participants": f"Команды {ctx.rg}, {teams} и {foreign}.\n" + ctx.total(n),
            "dates": ctx.dates("short")}, {
        "event_type": "competition_contest", "venue_countries": ["RU"], "country": country, "units": [unit],
        "participants_total": n, "russian_regions": [r for r, _ in rr],
    }


# Which kinds of rows each sphere of _SPHERES holds, with weights.
_BY_SPHERE = (
    ((_row_visit_in, 3), (_row_visit_out, 3), (_row_meeting, 3)),
    ((_row_visit_in, 3), (_row_visit_out, 3), (_row_meeting, 2)),
    ((_row_visit_in, 2), (_row_visit_out, 3), (_row_meeting, 1)),
    ((_row_visit_out, 2), (_row_contest, 2), (_row_forum, 1)),
    ((_row_visit_in, 2), (_row_visit_out, 2), (_row_video, 2), (_row_forum, 1)),
    ((_row_culture, 4), (_row_tour, 2), (_row_contest, 2), (_row_visit_in, 1)),
    ((_row_forum, 2), (_row_contest, 3), (_row_video, 2), (_row_visit_out, 2), (_row_roundtable, 1)),
    ((_row_video, 3), (_row_visit_in, 1), (_row_forum, 1)),
    ((_row_roundtable, 2), (_row_tour, 2), (_row_video, 2), (_row_contest, 2)),
    ((_row_visit_in, 1), (_row_meeting, 1), (_row_tour, 1)),
    ((_row_sport, 1),),
    ((_row_meeting, 3), (_row_visit_out, 2), (_row_visit_in, 2)),
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
    if n_rows < 1:
        raise ValueError(f"n_rows must be at least 1, not {n_rows!r}")
    rng = random.Random(seed)
    if centre is None:
        centre = _LOCAL_CENTRES.get(region)
    ctx = _Ctx(rng, region, region_genitive, year, quarter, centre)

    n_spheres = max(1, min(n_rows, rng.randint(6, 10)))
    spheres = sorted(rng.sample(range(len(_SPHERES)), n_spheres))
    cuts = sorted(rng.sample(range(1, n_rows), n_spheres - 1)) if n_rows > 1 else []
    bounds = [0, *cuts, n_rows]

    sections, truth = [], []
    number = 0
    for s, sphere_index in enumerate(spheres):
        sphere = _SPHERES[sphere_index]
        builders, weights = zip(*_BY_SPHERE[sphere_index])
        rows = []
        for _ in range(bounds[s + 1] - bounds[s]):
            number += 1
            cells, facts = rng.choices(builders, weights)[0](ctx)
            d_text, start, end, prec = cells["dates"]
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
        verb = _plural(k, "состоялась", "состоялось", "состоялось")
        summary = (f"{_cap(prep)} {roman} квартале {year} года {verb} {k} "
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
