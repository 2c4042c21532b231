"""Text that leaves smolgraph for a spreadsheet or a terminal: made safe for where it goes.

A cell of a report, or an answer of a remote endpoint, can hold a
spreadsheet formula (``=HYPERLINK("http://…")``) or a terminal escape
(``ESC[2J``). Neither is ever run where smolgraph writes it.
"""
from __future__ import annotations

import os
import re

__all__ = ["spreadsheet_cell", "keep_formulas", "printable", "xml_text"]

# OWASP's rule for CSV injection: a cell that starts with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def keep_formulas() -> bool:
    """True when ``SMOLGRAPH_CSV_FORMULAS=keep``: CSV cells are written exactly as stored."""
    return os.environ.get("SMOLGRAPH_CSV_FORMULAS", "").strip().lower() == "keep"


def spreadsheet_cell(value, *, keep: bool | None = None):
    """A CSV cell that a spreadsheet shows as text, never runs.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a ``'`` in front (Excel and LibreOffice then show it as
    text); numbers and other values pass as they are. ``keep`` (default:
    :func:`keep_formulas`) writes the text unchanged.

    >>> spreadsheet_cell('=HYPERLINK("http://x")'), spreadsheet_cell("-5"), spreadsheet_cell(-5), spreadsheet_cell("Минск")
    ('\\'=HYPERLINK("http://x")', "'-5", -5, 'Минск')
    """
    if keep is None:
        keep = keep_formulas()
    if keep or not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    return "'" + value


def printable(text: str) -> str:
    """Text for a terminal: control characters (ESC, NUL, …) shown as ``\\xNN``, never sent.

    >>> printable("Минск\\x1b[2J")
    'Минск\\\\x1b[2J'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def xml_text(text: str) -> str:
    r"""Text an XML 1.0 file can hold: characters it cannot (NUL, ESC …) become U+FFFD.

    Reports are cleaned when read; this guards what comes from elsewhere
    (a store written before, a remote endpoint) on its way into GEXF or GraphML.

    >>> xml_text("Минск\x00\x1b") == "Минск\ufffd\ufffd"
    True
    """
    return _NOT_XML.sub("\ufffd", text)
