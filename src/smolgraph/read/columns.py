"""Which field each column of a report table feeds, from its header words or a user's mapping."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ReportError
from ..i18n import _
from ..lexicon import lexicon_table
from ..records import FIELDS

__all__ = [
    "ColumnMap",
    "OTHER",
    "field_of",
    "fields_of",
    "map_columns",
    "read_column_file",
    "parse_column_option",
    "REQUIRED_FIELDS",
]

#: A table needs a title column; everything else may be missing (a warning, not a refusal).
REQUIRED_FIELDS = ("title",)

#: What a user's mapping may name besides the fields: keep the column as an other cell.
OTHER = "other"

# A header is cut into parts at these, so "Дата и место проведения" feeds two fields.
_PARTS = re.compile(r"\s+и\s+|\s*[,;/]\s*")


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


@lru_cache(maxsize=1)
def _header_words() -> tuple[tuple[str, str, bool, re.Pattern[str]], ...]:
    """(field, word, is a phrase, pattern) of ``data/lexicon/columns.txt``, in file order."""
    out = []
    for name, words in lexicon_table("columns"):
        if name not in FIELDS:
            raise ValueError(f"data/lexicon/columns.txt names '{name}', which is not a field ({', '.join(FIELDS)})")
        for word in words:
            word = _norm(word)
            phrase = " " in word
            # A single word counts only at the start of a header word ("тема" is not in "системах").
            pattern = re.compile(re.escape(word) if phrase else r"(?<![0-9a-zа-я])" + re.escape(word))
            out.append((name, word, phrase, pattern))
    return tuple(out)


def field_of(header: str) -> str | None:
    """The field a header names by its words, or None.

    A phrase ("с иностранной стороны") beats a single word; among words
    the one written first wins, so "Место проведения мероприятия" is the
    venue though it also says "мероприятия".

    >>> field_of("Место проведения мероприятия"), field_of("Участники с иностранной стороны")
    ('venue', 'participants_foreign')
    >>> field_of("Фото") is None
    True
    """
    text = _norm(header)
    best: tuple[int, int, int, str] | None = None
    for order, (name, _word, phrase, pattern) in enumerate(_header_words()):
        found = pattern.search(text)
        if found:
            key = (0 if phrase else 1, found.start(), order, name)
            if best is None or key < best:
                best = key
    return best[3] if best else None


def fields_of(header: str) -> tuple[str, ...]:
    """Every field a header names: one, or several when its parts name different ones.

    >>> fields_of("Дата и место проведения")
    ('dates', 'venue')
    >>> fields_of("Цель и результаты")
    ('content',)
    """
    whole = field_of(header)
    if whole is None:
        return ()
    # What a header explains in brackets ("Участники (общее количество, …)") names no column of its own.
    bare = re.sub(r"\([^)]*\)?", " ", header)
    parts = [field_of(part) for part in _PARTS.split(bare) if part.strip()]
    named = tuple(dict.fromkeys(p for p in parts if p))
    return named if len(named) > 1 and whole in named else (whole,)


@dataclass
class ColumnMap:
    """How the columns of one table header were understood.

    ``fields[i]`` are the fields column ``i`` feeds (empty for a column no
    rule knows, whose text is kept as an other cell under its header).
    ``by_user`` lists the headers a user's mapping decided.
    """

    headers: list[str]
    fields: list[tuple[str, ...]]
    by_user: list[str] = field(default_factory=list)

    @property
    def unknown(self) -> list[str]:
        """Headers no rule and no mapping knows."""
        return [h for h, f in zip(self.headers, self.fields) if not f and h.strip() and h not in self.by_user]

    def header_of(self) -> dict[str, str]:
        """field -> the header it was read from (the first, when several feed one field)."""
        out: dict[str, str] = {}
        for header, names in zip(self.headers, self.fields):
            for name in names:
                out.setdefault(name, header)
        return out

    def split(self, cells: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """The cells of one row as (field -> text, other header -> text).

        Two columns feeding one field are joined line by line; only the
        first number column counts as the row label.
        """
        values: dict[str, str] = {}
        other: dict[str, str] = {}
        for header, names, text in zip(self.headers, self.fields, cells):
            if not names:
                if text:
                    other[header or f"column {len(other) + 1}"] = text
                continue
            for name in names:
                if name in values and name != "number":
                    values[name] = f"{values[name]}\n{text}" if values[name] and text else values[name] or text
                else:
                    values.setdefault(name, text)
        return values, other


def map_columns(headers: list[str], *, file: str, user: Mapping[str, str] | None = None) -> ColumnMap:
    """Map header cells to fields by a user's mapping first, then by their words.

    >>> m = map_columns(["№", "Тематика", "Наименование мероприятия", "Сроки", "Фото"], file="x.docx",
    ...                 user={"тематика": "sphere"})
    >>> m.fields, m.unknown
    ([('number',), ('sphere',), ('title',), ('dates',), ()], ['Фото'])

    Raises
    ------
    ReportError
        When no column is the event's title (then the table cannot be read;
        the message says how to name the column with ``--column``).
    """
    wanted = {_norm(k): v for k, v in (user or {}).items()}
    fields: list[tuple[str, ...]] = []
    by_user: list[str] = []
    for header in headers:
        text = _norm(header)
        chosen = wanted.get(text)
        if chosen is None:
            chosen = next((v for k, v in wanted.items() if k and k in text), None)
        if chosen is not None:
            by_user.append(header)
            fields.append(() if chosen == OTHER else (chosen,))
        else:
            fields.append(fields_of(header))
    mapping = ColumnMap(headers=list(headers), fields=fields, by_user=by_user)
    missing = [f for f in REQUIRED_FIELDS if not any(f in names for names in fields)]
    if missing:
        shown = "; ".join(f"'{' '.join(h.split())}'" for h in headers) or _("none")
        raise ReportError(
            _(
                "no column of the table header is the event's title (headers: {headers}). Name it for smolgraph: "
                "--column \"HEADER=title\" (fields: {fields})."
            ).format(headers=shown, fields=", ".join(FIELDS)),
            file=file,
        )
    return mapping


def parse_column_option(text: str) -> tuple[str, str]:
    """``"Тематика=sphere"`` → ``("Тематика", "sphere")``, checking the field name.

    >>> parse_column_option("Тематика = sphere")
    ('Тематика', 'sphere')
    """
    header, sep, name = text.partition("=")
    header, name = header.strip(), name.strip().lower()
    if not sep or not header:
        raise ValueError(_("'{text}' is not HEADER=FIELD (e.g. \"Тематика=sphere\")").format(text=text))
    if name not in FIELDS and name != OTHER:
        raise ValueError(
            _("'{name}' is not a field; fields are: {fields}, or '{other}' to keep the column as text").format(
                name=name, fields=", ".join(FIELDS), other=OTHER
            )
        )
    return header, name


def read_column_file(path: str | Path) -> dict[str, str]:
    """A mapping file: one ``HEADER = FIELD`` a line, ``#`` comments.

    Raises
    ------
    ReportError
        A line that is not a pair, or names no field; the message gives the line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(_("cannot read the column mapping ({error}).").format(error=exc), file=str(path)) from None
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            header, name = parse_column_option(line)
        except ValueError as exc:
            raise ReportError(_("line {number}: {error}.").format(number=number, error=exc), file=str(path)) from None
        out[header] = name
    return out
