"""Answers about records: what a source says about one paper, live from a service or recorded in a file.

Both kinds become the same `Answer` (record id, source, the source's facts as `Metadata`, evidence),
so refresh judges them by one code path. Live answers come from the title searches of
`safetykb.metadata.search`; recorded answers from YAML files (`--from FILE`, kept under
`docs/evidence/`), one item per looked-up record:

    - record: gong2023figstep          # the record's id (a former id is accepted too)
      source: arxiv                    # arxiv | crossref | openalex | acl-anthology | cvf | pmlr | openreview | other
      evidence:                        # URLs whose pages show this title with these ids
        - https://arxiv.org/abs/2311.05608
      found:                           # exactly what the source says; what it does not say is left out
        title: "FigStep: Jailbreaking Large Vision-Language Models via Typographic Visual Prompts"
        authors: [Yichen Gong, Delong Ran]   # the full list, in the source's order
        authors_complete: true         # false when the source itself shows a cut list
        arxiv: "2311.05608"
        doi: "10.1609/aaai.v39i22.34568"
        date: "2023-11-09"            # the first public version (arXiv v1)
        venue: AAAI                    # only when the source states a venue
        venue_year: 2025
    - record: foo2024bar
      source: none                     # looked up, nothing acceptable found
      note: "why"

`found` holds only what the source says: an answer may leave out the title (the source shows the
record's title as it is, or the paper was retitled), the authors, the date. The matching rules judge
what it states; its ids need their evidence either way (`refresh.plan`). `read_answers` checks a file's
shape and reports every problem as `file:line: message`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from safetykb.core.duplicates import arxiv_key, doi_key, valid_arxiv, valid_doi
from safetykb.core.problems import display_path
from safetykb.metadata.fetch import FetchError, NotFound, Unreachable
from safetykb.metadata.model import Metadata, clean_text, split_name
from safetykb.metadata.search import Searcher
from safetykb.metadata.venues import VENUES, normalise_venue

#: Where a recorded answer may come from ("none": looked up, nothing acceptable found).
SOURCES = ("arxiv", "crossref", "openalex", "acl-anthology", "cvf", "pmlr", "openreview", "other")
NONE = "none"
ITEM_KEYS = {"record", "source", "evidence", "found", "note"}
FOUND_KEYS = {"title", "authors", "authors_complete", "arxiv", "doi", "date", "venue", "venue_note", "venue_year"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_URL = re.compile(r"^https?://\S+$")


@dataclass
class Answer:
    """What one source says about one record's paper (`meta` is None for `source: none`)."""

    record: str
    source: str
    meta: Metadata | None = None
    evidence: list[str] = field(default_factory=list)
    note: str = ""
    where: str = ""  # file:line of a recorded answer, or the service's name for the paper
    recorded: bool = False


class AnswersError(Exception):
    """A recorded-answers file that cannot be used; `problems` are `file:line: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problems in recorded answers")
        self.problems = problems


# ---------------------------------------------------------------- recorded answers


def read_answers(path: Path) -> list[Answer]:
    """The items of a recorded-answers file, or AnswersError with every problem in it."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnswersError([f"{shown}: cannot read it: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise AnswersError([f"{shown}: not UTF-8 text"]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise AnswersError([f"{shown}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}"]) from None
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        raise AnswersError([f"{shown}:1: a recorded-answers file is a list of items (- record: ..., source: ...)"])
    answers: list[Answer] = []
    problems: list[str] = []
    for item, node in zip(data, root.value, strict=True):
        where = f"{shown}:{node.start_mark.line + 1}"
        try:
            answers.append(_item(item, where))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise AnswersError(problems)
    return answers


def _item(item: Any, where: str) -> Answer:
    if not isinstance(item, dict):
        raise ValueError("an item is a mapping with record, source, evidence and found")
    unknown = set(item) - ITEM_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; an item has {sorted(ITEM_KEYS)}")
    record = item.get("record")
    if not isinstance(record, str) or not _ID.match(record):
        raise ValueError("`record` must be the record's id (like gong2023figstep)")
    source = item.get("source")
    if source not in (*SOURCES, NONE):
        raise ValueError(f"`source` must be one of {', '.join((*SOURCES, NONE))}, not {source!r}")
    note = str(item.get("note") or "")
    evidence = item.get("evidence") or []
    if not isinstance(evidence, list) or not all(isinstance(u, str) and _URL.match(u) for u in evidence):
        raise ValueError("`evidence` must be a list of http(s) URLs")
    if source == NONE:
        if item.get("found"):
            raise ValueError("`source: none` means nothing was found: leave `found` out")
        return Answer(record, NONE, None, list(evidence), note, where, recorded=True)
    if not evidence:
        raise ValueError("`evidence` needs at least one URL whose page shows the title with these ids")
    found = item.get("found")
    if not isinstance(found, dict):
        raise ValueError("`found` must hold what the source says (title, authors, ids, date, venue)")
    return Answer(record, source, _found(found, source, where), list(evidence), note, where, recorded=True)


def _found(found: dict[str, Any], source: str, where: str) -> Metadata:
    unknown = set(found) - FOUND_KEYS
    if unknown:
        raise ValueError(f"`found` has unknown keys {sorted(unknown)}; it takes {sorted(FOUND_KEYS)}")
    title = found.get("title", "")
    if not isinstance(title, str):
        raise ValueError("`found.title` is the title exactly as the source shows it (text)")
    authors = found.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise ValueError("`found.authors` is a list of the source's author names, 'Given Family', in its order")
    date = found.get("date")
    if date is not None and (not isinstance(date, str) or not _DATE.match(date)):
        raise ValueError(f"`found.date` {date!r} is not YYYY-MM-DD or YYYY-MM (quote it)")
    venue_year = found.get("venue_year")
    if venue_year is not None and not (isinstance(venue_year, int) and 1990 <= venue_year <= 2100):
        raise ValueError(f"`found.venue_year` {venue_year!r} is not a year")
    complete = found.get("authors_complete", True)
    if not isinstance(complete, bool):
        raise ValueError("`found.authors_complete` is true or false")
    arxiv = found.get("arxiv")
    if arxiv is not None:
        if not isinstance(arxiv, str) or not valid_arxiv(arxiv_key(arxiv)):
            raise ValueError(f"`found.arxiv` {arxiv!r} is not an arXiv id like \"2311.05608\" (quote it)")
        arxiv = arxiv_key(arxiv)
    doi = found.get("doi")
    if doi is not None and (not isinstance(doi, str) or not valid_doi(doi)):
        raise ValueError(f"`found.doi` {doi!r} is not a bare DOI like 10.1145/3576915.3623156")
    year = int(date[:4]) if date else venue_year or 0  # 0: the answer states no year
    meta = Metadata(title=clean_text(title), authors=[split_name(a) for a in authors], year=year, date=date,
                    where=f"{where} ({source})", arxiv=arxiv, doi=doi, source=source,
                    first_version=bool(date), authors_complete=complete, venue_year=venue_year)
    venue = found.get("venue")
    if venue is not None:
        if not isinstance(venue, str) or not venue.strip():
            raise ValueError("`found.venue` is the venue's short name (NeurIPS, CVPR, ...)")
        short, note, _warning = normalise_venue(venue)
        if short is None:
            raise ValueError(f"`found.venue` {venue!r} names no venue")
        meta.venue, meta.venue_note = short, found.get("venue_note") or note
        if short not in VENUES:  # kept for the review, never written (see refresh.plan)
            meta.notes.append(f"venue '{venue}' is not in the venue table (safetykb/metadata/venues.py): not applied")
    elif found.get("venue_note") is not None:
        raise ValueError("`found.venue_note` goes with a `venue`")
    return meta


# ---------------------------------------------------------------- live answers


@dataclass
class Lookup:
    """Every answer the services gave for one record, and the services that failed."""

    record: str
    answers: list[Answer] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def look_up(searcher: Searcher, record: dict[str, Any], services: tuple[str, ...]) -> Lookup:
    """Ask each service for the record's title and first author, then ask arXiv (Crossref) about any
    arXiv id (DOI) that only another service named, so the issuer can confirm it; Unreachable (no
    network) propagates."""
    rid = str(record["id"])
    lookup = Lookup(rid)
    first = split_name(str((record.get("authors") or [""])[0]))
    family = first.family or first.given
    for service in services:
        try:
            found = searcher.search(service, str(record.get("title") or ""), family)
        except Unreachable:
            raise
        except FetchError as exc:
            lookup.failures.append(f"{service}: {exc}")
            continue
        lookup.answers.extend(Answer(rid, service, meta, where=meta.where) for meta in found)
    for kind, issuer, ask in (("arxiv", "arxiv", searcher.arxiv_id), ("doi", "crossref", searcher.crossref_doi)):
        if issuer not in services:
            continue
        key = arxiv_key if kind == "arxiv" else doi_key
        ids = [(a.source, getattr(a.meta, kind)) for a in lookup.answers if a.meta is not None]
        known = {key(v) for source, v in ids if v and source == issuer}
        named = {key(v): v for source, v in ids if v and source != issuer}
        for value in (v for k, v in sorted(named.items()) if k not in known and not k.startswith("10.48550/")):
            try:
                meta = ask(value)
            except Unreachable:
                raise
            except NotFound:
                continue
            except FetchError as exc:
                lookup.failures.append(f"{issuer}: {exc}")
                continue
            lookup.answers.append(Answer(rid, issuer, meta, where=meta.where))
    return lookup
