"""Parser of the awesome-lvlm-safety list (XuankunRong/Awesome-LVLM-Safety README).

Entry shape::

    * **[2023.05.26]** **[Title](https://arxiv.org/abs/ID)** [![GitHub stars](badge)](https://github.com/o/r)
      * Given Family, Given Family
      * Affiliation, Affiliation
      * [NeurIPS'23 Oral]

The bold may be split or misplaced (``**[date] [title](url)**``, ``**[date**]``,
``[**title**](url)``). Sections are the ``<h3>`` headings inside "Awesome Papers".
"""

from __future__ import annotations

import re

from safetykb.importer import LVLM_LIST
from safetykb.importer.model import Entry, Problem, assign_sections
from safetykb.importer.names import parse_given_family_list
from safetykb.importer.text import arxiv_from_url, unescape
from safetykb.metadata.venues import NOTES, normalise_venue

_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.IGNORECASE)
_H3 = re.compile(r"<h3\b[^>]*>(.*?)</h3>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_ENTRY = re.compile(r"^\*\s+\[(?P<date>[^\]]*)\]\s*\[(?P<title>.+?)\]\((?P<url>https?://[^)\s]+)\)(?P<rest>.*)$")
_CODE = re.compile(r"\]\((?P<code>https?://(?:www\.)?github\.com/[^)\s]+)\)")
_DATE = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})$")
_VENUE = re.compile(r"^\[(?P<venue>[^'\]]+?)\s*'(?P<yy>\d{2})(?:\s+(?P<note>[^\]]+?))?\s*\]$")
_AFFIL_WORDS = re.compile(
    r"Universit|Institute|Lab|College|Center|Centre|School|Academy|Research|Inc\b|Corp|Company|Group|"
    r"Technolog|AI\b|Google|Microsoft|Meta\b|Tencent|Alibaba|Baidu|Huawei|NVIDIA|Amazon|Apple",
)
# Fragments that follow a comma inside one affiliation ("University of California, Berkeley").
_PLACES = {
    "berkeley",
    "riverside",
    "davis",
    "santa cruz",
    "san diego",
    "los angeles",
    "irvine",
    "santa barbara",
    "merced",
    "san francisco",
    "shenzhen",
    "singapore",
    "madison",
    "college park",
    "urbana-champaign",
    "austin",
    "hong kong",
    "beijing",
    "shanghai",
    "weihai",
    "harbin",
}


def split_affiliations(text: str) -> list[str]:
    """Comma-separated affiliations; a place after a comma stays with its institution."""
    out: list[str] = []
    for part in (p.strip() for p in unescape(text).split(",")):
        if not part:
            continue
        if out and part.lower() in _PLACES and part.lower() not in out[-1].lower():
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def parse(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """Parse the README text; return entries (with line numbers) and problems."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    in_papers = False
    heading = ""
    current: Entry | None = None
    subs: list[tuple[int, str]] = []
    marks: list[tuple[int, str, str]] = []

    skipping = False  # inside a failed entry: its sub-items are part of the one reported problem

    def finish() -> None:
        nonlocal current, subs, skipping
        if current is not None and _fill(current, subs, problems):
            entries.append(current)
        current, subs, skipping = None, [], False

    for lineno, line in enumerate(text.splitlines(), start=1):
        h2 = _H2.search(line)
        if h2:
            finish()
            in_papers = "paper" in _TAG.sub("", h2.group(1)).lower()
            heading = ""
            continue
        if not in_papers:
            continue
        h3 = _H3.search(line)
        if h3:
            finish()
            heading = unescape(_TAG.sub("", h3.group(1)))
            marks.append((lineno, "", heading))
            continue
        if line.startswith("* ") or line.startswith("- "):
            finish()
            entry = _parse_entry_line(line, lineno, path, heading, problems)
            if entry is not None:
                current = entry
            else:
                skipping = True
            continue
        if re.match(r"^\s{2,}[*-]\s+", line):
            if skipping:
                continue
            if current is None:
                problems.append(Problem(path, lineno, "sub-item outside an entry: " + line.strip()[:80]))
            else:
                subs.append((lineno, re.sub(r"^\s+[*-]\s+", "", line).strip()))
            continue
        if line.strip() and (current is not None or skipping):
            finish()
    finish()
    assign_sections(problems, marks, LVLM_LIST)
    return entries, problems


def _parse_entry_line(line: str, lineno: int, path: str, heading: str, problems: list[Problem]) -> Entry | None:
    if not heading:
        problems.append(Problem(path, lineno, "entry before any section heading"))
        return None
    flat = line.replace("**", "")
    m = _ENTRY.match(flat)
    if not m:
        problems.append(
            Problem(
                path,
                lineno,
                "cannot parse entry (expected '* [YYYY.MM.DD] [Title](URL)'): " + line.strip()[:100],
            )
        )
        return None
    title = unescape(m.group("title"))
    if not title:
        problems.append(Problem(path, lineno, "entry has an empty title"))
        return None
    entry = Entry(list=LVLM_LIST, path=path, line=lineno, title=title, heading=heading)
    dm = _DATE.match(m.group("date").strip())
    if dm:
        y, mo, d = (int(g) for g in dm.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            entry.date = f"{y:04d}-{mo:02d}-{d:02d}"
            entry.year = y
    if entry.date is None:
        problems.append(Problem(path, lineno, f"bad date {m.group('date')!r} (expected YYYY.MM.DD)"))
        return None
    url = m.group("url")
    entry.arxiv = arxiv_from_url(url)
    if entry.arxiv is None:
        entry.url = url
    code = _CODE.search(m.group("rest"))
    if code:
        entry.code = code.group("code")
    return entry


def _fill(entry: Entry, subs: list[tuple[int, str]], problems: list[Problem]) -> bool:
    """Authors, affiliations and venue from the sub-items; False if the entry is unusable."""
    rest = list(subs)
    if rest and rest[-1][1].startswith("["):
        lineno, raw = rest.pop()
        vm = _VENUE.match(raw.strip())
        if vm:
            venue, note, warn = normalise_venue(unescape(vm.group("venue")))
            entry.venue = venue
            if venue and venue != "arXiv":
                entry.venue_year = 2000 + int(vm.group("yy"))
            extra = vm.group("note")
            if extra:
                extra = NOTES.get(extra.lower(), extra)
            entry.venue_note = " ".join(x for x in (note, extra) if x) or None
            if warn:
                entry.warnings.append(f"line {lineno}: {warn}")
        else:
            entry.warnings.append(f"line {lineno}: venue {raw!r} not in the form [Venue'YY Note]; dropped")
    else:
        entry.warnings.append("no venue line")
    if len(rest) > 2:
        for lineno, raw in rest[2:]:
            entry.warnings.append(f"line {lineno}: unexpected sub-item ignored: {raw[:60]!r}")
    authors_line = affil_line = None
    if len(rest) >= 2:
        authors_line, affil_line = rest[0][1], rest[1][1]
    elif len(rest) == 1:
        if _AFFIL_WORDS.search(rest[0][1]):
            affil_line = rest[0][1]
        else:
            authors_line = rest[0][1]
    if authors_line:
        entry.authors = parse_given_family_list(authors_line)
    if affil_line:
        entry.affiliations = split_affiliations(affil_line)
    if not entry.authors:
        problems.append(Problem(entry.path, entry.line, f"entry {entry.title!r} has no author line"))
        return False
    return True
