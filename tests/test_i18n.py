"""Every message has its Russian translation; the language follows SMOLGRAPH_LANG and the locale."""
from __future__ import annotations

from pathlib import Path

import pytest

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

import smolgraph  # noqa: E402
from smolgraph import i18n  # noqa: E402
from smolgraph._paths import queries_dir  # noqa: E402

PACKAGE = Path(smolgraph.__file__).parent
CATALOG = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "smolgraph.po"


def source_messages() -> dict[str, str]:
    """Every message id marked in the package's code, with where it is."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}
    ):
        # A plural message is filed under its singular id (the plural is its msgid_plural).
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    # What the named questions tell users (`smolgraph ask`), read by the extractor babel.cfg names for them.
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(queries_dir()), method_map=[("*.rq", "smolgraph.ask:extract_rq")], keywords={"_": None}
    ):
        found.setdefault(message, f"queries/{filename}:{lineno}")
    return found


def test_every_message_has_a_russian_translation():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    missing = []
    for msgid, where in sorted(source_messages().items(), key=lambda item: item[1]):
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or not all(texts) or entry.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, f"{len(missing)} messages have no Russian translation:\n" + "\n".join(missing[:50])


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"SMOLGRAPH_LANG": "ru"}, "ru"),
        ({"SMOLGRAPH_LANG": "en", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "C"}, "en"),
        ({"LC_ALL": "ru_RU.UTF-8", "LANG": "C"}, "ru"),
        ({"LANGUAGE": "ru:en"}, "ru"),
        ({}, "en"),
    ],
)
def test_the_language_follows_smolgraph_lang_then_the_locale(monkeypatch, env, expected):
    for variable in ("SMOLGRAPH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    assert i18n.language() == expected


def test_a_message_reads_in_russian_under_a_russian_locale(monkeypatch):
    monkeypatch.delenv("SMOLGRAPH_LANG", raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert i18n._("the file is empty.") == "файл пуст."
    monkeypatch.setenv("LANG", "C")
    assert i18n._("the file is empty.") == "the file is empty."


def test_the_compiled_catalog_is_kept_and_used(tmp_path, monkeypatch):
    monkeypatch.setenv("SMOLGRAPH_CACHE", str(tmp_path))
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("ru").gettext("the file is empty.") == "файл пуст."
        [kept] = tmp_path.glob("messages-ru-*.mo")
        i18n.translations.cache_clear()
        # Read back from the kept file, without Babel: the same words.
        assert i18n.translations("ru").gettext("the file is empty.") == "файл пуст."
        kept.write_bytes(b"not a catalog")
        i18n.translations.cache_clear()
        assert i18n.translations("ru").gettext("the file is empty.") == "файл пуст."  # compiled again
    finally:
        i18n.translations.cache_clear()
