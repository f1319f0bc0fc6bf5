"""Deciding what a record becomes: answers judged, ids confirmed, fields chosen, reviewed fields kept.

For one record and its answers (live or recorded, `refresh.answers`):

1. every answer is judged by `metadata.matching` (title near-identical, a shared author family name,
   years within one); a recorded answer's ids must also be backed by its evidence
   (`refresh.evidence`: the id's own page, or pages of two independent sources);
2. an id is taken only when the service that issues it says so (arXiv for arXiv ids, Crossref for
   DOIs, or a recorded answer backed as above) or two sources agree; two different ids of one kind,
   or an id other than the record's own, make the record *ambiguous*: reported, nothing changed;
3. fields come from the accepted answers in order of trust (recorded answers, arXiv, Crossref,
   OpenAlex): `links.arxiv` / `links.doi`; the title as published, re-cased by the casing table; the
   complete author list (dropping `authors_complete: false`); the first version's `date` and `year`
   (from arXiv or a recorded date; a publication date only fills a missing date of the same year);
   `venue`, `venue_note` and `venue_year` where a source states a venue of the venue table (a recorded
   answer states only some facts: the rules judge those, its ids still need their evidence; a record
   whose year moves keeps its venue's edition: its old year becomes `venue_year`);
4. a `status: reviewed` record keeps every field it has unless `force`: such changes are listed as
   withheld; empty fields are still filled;
5. a new year renames the record by the id rule (`metadata.ids`) and keeps the old id in `former_ids`.

`plan_record` returns an `Outcome`: the status, the changes (for the review table) and the new record.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from safetykb.core.duplicates import arxiv_key, doi_key
from safetykb.core.schema import field_names
from safetykb.metadata.casing import recase
from safetykb.metadata.ids import base_id, unique_id
from safetykb.metadata.matching import judge
from safetykb.metadata.model import Metadata
from safetykb.metadata.people import split_given_family
from safetykb.metadata.venues import VENUES
from safetykb.refresh.answers import NONE, Answer, Lookup
from safetykb.refresh.evidence import backs

#: Order of trust when answers disagree on a field (recorded answers come first: a person read them).
TRUST = ("recorded", "arxiv", "crossref", "openalex")
#: Which service issues each kind of id.
OWNER = {"arxiv": "arxiv", "doi": "crossref"}
FIELD_ORDER = tuple(field_names("paper"))
LINK_ORDER = ("arxiv", "doi", "url", "code", "project")

# statuses of an outcome, in the order the summary counts them
CHANGED, UNCHANGED, WITHHELD, AMBIGUOUS, REJECTED, NONE_FOUND, MISSING, FAILED = (
    "changed", "unchanged", "withheld", "ambiguous", "rejected", "none", "missing", "failed")
STATUSES = (CHANGED, UNCHANGED, WITHHELD, AMBIGUOUS, REJECTED, NONE_FOUND, MISSING, FAILED)


@dataclass
class Change:
    """One field of one record: old -> new, from which source; `withheld` says why it was not applied."""

    record: str
    field: str
    old: Any
    new: Any
    source: str
    withheld: str = ""


@dataclass
class Verdict:
    """An answer with the matching rules' judgement."""

    answer: Answer
    accepted: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What refresh decided for one record."""

    record: str
    status: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    new_record: dict[str, Any] | None = None  # None: the record stays as it is

    @property
    def new_id(self) -> str:
        return str(self.new_record["id"]) if self.new_record else self.record

    @property
    def applied(self) -> list[Change]:
        return [c for c in self.changes if not c.withheld]


def trust(answer: Answer) -> int:
    return 0 if answer.recorded else TRUST.index(answer.source) if answer.source in TRUST else len(TRUST)


def judge_answers(record: dict[str, Any], answers: list[Answer]) -> list[Verdict]:
    verdicts = []
    for answer in answers:
        if answer.meta is None:
            verdicts.append(Verdict(answer, False, ["nothing found"]))
            continue
        judgement = judge(record, answer.meta)
        reasons = list(judgement.reasons)
        if answer.recorded:
            for kind, value in _ids(answer.meta):
                if not backs(answer.evidence, kind, value):
                    page = "https://arxiv.org/abs/" if kind == "arxiv" else "https://doi.org/"
                    reasons.append(f"the evidence does not back {kind} {value} (needs {page}{value} "
                                   "or pages of two independent sources)")
        verdicts.append(Verdict(answer, not reasons, reasons))
    return verdicts


def _ids(meta: Metadata) -> list[tuple[str, str]]:
    found = []
    if meta.arxiv:
        found.append(("arxiv", arxiv_key(meta.arxiv)))
    if meta.doi and not doi_key(meta.doi).startswith("10.48550/"):  # arXiv's own DOIs: the arXiv id says it
        found.append(("doi", doi_key(meta.doi)))
    return found


def _source(answer: Answer) -> str:
    """How the review names an answer: 'arXiv 2311.05608', 'Crossref 10.1145/...', 'file.yaml:12 (arxiv)'."""
    return (answer.meta.where if answer.meta is not None else answer.where) or answer.source


def plan_record(record: dict[str, Any], lookup: Lookup, *, taken: Container[str], force: bool = False,
                casing_only: bool = False) -> Outcome:
    """The outcome for one record (see the module docstring); `taken` holds every id in use or retired."""
    rid = str(record["id"])
    verdicts = judge_answers(record, lookup.answers)
    accepted = sorted((v.answer for v in verdicts if v.accepted), key=trust)
    outcome = Outcome(rid, UNCHANGED, verdicts=verdicts)
    outcome.notes += [f"failed: {f}" for f in lookup.failures]
    if casing_only:
        _recase_only(record, outcome, force)
        outcome.status = CHANGED if outcome.applied else WITHHELD if outcome.changes else UNCHANGED
        return outcome
    if not accepted:
        outcome.status = _unmatched(verdicts, lookup, outcome.notes)
        _recase_only(record, outcome, force)
        if outcome.applied:
            outcome.notes.append("title re-cased by the casing table all the same")
        return outcome

    links = record.get("links") or {}
    chosen: dict[str, tuple[str, str]] = {}  # kind -> (id, source)
    for kind in ("arxiv", "doi"):
        claims: dict[str, list[Answer]] = {}
        for answer in accepted:
            for k, value in _ids(answer.meta):  # type: ignore[arg-type]
                if k == kind:
                    claims.setdefault(value, []).append(answer)
        if len(claims) > 1:
            outcome.status = AMBIGUOUS
            outcome.notes.append(f"{kind} ids " + ", ".join(
                f"{value} ({', '.join(_source(a) for a in claimants)})" for value, claimants in sorted(claims.items())))
            continue
        for value, claimants in claims.items():
            own = links.get(kind)
            if own and (arxiv_key(own) if kind == "arxiv" else doi_key(own)) != value:
                outcome.status = AMBIGUOUS
                outcome.notes.append(f"the record has {kind} {own}, "
                                     f"{', '.join(_source(a) for a in claimants)} say {value}")
                continue
            # the issuing service says so, a recorded answer's evidence backs it, or two sources agree
            confirmed = (any(a.recorded or a.source == OWNER[kind] for a in claimants)
                         or len({a.source for a in claimants}) >= 2)
            if confirmed:
                chosen[kind] = (value, _source(claimants[0]))
            else:
                outcome.notes.append(f"not applied: only {', '.join(_source(a) for a in claimants)} names {kind} "
                                     f"{value} ({OWNER[kind]} or a second source must confirm it)")
    if outcome.status == AMBIGUOUS:
        return outcome

    outcome.notes += [f"{_source(a)}: {note}" for a in accepted if a.recorded and a.meta for note in a.meta.notes]
    new = dict(record)
    propose = _Proposer(record, new, outcome, force)
    for kind, (value, source) in chosen.items():
        propose.link(kind, value, source)

    by_title = next((a for a in accepted if a.meta is not None and a.meta.title), None)
    title = str(record.get("title") or "")
    if by_title is not None and by_title.meta is not None and recase(by_title.meta.title) != title:
        propose.set("title", recase(by_title.meta.title), _source(by_title))
    elif recase(title) != title:
        propose.set("title", recase(title), "casing table")

    _authors(accepted, record, propose)
    _dates(accepted, record, new, propose)
    edition_stated = _venue(accepted, record, new, propose, "arxiv" in chosen or bool(links.get("arxiv")))
    if (not edition_stated and new.get("year") != record.get("year")
            and new.get("venue") == record.get("venue") not in (None, "arXiv")
            and new.get("venue_year") is None):  # "NeurIPS 2024" stays the 2024 edition when the preprint is 2023
        propose.set("venue_year", record.get("year"), "the venue's edition: the record's year before")
    if new.get("venue_year") is not None and new.get("venue_year") == new.get("year"):
        propose.set("venue_year", None, "venue_year is only kept when it differs from year")

    if new.get("year") != record.get("year"):
        first = split_given_family(str((new.get("authors") or [""])[0]))
        new_id = unique_id(base_id(first.family or first.given, int(new["year"]), str(new["title"])), taken)
        new["id"] = new_id
        new["former_ids"] = [*(record.get("former_ids") or []), rid]
        outcome.changes.append(Change(rid, "id", rid, new_id, "id rule (the year changed)"))
        outcome.changes.append(Change(rid, "former_ids", record.get("former_ids"), new["former_ids"],
                                      "keeps the old address"))
    ordered = {k: new[k] for k in (*FIELD_ORDER, *new) if k in new and new[k] not in (None, [], {}, "")}
    if outcome.applied:
        outcome.new_record = ordered
        outcome.status = CHANGED
    else:
        outcome.status = WITHHELD if outcome.changes else UNCHANGED
    return outcome


def _unmatched(verdicts: list[Verdict], lookup: Lookup, notes: list[str]) -> str:
    recorded = [v for v in verdicts if v.answer.recorded]
    rejected = [v for v in recorded if v.answer.source != NONE]
    for verdict in verdicts:
        if verdict.answer.source == NONE:
            notes.append(f"{verdict.answer.where}" + (f": {verdict.answer.note}" if verdict.answer.note else ""))
        elif verdict.answer.recorded and verdict.answer.meta is not None:
            notes.append(f"{_source(verdict.answer)} '{verdict.answer.meta.title}': " + "; ".join(verdict.reasons))
    if rejected:
        return REJECTED
    if recorded:
        return NONE_FOUND
    live = [v for v in verdicts if v.answer.meta is not None]
    if live:
        nearest = live[0]
        notes.append(f"nearest: {_source(nearest.answer)} '{nearest.answer.meta.title}': "  # type: ignore[union-attr]
                     + "; ".join(nearest.reasons))
    if lookup.failures and not live:
        return FAILED
    return MISSING


def _recase_only(record: dict[str, Any], outcome: Outcome, force: bool) -> None:
    """The casing table applies to every record refresh looks at, found or not."""
    title = str(record.get("title") or "")
    if recase(title) == title:
        return
    new = dict(record)
    _Proposer(record, new, outcome, force).set("title", recase(title), "casing table")
    if outcome.applied:
        outcome.new_record = {k: new[k] for k in (*FIELD_ORDER, *new) if k in new}


class _Proposer:
    """Records changes into `new`, holding back overwrites of a reviewed record unless forced."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any], outcome: Outcome, force: bool) -> None:
        self.old, self.new, self.outcome = old, new, outcome
        self.protected = old.get("status") == "reviewed" and not force

    def set(self, name: str, value: Any, source: str) -> bool:
        current = self.new.get(name)
        if current == value or (current in (None, [], "") and value in (None, [], "")):
            return True
        original = self.old.get(name)
        for change in self.outcome.changes:  # a later proposal for the same field replaces the earlier one
            if change.field == name:
                self.outcome.changes.remove(change)
                break
        withheld = ""
        if self.protected and original not in (None, [], ""):
            withheld = "reviewed record: --force to apply"
        self.outcome.changes.append(Change(self.outcome.record, name, original, value, source, withheld))
        if not withheld:
            if value in (None, [], ""):
                self.new.pop(name, None)
            else:
                self.new[name] = value
        return not withheld

    def blocked(self, name: str) -> bool:
        """Whether a change to this field would be withheld (a reviewed record's field, without --force)."""
        return self.protected and self.old.get(name) not in (None, [], "")

    def hold(self, name: str, value: Any, source: str) -> None:
        """List a change as withheld without applying it."""
        self.outcome.changes.append(Change(self.outcome.record, name, self.old.get(name), value, source,
                                           "reviewed record: --force to apply"))

    def link(self, kind: str, value: str, source: str) -> None:
        links = dict(self.new.get("links") or {})
        if links.get(kind) == value:
            return
        original = (self.old.get("links") or {}).get(kind)
        withheld = "reviewed record: --force to apply" if self.protected and original else ""
        self.outcome.changes.append(Change(self.outcome.record, f"links.{kind}", original, value, source, withheld))
        if not withheld:
            links[kind] = value
            self.new["links"] = {k: links[k] for k in (*LINK_ORDER, *links) if k in links}


def _authors(accepted: list[Answer], record: dict[str, Any], propose: _Proposer) -> None:
    """The most trusted complete list (the flag goes); else a longer cut list (the flag stays)."""
    lists = [(a, [p.display() for p in a.meta.authors]) for a in accepted if a.meta is not None and a.meta.authors]
    if not lists:
        return
    current = list(record.get("authors") or [])
    complete = [(a, names) for a, names in lists if a.meta is not None and a.meta.authors_complete]
    if complete:
        answer, names = complete[0]
        if propose.set("authors", names, _source(answer)) and record.get("authors_complete") is False:
            propose.set("authors_complete", None, _source(answer))
        return
    answer, names = max(lists, key=lambda pair: len(pair[1]))
    if len(names) > len(current) and propose.set("authors", names, _source(answer)):
        propose.set("authors_complete", False, _source(answer))


def _dates(accepted: list[Answer], record: dict[str, Any], new: dict[str, Any], propose: _Proposer) -> None:
    first = next((a for a in accepted if a.meta is not None and a.meta.first_version and a.meta.date), None)
    if first is not None:
        date, source = str(first.meta.date), _source(first)  # type: ignore[union-attr]
        year = int(date[:4])
        if year != record.get("year") and propose.blocked("year"):  # the year is held back: so is its date
            if date != record.get("date"):
                propose.hold("date", date, source)
            propose.hold("year", year, source)
            return
        propose.set("date", date, source)
        propose.set("year", year, source)
        return
    if record.get("date") or (new.get("links") or {}).get("arxiv"):
        return
    published = next((a for a in accepted if a.meta is not None and a.meta.date), None)
    if published is not None and str(published.meta.date)[:4] == str(record.get("year")):  # type: ignore[union-attr]
        propose.set("date", published.meta.date, f"{_source(published)} (publication date)")  # type: ignore[union-attr]


def _venue(accepted: list[Answer], record: dict[str, Any], new: dict[str, Any], propose: _Proposer,
           on_arxiv: bool) -> bool:
    """Venue, note and edition from the first answer stating a venue of the table; True when that answer
    also states the edition (then it is the edition, whatever year the record had before)."""
    stated = next((a for a in accepted if a.meta is not None and a.meta.venue in VENUES
                   and a.meta.venue != "arXiv"), None)
    if stated is None:
        if not record.get("venue") and on_arxiv:
            propose.set("venue", "arXiv", "arXiv id")
        return False
    meta = stated.meta
    assert meta is not None
    source = _source(stated)
    same = record.get("venue") == meta.venue
    if propose.set("venue", meta.venue, source):
        note = meta.venue_note or (record.get("venue_note") if same else None)
        propose.set("venue_note", note, source)
    if meta.venue_year is None:  # the source names the venue, not its edition: the record's stays
        return False
    edition = meta.venue_year if meta.venue_year != new.get("year") else None
    if new.get("venue") == meta.venue:
        propose.set("venue_year", edition, source)
    return True
