"""One report row to one :class:`~smolgraph.records.EventRecord`."""
from __future__ import annotations

import re
from functools import lru_cache

from ..errors import RowError
from ..gazetteer import Gazetteer, Place
from ..i18n import _
from ..morph import fold, is_adjective
from ..records import Agreement, EventRecord, OrgRef, PersonRef, PlaceRef, Report, ReportMeta, Row
from .context import event_sphere, format_of, format_spans, infer_sphere, section_partners, sphere_spans
from .counts import extract_counts
from .dates import DateError, date_words, extract_dates
from .evidence import EvidenceLog, phrase_spans
from ..lexicon import lexicon_lines, lexicon_table
from .orgs import OrgMention, find_orgs, international_org_spans, international_orgs
from .people import find_people, merge_initials
from .roles import assign_role_kinds
from .places import PlaceHit, find_places, inside_quotes, most_specific

__all__ = ["extract_event", "extract_report", "detect_online", "classify_event"]

HOME_COUNTRY = "RU"
_TEXT_COLUMNS = ("title", "venue", "content", "participants")


def extract_report(report: Report, *, gazetteer: Gazetteer, errors: list[RowError] | None = None) -> list[EventRecord]:
    """Extract every row of a report, in table order.

    With ``errors`` (a list), a row that cannot be read is left out and its
    error appended there; without it, the first bad row raises.

    Raises
    ------
    RowError
        A cell that cannot be read (a date that does not exist); the message
        names the file, the row and the column header.
    """
    home = _home_region(report.meta, gazetteer)
    events = []
    for row in report.rows:
        try:
            events.append(extract_event(row, report.meta, gazetteer=gazetteer, home=home))
        except RowError as error:
            if errors is None:
                raise
            errors.append(error)
    return events


def _home_region(meta: ReportMeta, gazetteer: Gazetteer) -> Place | None:
    if not meta.region:
        return None
    found = [p for p in gazetteer.resolve(meta.region) if p.country == HOME_COUNTRY]
    return found[0] if found else None


def detect_online(title: str, venue: str) -> bool:
    """True when the title or venue says the whole event was remote.

    >>> detect_online("Проведение телемоста", "г. Вязьма")
    True
    >>> detect_online("Концерт", "г. Смоленск")
    False
    """
    text = fold(f"{title}\n{venue}")
    return any(p in text for p in _online_phrases())


# The lexicons folded once rather than for every row.
@lru_cache(maxsize=1)
def _online_phrases() -> tuple[str, ...]:
    return tuple(fold(p) for p in lexicon_lines("online"))


@lru_cache(maxsize=1)
def _event_type_stems() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((kind, tuple(fold(stem) for stem in stems)) for kind, stems in lexicon_table("event_types"))


@lru_cache(maxsize=1)
def _role_heads() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(post words, body) of ``role_orgs``, the longest post first."""
    heads = ((tuple(fold(post).split()), body) for post, (body, *_) in lexicon_table("role_orgs"))
    return tuple(sorted(heads, key=lambda h: -len(h[0])))


def classify_event(title: str, *, abroad: bool) -> str | None:
    """The event type from the title's words; visits split by direction.

    >>> classify_event("Визит делегации Смоленской области в г. Минск", abroad=True)
    'visit_outgoing'
    """
    found = _type_word(title)
    if found is None:
        return None
    if found[0] == "visit":
        return "visit_outgoing" if abroad else "visit_incoming"
    return found[0]


def _type_word(title: str) -> tuple[str, str] | None:
    """The type the title names first and the stem that names it."""
    low = fold(title)
    # The type named first in the title wins ("Рабочий визит … для переговоров"
    # is a visit); the lexicon's order breaks ties.
    best: tuple[int, int, str, str] | None = None
    for order, (kind, stems) in enumerate(_event_type_stems()):
        for stem in stems:
            at = low.find(stem)
            if at >= 0 and (best is None or (at, order) < best[:2]):
                best = (at, order, kind, stem)
    return None if best is None else (best[2], best[3])


# Columns only some layouts have, read as part of a canonical one: who took part on either side
# and who was in charge are participants; a note adds to the content.
_FOLDED_INTO = {
    "participants_local": "participants",
    "participants_foreign": "participants",
    "partners": "participants",
    "responsible": "participants",
    "note": "content",
}


def _text_cells(row: Row) -> tuple[dict[str, str], dict[str, list[tuple[int, str]]]]:
    """The texts the rules read, by canonical column, and where each cell starts in them (for the evidence)."""
    cells = {c: row.cells.get(c, "") or "" for c in ("number", *_TEXT_COLUMNS, "dates")}
    pieces = {c: [(0, c)] for c in cells}
    for extra, into in _FOLDED_INTO.items():
        text = row.cells.get(extra, "")
        if text:
            if cells[into]:
                pieces[into].append((len(cells[into]) + 1, extra))
                cells[into] = f"{cells[into]}\n{text}"
            else:
                pieces[into] = [(0, extra)]
                cells[into] = text
    return cells, pieces


def extract_event(row: Row, meta: ReportMeta, *, gazetteer: Gazetteer, home: Place | None = None) -> EventRecord:
    """Read every field of EXTRACTION.md out of one row."""
    cells, pieces = _text_cells(row)
    log = EvidenceLog(row.cells, pieces)
    title = " ".join(cells["title"].split())
    partners_by_section = {s: section_partners(s, gazetteer) for s in row.sections}
    partner_sections = {s for s, places in partners_by_section.items() if places}
    sphere = event_sphere(row.sphere, row.sections, partner_sections, title)
    event = EventRecord(
        report_id=meta.report_id,
        row=row.number,
        sphere=sphere,
        title=title,
        cells=dict(row.cells),
        position=row.position,
        section=" / ".join(row.sections) or None,
        other_cells=dict(row.other_cells),
    )
    if not title:
        raise RowError(
            _("the event has no title; fill in the title cell."),
            file=meta.source_file,
            row=row.number,
            cell=meta.columns.get("title", "title"),
        )
    _dates(event, cells["dates"], meta)

    home_id = home.id if home else None
    # Places in every text cell, classified by country.
    hits: dict[str, list[PlaceHit]] = {c: find_places(cells[c], gazetteer) for c in _TEXT_COLUMNS}
    all_places = [h.place for c in _TEXT_COLUMNS for h in hits[c]]
    foreign = [p for p in all_places if p.country and p.country != HOME_COUNTRY]
    macro = [p for p in all_places if p.kind == "macroregion"]

    # Venue.
    venue_text = cells["venue"]
    # Found once: the venue places, the venue organisations and the
    # participating organisations all read them.
    venue_found = find_orgs(venue_text, place_spans=_spans(gazetteer))
    venue_org_spans = [(o.start, o.end) for o in venue_found]
    venue = [
        h.place
        for h in hits["venue"]
        if not inside_quotes(venue_text, h.start)
        and h.place.kind != "macroregion"
        and not any(s <= h.start < e for s, e in venue_org_spans)
    ]
    venue = most_specific(venue, gazetteer)
    event.venue_places = [_ref(p) for p in venue]
    event.venue_countries = sorted({country_code(p.country or p.id, gazetteer) for p in venue if (p.country or p.kind == "country")}, key=str)
    event.venue_orgs = _venue_orgs(venue_text, gazetteer, venue_found)

    # Partners.
    countries: list[str] = []
    for place in foreign:
        code = country_code(place.country or place.id, gazetteer)
        if code not in countries:
            countries.append(code)
    event.partner_countries = countries
    event.partner_macroregions = sorted({p.name for p in macro})
    regions, places = [], []
    for place in foreign:
        if place.level == 0:
            continue
        region = gazetteer.region_of(place.id)
        if region is not None and region.id not in {r.id for r in regions}:
            regions.append(region)
        if (place.level >= 2 or place.kind == "city") and place.id not in {p.id for p in places}:
            places.append(place)
    event.partner_regions = [_ref(p) for p in regions]
    event.partner_places = [_ref(p) for p in places]

    russian = []
    for place in all_places:
        if place.country != HOME_COUNTRY or place.level == 0:
            continue
        region = gazetteer.region_of(place.id)
        if region is None or region.id == home_id or (home_id and home_id in {a.id for a in gazetteer.ancestors(place.id)}):
            continue
        if region.id not in {r.id for r in russian} and not _only_venue_city(place, hits, venue_text):
            russian.append(region)
    event.russian_regions = [_ref(p) for p in russian]

    _place_evidence(log, hits, gazetteer)
    for found in venue_found:
        log.add("venue", found.start, found.end, "venue_orgs", found.name)

    everything = "\n".join(cells[c] for c in _TEXT_COLUMNS)
    if not countries and not macro and re.search(r"иностран|зарубежн|\bстран\b|стран[ыа]?\b", fold(everything)):
        event.foreign_participation_unspecified = True

    # Organisations.
    _organisations(event, cells, gazetteer, home_id, {"venue": venue_found}, log)

    # People.
    people: dict[str, PersonRef] = {}
    namesakes: list[str] = []
    for column in ("participants", "title", "content", "venue"):
        for mention in find_people(cells[column]):
            if column == "venue" and not mention.namesake:
                continue  # a venue names buildings; only their namesakes count
            if mention.namesake:
                if mention.name not in namesakes:
                    namesakes.append(mention.name)
                log.add(column, mention.start, mention.end, "namesakes", mention.name)
                continue
            log.add(column, mention.start, mention.end, "people", mention.name)
            if mention.remote:
                note = _REMOTE_NOTE.match(cells[column], mention.end)
                if note:
                    log.add(column, note.start(1), note.end(1), "format", "hybrid")
            side, country = "local", None
            if mention.role:
                role_foreign = [h.place for h in find_places(mention.role, gazetteer) if h.place.country and h.place.country != HOME_COUNTRY]
                if role_foreign:
                    side, country = "foreign", country_code(role_foreign[0].country, gazetteer)
            known = people.get(mention.name)
            if known is None:
                people[mention.name] = PersonRef(mention.name, mention.role, side, country, mention.remote)
            else:
                known.role = known.role or mention.role
                known.remote = known.remote or mention.remote
    # "Владимир Иванов" in the title and "В.В. Иванов" among the participants are one person.
    for short, full in merge_initials(list(people)).items():
        person, kept = people.pop(short), people[full]
        log.rename("people", short, full)
        kept.role = kept.role or person.role
        kept.remote = kept.remote or person.remote
    event.people = list(people.values())
    _bodies_of_roles(event, gazetteer, home_id)
    event.namesakes = [n for n in namesakes if n not in people]

    # Format: a format column says it outright; otherwise the title, the venue and remote participants do.
    stated = format_of(row.cells.get("format", ""))
    event.online = stated == "online" if stated else detect_online(title, venue_text)
    event.hybrid = stated == "hybrid" if stated else not event.online and any(p.remote for p in event.people)
    if stated:
        for start, end in format_spans(row.cells["format"]):
            log.add("format", start, end, "format", stated)
    elif event.online:
        for column in ("title", "venue"):
            for phrase in _online_phrases():
                for start, end in phrase_spans(cells[column], phrase):
                    log.add(column, start, end, "format", "online")

    # A row that names no partner of its own has the partner of its section ("Взаимодействие с КНР").
    if not event.partner_countries and not event.partner_macroregions:
        for section in reversed(row.sections):
            if partners_by_section[section]:
                _inherit_partners(event, partners_by_section[section], gazetteer)
                break

    # Figures.
    counts = extract_counts(cells["participants"])
    event.participants_total = counts.total
    event.participants_qualifier = counts.qualifier
    event.views = counts.views
    event.visitors = counts.visitors
    for fact, (start, end) in counts.spans.items():
        log.add("participants", start, end, fact)
    for (size, context), (start, end) in zip(counts.groups, counts.group_spans):
        key = _group_key(context, gazetteer)
        event.participants_breakdown[key] = event.participants_breakdown.get(key, 0) + size
        log.add("participants", start, end, "participants_breakdown", key)

    # Agreements: read from the content and the participants as one text, each found where it stands.
    joined = f"{cells['content']}\n{cells['participants']}"
    found_agreements = _agreements(joined)
    event.agreements = [agreement for agreement, _start, _end in found_agreements]
    event.document_signed = any(a.signed for a in event.agreements)
    after_content = len(cells["content"]) + 1
    for agreement, start, end in found_agreements:
        column, shift = ("content", 0) if start < after_content else ("participants", after_content)
        log.add(column, start - shift, end - shift, "agreements", agreement.text)
        if agreement.signed:
            log.add(column, start - shift, end - shift, "document_signed")

    abroad = any(c != HOME_COUNTRY for c in event.venue_countries)
    event.event_type = classify_event(title, abroad=abroad)
    _title_evidence(log, event, row, cells, partner_sections)
    for start, end in date_words(cells["dates"]) if event.dates else ():
        log.add("dates", start, end, "dates")
    # Last: the part each person played depends on their side and on where the event was held.
    assign_role_kinds(event, cells, home_country=HOME_COUNTRY)
    event.evidence = log.kept(event)
    return event


# The note after a name that says the person joined remotely: "А.В. Стрельцов (в режиме ВКС)".
_REMOTE_NOTE = re.compile(r"\s*(\([^)\n]*\))")


def _place_evidence(log: EvidenceLog, hits: dict[str, list[PlaceHit]], gazetteer: Gazetteer) -> None:
    """The words of every place a text cell names, with each fact a place there gives or implies.

    A district gives a partner place and implies its region and country; the
    log keeps only those the record ends up holding (a place inside a
    building's name is no venue, a Russian city named only as the venue no
    other region).
    """
    for column, found in hits.items():
        for hit in found:
            place, at = hit.place, (column, hit.start, hit.end)
            if place.kind == "macroregion":
                log.add(*at, "partner_macroregions", place.name)
                continue
            country = country_code(place.country or place.id, gazetteer) if (place.country or place.kind == "country") else None
            if column == "venue":
                log.add(*at, "venue_places", place.id)
                if country:
                    log.add(*at, "venue_countries", country, implied=place.kind != "country")
            if place.country and place.country != HOME_COUNTRY:
                log.add(*at, "partner_countries", country, implied=place.level != 0)
                if place.level == 0:
                    continue
                region = gazetteer.region_of(place.id)
                if region is not None:
                    log.add(*at, "partner_regions", region.id, implied=region.id != place.id)
                log.add(*at, "partner_places", place.id)
            elif place.country == HOME_COUNTRY and place.level > 0:
                region = gazetteer.region_of(place.id)
                if region is not None:
                    log.add(*at, "russian_regions", region.id, implied=region.id != place.id)


def _title_evidence(log: EvidenceLog, event: EventRecord, row: Row, cells: dict[str, str], partner_sections: set[str]) -> None:
    """The words of the title that gave the event type and, when no column or heading did, the sphere."""
    kind = _type_word(event.title)  # the words classify_event read, found again in the cell as written
    if event.event_type and kind is not None:
        for start, end in phrase_spans(cells["title"], kind[1]):
            log.add("title", *_whole_words(cells["title"], start, end), "event_type")
    if row.sphere and (row.cells.get("sphere") or "").strip():
        log.add("sphere", 0, len(row.cells["sphere"]), "sphere")
    elif event.sphere and all(s in partner_sections for s in row.sections) and infer_sphere(event.title) == event.sphere:
        # No column and no heading: the title's words gave it (context.infer_sphere). Asked of the title
        # rather than of row.sphere, which `smolgraph upgrade` fills with the sphere the store had.
        for start, end in sphere_spans(cells["title"], event.sphere):
            log.add("title", *_whole_words(cells["title"], start, end), "sphere")


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    # A lexicon stem ("визит") marks the word it begins ("Визит", "визита").
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _inherit_partners(event: EventRecord, places: list[Place], gazetteer: Gazetteer) -> None:
    event.section_partner = True
    event.foreign_participation_unspecified = False
    for place in places:
        if place.kind == "macroregion":
            if place.name not in event.partner_macroregions:
                event.partner_macroregions.append(place.name)
            continue
        code = country_code(place.country or place.id, gazetteer)
        if code not in event.partner_countries:
            event.partner_countries.append(code)
        if place.level == 0:
            continue
        region = gazetteer.region_of(place.id)
        if region is not None and region.id not in {r.place_id for r in event.partner_regions}:
            event.partner_regions.append(_ref(region))
        if (place.level >= 2 or place.kind == "city") and place.id not in {p.place_id for p in event.partner_places}:
            event.partner_places.append(_ref(place))


def country_code(country_id: str, gazetteer: Gazetteer) -> str:
    """ISO 3166-1 alpha-2 where the country has one, else its Russian name (Абхазия)."""
    if country_id in gazetteer:
        place = gazetteer.get(country_id)
        return place.iso or place.name if place.kind == "country" else country_id
    return country_id


def _only_venue_city(place: Place, hits, venue_text: str) -> bool:
    # A Russian city that is only the venue (a forum in St Petersburg) still
    # counts as a region that took part only if named outside the venue.
    in_other = any(h.place.id == place.id for c in ("title", "content", "participants") for h in hits[c])
    return not in_other


def _ref(place: Place) -> PlaceRef:
    return PlaceRef(name=place.name, place_id=place.id, kind=place.kind, country=place.country)


def _dates(event: EventRecord, text: str, meta: ReportMeta) -> None:
    cell = meta.columns.get("dates", "dates")
    try:
        span = extract_dates(text, year=meta.year)
    except DateError as exc:
        raise RowError(
            _("{problem}; correct the dates cell.").format(problem=exc), file=meta.source_file, row=event.row, cell=cell
        ) from None
    if span is None:
        event.warnings.append(_("no date found in the dates cell ('{text}')").format(text=" ".join(text.split())[:60]))
        return
    event.dates = span
    period = meta.period
    if period:
        if meta.year and abs(span.start.year - meta.year) > 1:
            raise RowError(
                _(
                    "the dates ({start} – {end}) are years away from the report's period "
                    "({period_start} – {period_end}); check the year."
                ).format(
                    start=span.start.isoformat(),
                    end=span.end.isoformat(),
                    period_start=period[0].isoformat(),
                    period_end=period[1].isoformat(),
                ),
                file=meta.source_file,
                row=event.row,
                cell=cell,
            )
        if span.end < period[0] or span.start > period[1]:
            event.warnings.append(
                _("the dates ({start} – {end}) fall outside the report's period ({period_start} – {period_end})").format(
                    start=span.start.isoformat(),
                    end=span.end.isoformat(),
                    period_start=period[0].isoformat(),
                    period_end=period[1].isoformat(),
                )
            )


_VENUE_NOISE = re.compile(r"\((?:в\s+)?(?:дистанционн|онлайн|режиме)[^)]*\)", re.IGNORECASE)


def _spans(gazetteer: Gazetteer):
    def spans(text: str) -> list[tuple[int, int]]:
        return [(h.start, h.end) for h in find_places(text, gazetteer)]

    return spans


def _venue_orgs(venue: str, gazetteer: Gazetteer, found: list[OrgMention]) -> list[str]:
    """The organisations of the venue cell, without its remote-format notes.

    ``found`` holds the organisations of the whole cell, reused when it has no such note.
    """
    text = _VENUE_NOISE.sub("", venue)
    orgs = found if text == venue else find_orgs(text, place_spans=_spans(gazetteer))
    return list(dict.fromkeys(o.name for o in orgs))


def _organisations(
    event: EventRecord,
    cells: dict[str, str],
    gazetteer: Gazetteer,
    home_id: str | None,
    found: dict[str, list[OrgMention]],
    log: EvidenceLog,
) -> None:
    """Sort the organisations of every text cell by side; ``found`` holds those already found, by column.

    ``log`` gets the words of each organisation, with the facts they give:
    the organisation and, for a foreign one, the town, region and country it implies.
    """
    seen: set[str] = set()
    for name in international_orgs("\n".join(cells[c] for c in _TEXT_COLUMNS)):
        event.international_orgs.append(OrgRef(name=name, side="international"))
    for column in _TEXT_COLUMNS:
        for name, start, end in international_org_spans(cells[column]):
            log.add(column, start, end, "international_orgs", name)
    named: dict[str, OrgRef] = {}  # folded name -> the organisation it was taken as
    for column in ("participants", "title", "content", "venue"):
        text = cells[column]
        orgs = found[column] if column in found else find_orgs(text, place_spans=_spans(gazetteer))
        for org in orgs:
            key = fold(org.name)
            bare = key.replace("«", "").replace("»", "")
            if key in seen or any(bare in other for other in seen):
                if key in named:  # the same name again: its words give the same organisation
                    _org_evidence(log, column, org, named[key])
                continue  # the same body named again, in full or in part
            seen.add(key)
            seen.add(bare)
            ref = _classify_org(org, text, gazetteer, home_id, event)
            if ref is None:
                continue
            if _is_context_only(text, org):
                ref.side = "context"
                event.mentioned_orgs.append(ref)
            elif ref.side == "local":
                event.local_orgs.append(ref)
            elif ref.side == "foreign":
                event.foreign_orgs.append(ref)
                _add_partner_area(event, ref, gazetteer)
            else:
                event.russian_orgs.append(ref)
            named[key] = ref
            _org_evidence(log, column, org, ref)


_ORG_FACT = {"context": "mentioned_orgs", "local": "local_orgs", "foreign": "foreign_orgs"}


def _org_evidence(log: EvidenceLog, column: str, org: OrgMention, ref: OrgRef) -> None:
    at = (column, org.start, org.end)
    log.add(*at, _ORG_FACT.get(ref.side, "russian_orgs"), ref.name)
    if ref.side == "foreign":
        if ref.country:
            log.add(*at, "partner_countries", ref.country, implied=True)
        if ref.region_id:
            log.add(*at, "partner_regions", ref.region_id, implied=True)
        if ref.place_id:
            log.add(*at, "partner_places", ref.place_id, implied=True)


def _bodies_of_roles(event: EventRecord, gazetteer: Gazetteer, home_id: str | None) -> None:
    """A minister took part, so the ministry did: "министр X Смоленской области"."""
    heads = _role_heads()
    known = {fold(o.name) for o in event.local_orgs + event.foreign_orgs + event.russian_orgs}
    for person in event.people:
        for part in re.split(r"\s[–—-]\s", person.role or ""):
            words = part.split()
            post = next(((n, body) for n, body in heads if tuple(fold(w) for w in words[: len(n)]) == n), None)
            if post is None or len(words) <= len(post[0]):
                continue
            name = f"{post[1]} {' '.join(words[len(post[0]):])}"
            if fold(name) in known:
                continue
            ref = _classify_org(OrgMention(name=name, start=0, end=0, after="", prefix=None), name, gazetteer, home_id, event)
            if ref is None:
                continue
            known.add(fold(name))
            {"local": event.local_orgs, "foreign": event.foreign_orgs}.get(ref.side, event.russian_orgs).append(ref)


def _add_partner_area(event: EventRecord, org: OrgRef, gazetteer: Gazetteer) -> None:
    if org.country and org.country not in event.partner_countries:
        event.partner_countries.append(org.country)
    if org.region_id and org.region_id not in {r.place_id for r in event.partner_regions}:
        event.partner_regions.append(_ref(gazetteer.get(org.region_id)))
    if org.place_id and org.place_id != org.region_id and org.place_id not in {p.place_id for p in event.partner_places}:
        event.partner_places.append(_ref(gazetteer.get(org.place_id)))


def _classify_org(org: OrgMention, text: str, gazetteer: Gazetteer, home_id: str | None, event: EventRecord) -> OrgRef | None:
    inner = [h.place for h in find_places(org.name, gazetteer)]
    note = re.match(r"\s*\(([^)]*)\)", org.after)
    if not inner and note:
        inner = [h.place for h in find_places(note.group(1), gazetteer)]
    if not inner and not note:
        # "группы «ТАЛЕР» Лидского районного центра": the body it belongs to.
        owner = re.match(r"\s*([^,;:()\n.]*)", org.after)
        inner = [h.place for h in find_places(owner.group(1), gazetteer)] if owner else []
    foreign = [p for p in inner if p.country and p.country != HOME_COUNTRY]
    if foreign:
        specific = most_specific(foreign, gazetteer)[0]
        region = gazetteer.region_of(specific.id) if specific.level > 0 else None
        place_id = specific.id if specific.level >= 2 or specific.kind == "city" else None
        return OrgRef(org.name, "foreign", country_code(specific.country, gazetteer), region.id if region else None, place_id)
    russian = [p for p in inner if p.country == HOME_COUNTRY]
    if russian:
        in_home = any(p.id == home_id or home_id in {a.id for a in gazetteer.ancestors(p.id)} for p in russian)
        if in_home:
            return OrgRef(org.name, "local", HOME_COUNTRY, home_id)
        region = gazetteer.region_of(russian[0].id)
        return OrgRef(org.name, "russian", HOME_COUNTRY, region.id if region else None)
    local_prefixes = set(lexicon_lines("org_prefixes_local"))
    home = gazetteer.get(home_id) if home_id else None
    home_stems = [fold(a)[:-3] for a in (home.adjectives if home else ()) if len(a) > 5]
    if any(stem in fold(org.name) for stem in home_stems):
        return OrgRef(org.name, "local", HOME_COUNTRY, home_id)  # "Смоленский техникум …"
    if org.prefix and set(org.prefix.split()) & local_prefixes:
        return OrgRef(org.name, "local", HOME_COUNTRY, home_id)
    town_ref = _org_of_foreign_town(org.name, gazetteer)
    if town_ref is not None:
        return town_ref
    if re.search(r"Российск|России|Всероссийск|Общероссийск", org.name):
        return OrgRef(org.name, "russian", HOME_COUNTRY)
    foreign_prefixes = set(lexicon_lines("org_prefixes_foreign"))
    if org.prefix and set(org.prefix.split()) & foreign_prefixes and len(event.partner_countries) == 1:
        # A legal form Russian bodies do not use (ГУО, УО) in a row with one
        # partner country belongs to that country.
        return OrgRef(org.name, "foreign", event.partner_countries[0])
    if org.prefix:
        return OrgRef(org.name, "russian", HOME_COUNTRY)
    return None


# Words of an organisation's name before its head noun that are not town
# adjectives but may precede one: legal forms and quotes are skipped.
_NAME_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
_TOWN_ADJECTIVE_ENDING = re.compile(r"(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими)$")


def _leading_adjectives(name: str) -> list[str]:
    """The capitalised adjectives of ``name`` before its head noun.

    Legal forms in capitals ("УО", "ОАО") and quotes are skipped, so the town
    adjective is found wherever the name proper starts.

    >>> _leading_adjectives("УО «Минский государственный механико-технологический колледж»")
    ['Минский']
    >>> _leading_adjectives("Гомельского государственного университета")
    ['Гомельского']
    >>> _leading_adjectives("Средняя школа № 7 г. Бреста")
    []
    >>> _leading_adjectives("Лидская районная больница"), _leading_adjectives("Могилевский завод «Строммашина»")
    (['Лидская'], ['Могилевский'])
    """
    out: list[str] = []
    for m in _NAME_WORD.finditer(name):
        word = m.group()
        if word.isupper() and len(word) > 1:
            continue  # a legal form: ГУО, ОАО
        # The analyser reads many town adjectives as surnames or guesses
        # nouns ("Могилевский", "Лидская"), so the ending decides for them.
        town_like = word[:1].isupper() and _TOWN_ADJECTIVE_ENDING.search(word) is not None
        if town_like:
            out.append(word)
        elif not is_adjective(word):
            break  # the head noun: what follows names something else ("… г. Бреста")
    return out


def _org_of_foreign_town(name: str, gazetteer: Gazetteer) -> OrgRef | None:
    """The foreign town an organisation is named after by its adjective, if certain.

    "Гомельский государственный университет" is in Гомель when the
    gazetteer has a town of that adjective abroad and none at home: an
    adjective any Russian place shares ("Смоленский", "Кировский") proves
    nothing. Two foreign towns of one adjective in one country give that
    country only; in two countries, nothing.
    """
    for adjective in _leading_adjectives(name):
        places = gazetteer.by_adjective(adjective)
        if not places or any(p.country == HOME_COUNTRY for p in places):
            continue
        # A town named by an adjective ("Октябрьский") is no proof: the word
        # names too many other things.
        towns = [p for p in places if p.kind in ("city", "town") and p.country and fold(p.name) != fold(p.adjective or "")]
        if not towns:
            continue
        countries = {p.country for p in towns}
        if len(countries) > 1:
            continue
        country = country_code(towns[0].country, gazetteer)
        if len(towns) > 1:
            return OrgRef(name, "foreign", country)
        town = towns[0]
        region = gazetteer.region_of(town.id)
        return OrgRef(name, "foreign", country, region.id if region else None, town.id)
    return None


def _is_context_only(text: str, org: OrgMention) -> bool:
    before = fold(text[max(0, org.start - 40) : org.start])
    return bool(re.search(r"входит в(?: состав)?\s+[а-яё]*\s*$", before))


def _group_key(context: str, gazetteer: Gazetteer) -> str:
    low = fold(context)
    if "иностран" in low:
        return "foreign"
    hits = find_places(context, gazetteer)
    for hit in reversed(hits):
        if hit.place.country:
            return hit.place.country
        if hit.place.kind == "country":
            return hit.place.id
    return HOME_COUNTRY


_SIGNED = re.compile(r"(?:подписан[а-яё]*|подписание)\s+(?P<what>[^.;,\n]+)", re.IGNORECASE)
_AGREED = re.compile(r"(?:достигнут[а-яё]*\s+договоренност[а-яё]*|договорились|намечен[а-яё]*)\s+(?P<what>[^.;\n]+)", re.IGNORECASE)
_FRAMEWORK = re.compile(r"в\s+рамках\s+(?P<what>(?:соглашени|меморандум|договор|программ)[а-яё]*[^.;,\n]*)", re.IGNORECASE)


def _agreements(text: str) -> list[tuple[Agreement, int, int]]:
    """Each agreement ``text`` states, with the span of the words it was read from."""
    out = []
    for m in _SIGNED.finditer(text):
        out.append((Agreement(text=" ".join(m.group(0).split()), signed=True), m.start(), m.end()))
    for m in _AGREED.finditer(text):
        out.append((Agreement(text=" ".join(m.group(0).split()), signed=False), m.start(), m.end()))
    for m in _FRAMEWORK.finditer(text):
        out.append((Agreement(text=" ".join(m.group("what").split()), signed=False, referenced=True), m.start(), m.end()))
    return out
