"""Data classes shared by the importer: parsed list entries, people, problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from safetykb.metadata.people import Person


@dataclass
class Problem:
    """Something wrong with the input, tied to a file and line.

    ``severity`` is ``error`` (the entry could not be parsed: fatal, nothing is
    written) or ``warning`` (the entry was parsed, but a field was dropped or
    guessed).
    """

    path: str
    line: int
    message: str
    severity: str = "error"
    list: str = ""
    chapter: str = ""
    heading: str = ""

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class Entry:
    """One entry of one seed list, as parsed (facts only, no classification)."""

    list: str
    path: str
    line: int
    title: str
    chapter: str = ""  # <summary> chapter (large-model list), "" for the LVLM list
    heading: str = ""  # ##### heading / <h3> heading
    authors: list[Person] = field(default_factory=list)
    authors_complete: bool = True  # False when the list cut the author list ('and others', 'et al.')
    affiliations: list[str] = field(default_factory=list)
    year: int | None = None
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    venue: str | None = None
    venue_note: str | None = None
    venue_year: int | None = None  # year of the venue edition ('AAAI'25' -> 2025); None for arXiv
    arxiv: str | None = None  # bare id without version
    url: str | None = None  # non-arXiv link from the list
    code: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def assign_sections(problems: list[Problem], marks: list[tuple[int, str, str]], list_name: str) -> None:
    """Tag problems with the list and the section they fall in; ``marks`` are
    (line, chapter, heading) where each section starts, in line order."""
    import bisect

    starts = [m[0] for m in marks]
    for p in problems:
        p.list = list_name
        k = bisect.bisect_right(starts, p.line) - 1
        if k >= 0:
            p.chapter, p.heading = marks[k][1], marks[k][2]
