"""Synthetic graphs in smolgraph's own ontology, for the stages after extraction.

Reports of every Russian region over ten years (2016–2025, one report per
region and quarter, and more per quarter once those run out), 10–60 rows each
(35 on average, as the real reports), with partners drawn from the real
gazetteer: countries weighted as in border regions' reports, their regions,
districts and towns, foreign and local organisations, people on both sides,
agreements, counts and the original text of every cell (about 700 characters a
row, as in the real report).

Two ways out, the same graph:

* :func:`make_reports` yields ``(ReportMeta, [EventRecord])`` pairs that
  :func:`smolgraph.build.build_report_graph` turns into rdflib graphs;
* :func:`write_nquads` writes the same triples straight to an N-Quads file,
  about 30× faster than building rdflib graphs, for 100,000 and 1,000,000
  events. It reuses build's IRI minters and ``sg:contactArea`` ancestry, and
  :func:`check_matches_build` compares it with the builder triple by triple
  (``python bench/graphgen.py --check 2000``).

Run::

    python bench/graphgen.py --events 100000 --out /tmp/g.nq     # write
    python bench/graphgen.py --check 2000                         # compare with build
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from rdflib import URIRef

from smolgraph.build import (
    _ATTENDANCE,
    _ROLE_KINDS,
    _SIDES,
    CELL_PROPERTY,
    entity_graph_iri,
    _org_descriptions,
    _with_ancestors,
    event_iri,
    event_type_iri,
    org_iri,
    person_iri,
    place_iri,
    report_graph_iri,
    report_iri,
    row_iri,
    slug,
    sphere_iri,
)
from smolgraph.gazetteer import Gazetteer, load_gazetteer
from smolgraph.records import Agreement, DateSpan, EventRecord, OrgRef, PersonRef, PlaceRef, ReportMeta
from smolgraph.vocab import ID, SCHEMA, SG

__all__ = ["make_reports", "report_quads", "write_nquads", "check_matches_build", "compare_with_build", "Picks"]

SPHERES = [
    "Сотрудничество в сфере инвестиционного развития",
    "Сотрудничество в сфере промышленности и торговли",
    "Сотрудничество в сфере сельского хозяйства",
    "Сотрудничество в сфере культуры и туризма",
    "Сотрудничество в сфере образования и науки",
    "Сотрудничество в социальной сфере",
    "Сотрудничество в сфере молодежной политики",
    "Сотрудничество в сфере спорта",
    "Сотрудничество в сфере здравоохранения",
    "Общие направления сотрудничества",
]
EVENT_TYPES = ["meeting", "negotiations", "videoconference", "forum", "business_mission", "exhibition", "contest",
               "concert", "sports_competition", "round_table", "visit", "festival"]
COUNTRY_WEIGHTS = {"BY": 40, "CN": 10, "KZ": 6, "UZ": 5, "AM": 4, "IN": 4, "MN": 3, "KG": 3, "TJ": 3, "AE": 2, "RS": 2,
                   "VN": 2, "TR": 2, "EG": 1, "IR": 1, "AZ": 1, "DE": 1, "IT": 1, "ZA": 1, "CU": 1}
ORG_KINDS = ["Университет", "Колледж", "ОАО", "Исполнительный комитет", "Музей", "Театр", "Торговая палата",
             "Ассоциация", "Компания", "Библиотека", "Спортивный клуб", "Министерство", "Агентство", "Больница"]
LOCAL_KINDS = ["Министерство культуры", "Министерство экономического развития", "Департамент образования",
               "Министерство сельского хозяйства", "Управление молодежной политики", "Агентство инвестиционного развития",
               "Правительство", "Торгово-промышленная палата", "Государственный университет", "Областная библиотека"]
ROLES = ["Губернатор", "заместитель министра", "начальник управления", "ректор", "директор", "Посол", "Генеральный консул",
         "председатель", "советник", "министр"]
_SYL = ["ба", "во", "ге", "ду", "ка", "ле", "ми", "но", "пе", "ро", "са", "ти", "фе", "ха", "че", "ша", "кру", "сте", "гро", "бли"]
_END = ["ов", "ев", "ин", "ский", "ук", "енко", "ич"]
_INI = "АБВГДЕЖЗИКЛМНОПРСТУФЭЮЯ"
_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
_FILLER = ("В ходе мероприятия стороны обсудили вопросы развития торгово-экономического, научно-технического и "
           "культурно-гуманитарного сотрудничества, реализации совместных проектов и обмена опытом. ")


def _surname(i: int) -> str:
    a, b, c = _SYL[i % 20], _SYL[(i // 20) % 20], _END[(i // 400) % 7]
    extra = _SYL[(i // 2800) % 20] if i >= 2800 else ""
    return (extra + a + b + c).capitalize()


def _person_name(i: int) -> str:
    return f"{_INI[i % 23]}.{_INI[(i // 23) % 23]}. {_surname(i)}"


class Picks:
    """What the generated data holds, for queries with selective parameters.

    ``region``, ``district`` and ``town`` are gazetteer ids under the
    most-weighted partner country; ``surname`` a person's surname,
    ``organisation`` a foreign organisation's name.
    """

    def __init__(self, gazetteer: Gazetteer, n_events: int, seed: int) -> None:
        rng = random.Random(seed)
        self.gazetteer = gazetteer
        self.countries = [c for c in COUNTRY_WEIGHTS if c in gazetteer]
        self.weights = [COUNTRY_WEIGHTS[c] for c in self.countries]
        self.regions = {c: [p for p in gazetteer if p.level == 1 and p.country == c and p.kind == "region"] for c in self.countries}
        self.places = {c: [p for p in gazetteer if p.level >= 2 and p.country == c and p.kind != "macroregion"] for c in self.countries}
        self.homes = [p for p in gazetteer if p.level == 1 and p.country == "RU" and p.kind == "region"]
        n_foreign = max(2000, n_events // 20)
        self.foreign: list[OrgRef] = []
        for i in range(n_foreign):
            c = rng.choices(self.countries, self.weights)[0]
            regions = self.regions[c]
            region = rng.choice(regions) if regions and rng.random() < 0.8 else None
            self.foreign.append(OrgRef(f"{rng.choice(ORG_KINDS)} «Партнер-{i}»", "foreign", country=c,
                                       region_id=region.id if region else None))
        self.foreign_by_country: dict[str, list[OrgRef]] = {}
        for org in self.foreign:
            self.foreign_by_country.setdefault(org.country, []).append(org)
        self.n_people = max(3000, n_events // 30)
        by = self.countries[0]
        self.region = next(p.id for p in self.regions[by] if p.id == "BY-VI") if "BY-VI" in gazetteer else self.regions[by][0].id
        under = [p for p in self.places[by] if self.region in {a.id for a in gazetteer.ancestors(p.id)}]
        self.district = next((p.id for p in under if p.level == 2), under[0].id if under else self.region)
        self.town = next((p.id for p in under if p.level == 3), self.district)
        self.surname = _surname(7)
        self.organisation = self.foreign_by_country[by][3].name


def make_reports(n_events: int, seed: int = 1, *, gazetteer: Gazetteer | None = None, picks: Picks | None = None):
    """Yield ``(ReportMeta, [EventRecord])`` until ``n_events`` events, deterministic per seed."""
    gazetteer = gazetteer or load_gazetteer()
    picks = picks or Picks(gazetteer, n_events, seed)
    rng = random.Random(seed + 1)
    quarters = [(y, q) for y in range(2016, 2026) for q in range(1, 5)]
    slots = len(picks.homes) * len(quarters)
    local: dict[str, list[OrgRef]] = {}
    made = index = 0
    while made < n_events:
        home = picks.homes[index % len(picks.homes)]
        year, quarter = quarters[(index // len(picks.homes)) % len(quarters)]
        part = index // slots
        index += 1
        meta = ReportMeta(source_file=f"{home.id.lower()}-{year}-q{quarter}-{part}.docx",
                          title=f"Отчет о мероприятиях в международной сфере ({home.name}, {quarter} квартал {year} года)",
                          region=home.name, year=year, quarter=quarter,
                          summary=f"В {quarter} квартале {year} года состоялось {rng.randint(3, 40)} встреч с иностранными делегациями")
        rid = meta.report_id
        if home.id not in local:
            local[home.id] = [OrgRef(f"{kind} ({home.name})", "local", country="RU", region_id=home.id) for kind in LOCAL_KINDS]
        start = date(year, 3 * quarter - 2, 1)
        n_rows = min(rng.randint(10, 60), n_events - made)
        events = []
        for row in range(1, n_rows + 1):
            events.append(_event(rng, picks, rid, row, start, home, local[home.id]))
        made += n_rows
        yield meta, events


def _event(rng: random.Random, picks: Picks, rid: str, row: int, start: date, home, local) -> EventRecord:
    c = rng.choices(picks.countries, picks.weights)[0]
    partner_regions, partner_places, venue_places = [], [], []
    if picks.regions[c] and rng.random() < 0.5:
        r = rng.choice(picks.regions[c])
        partner_regions.append(PlaceRef(r.name, r.id, r.kind, c))
    if picks.places[c] and rng.random() < 0.35:
        p = rng.choice(picks.places[c])
        partner_places.append(PlaceRef(p.name, p.id, p.kind, c))
    abroad = rng.random() < 0.4
    if abroad and (partner_places or partner_regions):
        venue_places.append((partner_places or partner_regions)[0])
    else:
        venue_places.append(PlaceRef(home.name, home.id, home.kind, "RU"))
    pool = picks.foreign_by_country[c]
    foreign = rng.sample(pool, min(len(pool), rng.choices([0, 1, 2, 3], [25, 50, 18, 7])[0]))
    agencies = rng.sample(local, rng.choices([1, 2, 3], [60, 30, 10])[0])
    people = []
    for _ in range(rng.choices([0, 1, 2, 3], [45, 30, 15, 10])[0]):
        i = int(rng.paretovariate(1.2)) % picks.n_people
        if rng.random() < 0.5:
            people.append(PersonRef(_person_name(i), rng.choice(ROLES), "local", organisation=agencies[0].name,
                                    remote=rng.random() < 0.1))
        else:
            org = foreign[0].name if foreign else None
            people.append(PersonRef(_person_name(i + picks.n_people), rng.choice(ROLES), "foreign", country=c,
                                    organisation=org))
    agreements = []
    if rng.random() < 0.12:
        signed = rng.random() < 0.6
        agreements.append(Agreement(f"{'Подписано' if signed else 'Достигнута договоренность о'} соглашение о сотрудничестве "
                                    f"№ {rng.randint(1, 999)}", signed=signed))
    online = rng.random() < 0.15
    hybrid = not online and rng.random() < 0.05
    day = start + timedelta(days=rng.randrange(88))
    month = rng.random() < 0.05
    dates = DateSpan(day.replace(day=1), (day.replace(day=28)), "month") if month else DateSpan(day, day + timedelta(days=rng.choice([0, 0, 0, 1, 2])))
    kind = rng.choice(EVENT_TYPES)
    title = f"{kind.replace('_', ' ').capitalize()} с партнерами ({picks.gazetteer.get(c).name}), {rid}, строка {row}"
    venue_text = ", ".join(p.name for p in venue_places)
    partners_text = "; ".join(o.name for o in foreign + agencies) or "Представители органов власти"
    total = rng.choice([None, None, rng.randint(5, 500)])
    cells = {
        "number": f"{row}.",
        "title": title,
        "venue": venue_text,
        "dates": f"{dates.start.day} {_MONTHS[dates.start.month - 1]}\n{dates.start.year} года",
        "content": _FILLER * rng.randint(1, 3) + ", ".join(p.name for p in people),
        "participants": partners_text + (f", всего {total} человек" if total else ""),
    }
    return EventRecord(
        rid, row, rng.choice(SPHERES), title, dates, online=online, hybrid=hybrid,
        venue_places=venue_places, venue_countries=[venue_places[0].country],
        partner_countries=[c], partner_regions=partner_regions, partner_places=partner_places,
        local_orgs=agencies, foreign_orgs=foreign, people=people, agreements=agreements,
        document_signed=any(a.signed for a in agreements), event_type=kind, participants_total=total, cells=cells,
    )


# ---------------------------------------------------------------------------
# The fast writer: the triples of build_report_graph as N-Quads lines
# ---------------------------------------------------------------------------

def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _i(term) -> str:
    return f"<{term}>"


T = _i(RDF.type)
_XS, _XI, _XD, _XB, _XY = (f"^^<{XSD}{n}>" for n in ("string", "integer", "date", "boolean", "gYear"))
P = {name: _i(term) for name, term in {
    "Report": SG.Report, "Entity": PROV.Entity, "reportId": SG.reportId, "dtitle": DCTERMS.title, "sourceFile": SG.sourceFile,
    "reportingRegion": SG.reportingRegion, "year": SG.year, "quarter": SG.quarter, "periodStart": SG.periodStart,
    "periodEnd": SG.periodEnd, "summary": SG.summary, "ReportRow": SG.ReportRow, "isPartOf": DCTERMS.isPartOf,
    "rowNumber": SG.rowNumber, "rowPosition": SG.rowPosition, "Event": SG.Event, "derived": PROV.wasDerivedFrom, "report": SG.report, "label": RDFS.label,
    "sphere": SG.sphere, "Concept": SKOS.Concept, "prefLabel": SKOS.prefLabel, "inScheme": SKOS.inScheme,
    "Spheres": SG.Spheres, "EventTypes": SG.EventTypes, "eventType": SG.eventType, "start": SCHEMA.startDate,
    "end": SCHEMA.endDate, "precision": SG.datePrecision, "attendance": SCHEMA.eventAttendanceMode,
    "signed_doc": SG.documentSigned, "venue": SG.venue, "venueCountry": SG.venueCountry, "partnerCountry": SG.partnerCountry,
    "partnerRegion": SG.partnerRegion, "partnerPlace": SG.partnerPlace, "otherRussianRegion": SG.otherRussianRegion,
    "localOrganisation": SG.localOrganisation, "foreignOrganisation": SG.foreignOrganisation,
    "russianOrganisation": SG.russianOrganisation, "internationalOrganisation": SG.internationalOrganisation,
    "mentionedOrganisation": SG.mentionedOrganisation, "contactArea": SG.contactArea, "Person": FOAF.Person,
    "fname": FOAF.name, "familyName": FOAF.familyName, "participation": SG.participation, "Participation": SG.Participation,
    "participant": SG.participant, "side": SG.side, "remote": SG.remote, "role": SG.role, "roleKind": SG.roleKind,
    "country": SG.country,
    "organization": ORG.organization, "participantsTotal": SG.participantsTotal, "agreement": SG.agreement,
    "referencedAgreement": SG.referencedAgreement, "Agreement": SG.Agreement, "signed": SG.signed,
    "Organization": ORG.Organization, "locatedIn": SG.locatedIn,
}.items()}
# The builder's own tables (ontology 1.0), so that a term changed there is changed here.
_CELLP = {k: _i(v) for k, v in CELL_PROPERTY.items()}
_SIDEP = {k: _i(v) for k, v in _SIDES.items()}
_MODEP = {k: _i(v) for k, v in _ATTENDANCE.items()}
_ROLEP = {k: _i(v) for k, v in _ROLE_KINDS.items()}


@lru_cache(maxsize=None)
def _entity_g(node: str) -> str:
    # Shared descriptions go to one graph per resource, as ingest stores them
    # (smolgraph.build.partition_report_graph).
    return f" {_i(entity_graph_iri(URIRef(node[1:-1])))} .\n"


@lru_cache(maxsize=None)
def _org(name: str) -> str:
    return _i(org_iri(name))


@lru_cache(maxsize=None)
def _person(name: str) -> str:
    return _i(person_iri(name))


@lru_cache(maxsize=None)
def _sphere(name: str) -> str:
    return _i(sphere_iri(name))


@lru_cache(maxsize=None)
def _place(place_id: str) -> str:
    return _i(place_iri(place_id))


def _lang(text: str, lang: str = "ru") -> str:
    return f'"{_esc(text)}"@{lang}'


def _bool(value: bool) -> str:
    return f'"{"true" if value else "false"}"{_XB}'


def report_quads(meta: ReportMeta, events: list[EventRecord], gazetteer: Gazetteer, _region_cache: dict = {}) -> list[str]:
    """The N-Quads lines of :func:`smolgraph.build.build_report_graph` for these records.

    Handles the fields :func:`make_reports` fills (every partner place known
    to the gazetteer); raises on anything else rather than writing a
    different graph.
    """
    g = f" {_i(report_graph_iri(meta.report_id))} .\n"
    out: list[str] = []
    add = out.append
    rep = _i(report_iri(meta.report_id))
    add(f"{rep} {T} {P['Report']}{g}")
    add(f"{rep} {T} {P['Entity']}{g}")
    add(f'{rep} {P["reportId"]} "{_esc(meta.report_id)}"{g}')
    add(f"{rep} {P['dtitle']} {_lang(meta.title or meta.report_id)}{g}")
    add(f'{rep} {P["sourceFile"]} "{_esc(meta.source_file.rsplit("/", 1)[-1])}"{g}')
    if meta.region:
        if meta.region not in _region_cache:
            found = gazetteer.resolve(meta.region)
            _region_cache[meta.region] = found[0].id if found else None
        if _region_cache[meta.region]:
            add(f"{rep} {P['reportingRegion']} {_place(_region_cache[meta.region])}{g}")
    if meta.year is not None:
        add(f'{rep} {P["year"]} "{meta.year}"{_XY}{g}')
    if meta.quarter is not None:
        add(f'{rep} {P["quarter"]} "{meta.quarter}"{_XI}{g}')
    if meta.half is not None:
        raise ValueError("report_quads writes quarterly reports only; use build_report_graph")
    if meta.period:
        add(f'{rep} {P["periodStart"]} "{meta.period[0].isoformat()}"{_XD}{g}')
        add(f'{rep} {P["periodEnd"]} "{meta.period[1].isoformat()}"{_XD}{g}')
    if meta.summary:
        add(f"{rep} {P['summary']} {_lang(meta.summary)}{g}")
    # One description per organisation name and report, the fullest mention's, as the builder does.
    for org in _org_descriptions(events):
        _org_quads(add, org, gazetteer)
    for place, e in enumerate(events, start=1):
        # Records made without a position are in report order, as in the builder.
        _event_quads(add, g, rep, e, gazetteer, e.position or place)
    return list(dict.fromkeys(out))  # a graph is a set: organisations and people recur


def _org_quads(add, org: OrgRef, gazetteer: Gazetteer) -> str:
    # org:Organization alone, and no sg:side: the property linking the event says the side (ontology 1.0).
    node = _org(org.name)
    eg = _entity_g(node)
    add(f"{node} {T} {P['Organization']}{eg}")
    add(f"{node} {P['prefLabel']} {_lang(org.name)}{eg}")
    if org.country:
        assert org.country in gazetteer, org.country
        add(f"{node} {P['country']} {_place(org.country)}{eg}")
    where = org.place_id or org.region_id
    if where:
        add(f"{node} {P['locatedIn']} {_place(where)}{eg}")
    return node



def _event_quads(add, g: str, rep: str, e: EventRecord, gazetteer: Gazetteer, position: int) -> None:
    if e.venue_orgs or e.partner_macroregions or e.namesakes or e.participants_breakdown or e.views is not None \
            or e.visitors is not None or e.participants_qualifier or e.foreign_participation_unspecified \
            or e.section or e.section_partner or e.other_cells or type(e.row) is not int:
        raise ValueError("report_quads does not write this field; use build_report_graph")
    node = _i(event_iri(e.report_id, e.row))
    row = _i(row_iri(e.report_id, e.row))
    n = f'"{e.row}"{_XI}'
    add(f"{row} {T} {P['ReportRow']}{g}")
    add(f"{row} {P['isPartOf']} {rep}{g}")
    add(f"{row} {P['rowNumber']} {n}{g}")
    position = f'"{position}"{_XI}'
    add(f"{row} {P['rowPosition']} {position}{g}")
    for column, text in e.cells.items():
        if text and column in _CELLP:
            add(f"{row} {_CELLP[column]} {_lang(text)}{g}")
    add(f"{node} {T} {P['Event']}{g}")
    add(f"{node} {P['derived']} {row}{g}")
    add(f"{node} {P['report']} {rep}{g}")
    add(f"{node} {P['rowNumber']} {n}{g}")
    add(f"{node} {P['rowPosition']} {position}{g}")
    add(f"{node} {P['label']} {_lang(e.title)}{g}")
    if e.sphere:
        s = _sphere(e.sphere)
        add(f"{node} {P['sphere']} {s}{g}")
        sg_ = _entity_g(s)
        add(f"{s} {T} {P['Concept']}{sg_}")
        add(f"{s} {P['prefLabel']} {_lang(e.sphere)}{sg_}")
        add(f"{s} {P['inScheme']} {P['Spheres']}{sg_}")
    if e.event_type:
        k = _i(event_type_iri(e.event_type))
        add(f"{node} {P['eventType']} {k}{g}")
        kg = _entity_g(k)
        add(f"{k} {T} {P['Concept']}{kg}")
        add(f"{k} {P['prefLabel']} {_lang(e.event_type.replace('_', ' '), 'en')}{kg}")
        add(f"{k} {P['inScheme']} {P['EventTypes']}{kg}")
    if e.dates:
        add(f'{node} {P["start"]} "{e.dates.start.isoformat()}"{_XD}{g}')
        add(f'{node} {P["end"]} "{e.dates.end.isoformat()}"{_XD}{g}')
        add(f'{node} {P["precision"]} "{e.dates.precision}"{g}')
    add(f"{node} {P['attendance']} {_MODEP['online' if e.online else 'hybrid' if e.hybrid else 'offline']}{g}")
    add(f"{node} {P['signed_doc']} {_bool(e.document_signed)}{g}")
    for prop, places in (("venue", e.venue_places), ("partnerRegion", e.partner_regions),
                         ("partnerPlace", e.partner_places), ("otherRussianRegion", e.russian_regions)):
        for place in places:
            if not place.place_id:
                raise ValueError("report_quads writes gazetteer places only")
            add(f"{node} {P[prop]} {_place(place.place_id)}{g}")
    for code in e.venue_countries:
        assert code in gazetteer, code
        add(f"{node} {P['venueCountry']} {_place(code)}{g}")
    areas: set[str] = set()
    for code in e.partner_countries:
        assert code in gazetteer, code
        add(f"{node} {P['partnerCountry']} {_place(code)}{g}")
        areas.add(code)
    areas.update(p.place_id for p in e.partner_regions + e.partner_places)
    for prop, orgs in (("localOrganisation", e.local_orgs), ("foreignOrganisation", e.foreign_orgs),
                       ("russianOrganisation", e.russian_orgs), ("internationalOrganisation", e.international_orgs),
                       ("mentionedOrganisation", e.mentioned_orgs)):
        for org in orgs:
            add(f"{node} {P[prop]} {_org(org.name)}{g}")
            if prop == "foreignOrganisation":
                areas.update(i for i in (org.place_id, org.region_id) if i)
    for area in sorted(_with_ancestors(areas, gazetteer)):
        add(f"{node} {P['contactArea']} {_place(area)}{g}")
    for index, person in enumerate(e.people, start=1):
        who = _person(person.name)
        wg = _entity_g(who)
        add(f"{who} {T} {P['Person']}{wg}")
        add(f"{who} {P['fname']} {_lang(person.name)}{wg}")
        add(f"{who} {P['familyName']} {_lang(person.name.split()[-1])}{wg}")
        part = _i(ID[f"event/{e.report_id}/{e.row}/participation/{index}"])
        add(f"{node} {P['participation']} {part}{g}")
        add(f"{part} {T} {P['Participation']}{g}")
        add(f"{part} {P['participant']} {who}{g}")
        add(f"{part} {P['side']} {_SIDEP.get(person.side, _SIDEP['local'])}{g}")
        add(f"{part} {P['remote']} {_bool(person.remote)}{g}")
        if person.role:
            add(f"{part} {P['role']} {_lang(person.role)}{g}")
        if person.role_kind in _ROLEP:
            add(f"{part} {P['roleKind']} {_ROLEP[person.role_kind]}{g}")
        if person.country:
            add(f"{part} {P['country']} {_place(person.country)}{g}")
        if person.organisation:
            add(f"{part} {P['organization']} {_org(person.organisation)}{g}")
    if e.participants_total is not None:
        add(f'{node} {P["participantsTotal"]} "{e.participants_total}"{_XI}{g}')
    for index, agreement in enumerate(e.agreements, start=1):
        item = _i(ID[f"event/{e.report_id}/{e.row}/agreement/{index}"])
        add(f"{node} {P['referencedAgreement' if agreement.referenced else 'agreement']} {item}{g}")
        add(f"{item} {T} {P['Agreement']}{g}")
        add(f"{item} {P['label']} {_lang(agreement.text)}{g}")
        add(f"{item} {P['signed']} {_bool(agreement.signed)}{g}")


def write_nquads(path: str | Path, n_events: int, seed: int = 1, *, progress: bool = False) -> dict:
    """Write ``n_events`` synthetic events as N-Quads; returns counts and the picks."""
    gazetteer = load_gazetteer()
    picks = Picks(gazetteer, n_events, seed)
    reports = quads = events = 0
    started = time.perf_counter()
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        for meta, records in make_reports(n_events, seed, gazetteer=gazetteer, picks=picks):
            lines = report_quads(meta, records, gazetteer)
            out.writelines(lines)
            reports += 1
            quads += len(lines)
            events += len(records)
            if progress and reports % 2000 == 0:
                print(f"  {events:,} events, {quads:,} quads, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {"reports": reports, "events": events, "quads": quads,
            "picks": {k: getattr(picks, k) for k in ("region", "district", "town", "surname", "organisation")}}


def compare_with_build(meta: ReportMeta, events: list[EventRecord], gazetteer: Gazetteer) -> int:
    """Compare :func:`report_quads` with ``build_report_graph`` on one report, graph for graph; returns the triples compared."""
    from rdflib import Dataset

    from smolgraph.build import build_report_graph, partition_report_graph

    built = partition_report_graph(build_report_graph(meta, events, gazetteer=gazetteer))
    ds = Dataset()
    ds.parse(data="".join(report_quads(meta, events, gazetteer)), format="nquads")
    total = 0
    for part in built:
        a, b = set(part.graph()), set(ds.graph(URIRef(part.iri)))
        if a != b:
            raise AssertionError(f"{part.iri}: only in build {sorted(a - b)[:3]}, only in the writer {sorted(b - a)[:3]}")
        total += len(a)
    if len(list(ds.graphs())) - 1 != len(built):
        raise AssertionError(f"{meta.report_id}: the writer makes {len(list(ds.graphs())) - 1} graphs, build {len(built)}")
    return total


def check_matches_build(n_events: int = 2000, seed: int = 1) -> int:
    """Compare :func:`report_quads` with ``build_report_graph`` on every report; returns the number of triples compared."""
    gazetteer = load_gazetteer()
    return sum(compare_with_build(meta, events, gazetteer)
               for meta, events in make_reports(n_events, seed, gazetteer=gazetteer))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--check", type=int, metavar="N", help="compare the writer with build_report_graph on N events")
    args = parser.parse_args(argv)
    if args.check:
        started = time.perf_counter()
        n = check_matches_build(args.check, args.seed)
        print(f"writer = build_report_graph on {args.check} events ({n:,} triples), {time.perf_counter() - started:.1f} s")
        return 0
    if not args.out:
        parser.error("--out is needed to write")
    started = time.perf_counter()
    info = write_nquads(args.out, args.events, args.seed, progress=True)
    print({**info, "seconds": round(time.perf_counter() - started, 1)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
