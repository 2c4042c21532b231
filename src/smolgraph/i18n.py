"""Messages in the reader's language: Russian or English, from gettext catalogs.

Every text a person reads goes through :func:`_` (or :func:`ngettext`),
with its English wording as the message id. The Russian catalog is
``locale/ru/LC_MESSAGES/smolgraph.po`` inside the package; it is compiled
in memory with Babel the first time it is needed, so an installed package,
a wheel and a checkout read the same file. ``babel.cfg`` and
``tests/test_i18n.py`` keep the catalog complete: a message without a
translation fails the tests. The named questions' texts are extracted by
:func:`smolgraph.ask.extract_rq`, beside the reader of their headers: this
module sits below everything and imports nothing of smolgraph above it.

The language is Russian when ``SMOLGRAPH_LANG`` says so (``ru``), or,
without it, when the locale does (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``ru_RU.UTF-8``); English otherwise.
"""
from __future__ import annotations

import gettext as _gettext
import hashlib
import io
import os
from functools import lru_cache
from importlib import resources

from ._cache import cache_dir

__all__ = ["_", "ngettext", "language", "translations", "LANGUAGES"]

#: The languages smolgraph speaks; the first is the one its messages are written in.
LANGUAGES = ("en", "ru")


def language() -> str:
    """``"ru"`` or ``"en"``, from ``SMOLGRAPH_LANG`` or the locale.

    >>> language() in LANGUAGES
    True
    """
    explicit = os.environ.get("SMOLGRAPH_LANG", "").strip()
    if explicit:
        return _known(explicit)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").strip()
        if value:
            # LANGUAGE may list several ("ru:en"); the first wins. "C" and "POSIX" are English.
            return _known(value.split(":")[0])
    return "en"


def _known(value: str) -> str:
    """The language of a locale name.

    >>> _known("ru_RU.UTF-8"), _known("C"), _known("en_GB"), _known("de_DE")
    ('ru', 'en', 'en', 'en')
    """
    code = value.lower().replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGUAGES else "en"


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang``, compiled from its ``.po`` file; English is the messages themselves.

    The compiled catalog is kept in the cache folder under the hash of the
    ``.po``, so a command in Russian does not import and run Babel every
    time it starts (40 ms of an 80 ms ``--help``).
    """
    if lang == "en":
        return _gettext.NullTranslations()
    source = (resources.files(__package__) / "locale" / lang / "LC_MESSAGES" / "smolgraph.po").read_bytes()
    folder = cache_dir()
    cached = folder / f"messages-{lang}-{hashlib.sha256(source).hexdigest()[:16]}.mo" if folder else None
    if cached is not None and cached.is_file():
        try:
            with cached.open("rb") as handle:
                return _gettext.GNUTranslations(handle)
        except (OSError, ValueError):  # a damaged cache file: compile again
            pass
    compiled = _compile(source, lang)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(compiled)
            partial.replace(cached)  # whole or not at all, for a command started beside this one
        except OSError:
            pass  # a read-only home: compile each time
    return _gettext.GNUTranslations(io.BytesIO(compiled))


def _compile(source: bytes, lang: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


def _(message: str) -> str:
    """``message`` in the reader's language.

    >>> translations("ru").gettext("the file is empty."), translations("en").gettext("the file is empty.")
    ('файл пуст.', 'the file is empty.')
    """
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, with Russian's three forms in Russian."""
    return translations(language()).ngettext(singular, plural, n)

