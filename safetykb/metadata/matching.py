"""When a source's answer is the paper a record describes: the three rules, in one place.

A candidate (title, authors, years from arXiv, Crossref, OpenAlex or a recorded answer) is accepted for a
record only when all three hold:

1. **title**: the normalised titles (lowercase letters and digits, `core.duplicates.normalise_title`) are
   near-identical by the validator's own duplicate rule (`core.duplicates.near_identical`, 95% alike):
   a different word or a dropped subtitle is another paper, a hyphen or a case change is not;
2. **authors**: at least one author family name is shared (accents, case and punctuation ignored;
   a particle such as 'van der' may be missing on one side);
3. **year**: one of the candidate's years (first version, publication, venue edition) is within one
   year of the record's `year`.

`judge` says yes or no with the reasons, so refresh can report why an answer was rejected. A service's
answer states all three facts; a recorded answer (`refresh.answers`) may leave one out, and is judged
on those it states.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from safetykb.core.duplicates import near_identical, normalise_title
from safetykb.metadata.ids import slug_word
from safetykb.metadata.model import Metadata
from safetykb.metadata.people import Person, split_given_family

#: Largest difference, in years, between a record's year and a candidate's.
YEAR_WINDOW = 1


@dataclass
class Judgement:
    """Whether a candidate is the record's paper, and if not, every reason why not."""

    accepted: bool
    reasons: list[str] = field(default_factory=list)


def family_keys(authors: Iterable[str | Person]) -> set[str]:
    """Folded family names ('Jörg van der Berg' -> {'vanderberg', 'berg'})."""
    keys: set[str] = set()
    for author in authors:
        person = author if isinstance(author, Person) else split_given_family(str(author))
        family = person.family or person.given
        whole = slug_word(family)
        if whole:
            keys.add(whole)
        last = slug_word(family.split()[-1]) if family.split() else ""
        if last:
            keys.add(last)
    return keys


def titles_agree(a: str, b: str) -> bool:
    return near_identical(normalise_title(a), normalise_title(b))


def candidate_years(meta: Metadata) -> set[int]:
    years = {meta.year}
    if meta.date and meta.date[:4].isdigit():
        years.add(int(meta.date[:4]))
    if meta.venue_year:
        years.add(meta.venue_year)
    return {y for y in years if isinstance(y, int) and y > 0}


def judge(record: dict[str, Any], meta: Metadata) -> Judgement:
    """Apply the three rules to a record and a candidate."""
    reasons = []
    title = str(record.get("title") or "")
    if meta.title and not titles_agree(title, meta.title):
        reasons.append("title differs")
    if meta.authors and not family_keys(record.get("authors") or []) & family_keys(meta.authors):
        names = ", ".join(p.family or p.given for p in meta.authors[:4])
        reasons.append(f"no author family name in common ({names}{', ...' if len(meta.authors) > 4 else ''})")
    year = record.get("year")
    years = candidate_years(meta)
    if isinstance(year, int) and years and not any(abs(y - year) <= YEAR_WINDOW for y in years):
        reasons.append(f"year {'/'.join(map(str, sorted(years)))} is more than {YEAR_WINDOW} from {year}")
    return Judgement(not reasons, reasons)
