"""The workbench's timeline: events of the current filter per month or quarter, stacked by sphere or partner country.

One function, :func:`timeline_view`, over the rows :meth:`Workbench.events
<smolgraph.app.api.Workbench.events>` gives for the filter, so the bars count
exactly the events the contacts table shows. ``/api/timeline`` answers it;
``static/timeline.js`` draws it and turns a brushed period into the page's
``from``/``to`` filters.

- An event counts in the period of its **start date**: an event of 28
  February to 3 March is a February event. Events without a start date are
  counted apart, as ``undated``.
- The periods are continuous from the first to the last dated event (an empty
  month between them is a period with no events), each with its first and
  last day (ISO dates), which are what a brush sets as ``from`` and ``to``.
- Stacked by sphere, an event without one counts under "no sphere". Stacked
  by country, an event with two partner countries counts under each (so the
  series may add up to more than the events; ``events`` of a period counts
  each event once); only the :data:`TOP_COUNTRIES` countries with the most
  events get a series of their own, the rest count together as "other"
  (once per event), and an event without a partner country counts under
  "no partner country".
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from http import HTTPStatus
from typing import Any

from ..i18n import _
from .api import ApiError, Workbench, split_values

__all__ = ["timeline_view", "timeline_of", "BY", "STACK", "TOP_COUNTRIES"]

#: The lengths of period the timeline counts in; the first is the default.
BY = ("month", "quarter")
#: What the bars are stacked by; the first is the default.
STACK = ("sphere", "country")
#: Partner countries with a series of their own; more colours than this are hard to tell apart.
TOP_COUNTRIES = 8

# Series keys that cannot be a sphere's name or a country's code.
_NONE, _OTHER = "\0none", "\0other"


def timeline_view(bench: Workbench, params: Mapping[str, str]) -> dict:
    """The timeline of the events ``bench`` gives for ``params`` (subject and filters, as ``/api/contacts`` takes them).

    Parameters
    ----------
    bench : Workbench
        The workbench over the store.
    params : mapping
        ``by`` (``month``, the default, or ``quarter``), ``stack``
        (``sphere``, the default, or ``country``), and every parameter of
        ``/api/contacts`` that chooses and filters events.

    Returns
    -------
    dict
        ``{"by", "stack", "events", "series", "periods", "undated"}``, as
        :func:`timeline_of` makes it.

    Raises
    ------
    ApiError
        400 for a ``by`` or ``stack`` it does not know (and whatever
        :meth:`Workbench.events` refuses: a wrong date, format, …).
    """
    by = (params.get("by") or BY[0]).strip()
    stack = (params.get("stack") or STACK[0]).strip()
    if by not in BY:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("by takes month or quarter, not '{value}'.").format(value=by[:20]))
    if stack not in STACK:
        raise ApiError(HTTPStatus.BAD_REQUEST, _("stack takes sphere or country, not '{value}'.").format(
            value=stack[:20]))
    return timeline_of(bench.events(params), by=by, stack=stack, country_name=_country_namer(bench))


def timeline_of(rows: Iterable[Mapping[str, Any]], *, by: str = "month", stack: str = "sphere",
                country_name=None) -> dict:
    """Count ``rows`` (rows of ``contacts-table``) per period of their start date, one count per series.

    Parameters
    ----------
    rows : iterable of mappings
        Events with ``start`` (an ISO date or None), ``sphere`` and
        ``partner_country_codes`` (``"BY; KZ"``).
    by : {"month", "quarter"}
    stack : {"sphere", "country"}
    country_name : callable, optional
        A country's name from its code; the code itself without one.

    Returns
    -------
    dict
        ``series``: ``[{"value", "label", "kind", "total"}]`` in stacking
        order, ``kind`` being ``value`` (``value`` is then what the ``sphere``
        or ``country`` filter takes), ``other`` or ``none``; ``periods``:
        ``[{"period", "first", "last", "events", "counts"}]``, ``counts``
        aligned with ``series``; ``undated``: ``{"events", "counts"}``;
        ``events``: every event counted.

    Examples
    --------
    >>> rows = [{"start": "2025-01-05", "sphere": "культура"}, {"start": "2025-03-02", "sphere": None},
    ...         {"start": None, "sphere": "культура"}]
    >>> t = timeline_of(rows)
    >>> [(p["period"], p["first"], p["last"], p["events"]) for p in t["periods"]]
    [('2025-01', '2025-01-01', '2025-01-31', 1), ('2025-02', '2025-02-01', '2025-02-28', 0), ('2025-03', '2025-03-01', '2025-03-31', 1)]
    >>> [(s["label"], s["total"]) for s in t["series"]], t["undated"]
    ([('культура', 2), ('no sphere', 1)], {'events': 1, 'counts': [1, 0]})
    >>> [(p["period"], p["counts"]) for p in timeline_of(rows, by="quarter")["periods"]]
    [('2025-Q1', [1, 1])]
    """
    if by not in BY or stack not in STACK:
        raise ValueError(f"by is one of {BY} and stack one of {STACK}, not {by!r} and {stack!r}")
    name = country_name or (lambda code: code)
    # Events that share a month and a sphere (or a set of countries) count alike: group them first, then
    # work on the groups (a few thousand on 100,000 events), each with its number of events.
    field = "sphere" if stack == "sphere" else "partner_country_codes"
    groups = Counter((str(row.get("start") or "")[:7], row.get(field) or "") for row in rows)
    events = [(_period_of(month, by), _keys_of(value, stack), n) for (month, value), n in groups.items()]
    totals = _totals(events)
    if stack == "country":
        # The countries with most events keep their own colour; the others count together, once per event.
        ranked = sorted((k for k in totals if k != _NONE), key=lambda k: (-totals[k], name(k)))
        kept = set(ranked[:TOP_COUNTRIES])
        if len(ranked) > TOP_COUNTRIES:
            events = [(period, list(dict.fromkeys(k if k in kept or k == _NONE else _OTHER for k in keys)), n)
                      for period, keys, n in events]
            totals = _totals(events)
    values = sorted((k for k in totals if k not in (_NONE, _OTHER)),
                    key=lambda k: (-totals[k], name(k) if stack == "country" else k))
    order = values + [k for k in (_OTHER, _NONE) if k in totals]
    index = {key: i for i, key in enumerate(order)}
    series = [_series(key, totals[key], stack, name) for key in order]

    counted: dict[tuple[int, int] | None, list[int]] = {}
    for period, keys, n in events:
        counts = counted.setdefault(period, [0] * (len(order) + 1))  # the last place counts events
        counts[-1] += n
        for key in keys:
            counts[index[key]] += n
    dated = [p for p in counted if p is not None]
    periods = []
    if dated:
        step = 1 if by == "month" else 3
        year, month = min(dated)
        while (year, month) <= max(dated):
            counts = counted.get((year, month), [0] * (len(order) + 1))
            periods.append({**_bounds(year, month, by), "events": counts[-1], "counts": counts[:-1]})
            year, month = (year + 1, month + step - 12) if month + step > 12 else (year, month + step)
    undated = counted.get(None, [0] * (len(order) + 1))
    return {"by": by, "stack": stack, "events": sum(groups.values()), "series": series, "periods": periods,
            "undated": {"events": undated[-1], "counts": undated[:-1]}}


# -- helpers -------------------------------------------------------------------------------
def _period_of(start: object, by: str) -> tuple[int, int] | None:
    """(year, first month of the period) of a start date, or None without a readable one."""
    found = re.match(r"(\d{4})-(\d{2})", str(start or ""))
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    year, month = int(found[1]), int(found[2])
    return (year, month) if by == "month" else (year, month - (month - 1) % 3)


def _keys_of(value: str, stack: str) -> list[str]:
    """The series an event counts in, from its sphere or its partner countries' codes ("BY; KZ")."""
    if stack == "sphere":
        return [value or _NONE]
    return list(dict.fromkeys(split_values(value))) or [_NONE]


def _totals(events: list[tuple[Any, list[str], int]]) -> Counter:
    totals: Counter = Counter()
    for _period, keys, n in events:
        for key in keys:
            totals[key] += n
    return totals


def _bounds(year: int, month: int, by: str) -> dict:
    last_month = month if by == "month" else month + 2
    period = f"{year}-{month:02d}" if by == "month" else f"{year}-Q{(month - 1) // 3 + 1}"
    return {"period": period, "first": date(year, month, 1).isoformat(),
            "last": date(year, last_month, calendar.monthrange(year, last_month)[1]).isoformat()}


def _series(key: str, total: int, stack: str, name) -> dict:
    if key == _NONE:
        label = _("no sphere") if stack == "sphere" else _("no partner country")
        return {"value": None, "label": label, "kind": "none", "total": total}
    if key == _OTHER:
        return {"value": None, "label": _("other countries"), "kind": "other", "total": total}
    return {"value": key, "label": name(key) if stack == "country" else key, "kind": "value", "total": total}


def _country_namer(bench: Workbench):
    """A country's Russian name from its code, as the contacts table's country filter lists it."""
    gazetteer = bench.gazetteer

    def name(code: str) -> str:
        return gazetteer.get(code).name if code in gazetteer else code

    return name
