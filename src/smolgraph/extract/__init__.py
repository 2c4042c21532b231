"""Extraction: a report row in, a plain :class:`~smolgraph.records.EventRecord` out.

Pure functions on text: no file formats, no RDF.
"""
from .counts import extract_counts
from .dates import DateError, extract_dates
from .event import classify_event, detect_online, extract_event, extract_report
from .orgs import find_orgs
from .people import find_people
from .places import find_places
from .summary import extract_summary

__all__ = [
    "extract_report",
    "extract_event",
    "extract_dates",
    "extract_counts",
    "extract_summary",
    "find_people",
    "find_orgs",
    "find_places",
    "detect_online",
    "classify_event",
    "DateError",
]
