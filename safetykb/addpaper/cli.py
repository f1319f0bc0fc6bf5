"""`scripts/add_paper.py SOURCE [flags]`: add papers to the knowledge base from arXiv, a DOI or BibTeX.

SOURCE is an arXiv id or URL (abs/pdf, any version), a DOI (bare, doi: or a
doi.org URL), a .bib file, a BibTeX entry in quotes, or `-` for BibTeX on
standard input. Exit 0 when every paper was added (or printed with --dry-run),
1 when any entry failed (unreachable service, unknown paper, duplicate, broken
entry, invalid record), 2 for a command-line mistake (unreadable source,
unknown taxonomy term, missing classification without a terminal).

Status: a record drafted here is `reviewed`, because its classification comes
from the contributor (flags or prompts), never from rules; `--status auto` is
for maintainers who file a whole .bib under one blanket classification.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from safetykb.addpaper.bib import MAX_BIBTEX_BYTES, BibItem, read_bibtex
from safetykb.addpaper.classify import FLAG_HELP, LIST_FIELDS, Classification, Prompter, resolve_all, split_terms
from safetykb.addpaper.draft import draft_id, draft_record, problems_in, record_path, render
from safetykb.core.duplicates import PaperIndex, arxiv_key
from safetykb.core.fileio import write_new
from safetykb.core.graph import build_graph
from safetykb.core.layout import record_files, repo_root
from safetykb.core.problems import display_path, format_report
from safetykb.core.queries import UnknownTerm
from safetykb.core.records import KnowledgeBase
from safetykb.core.suggest import closest
from safetykb.core.validation import load_and_validate
from safetykb.metadata.fetch import ARXIV_ID, DEFAULT_TIMEOUT, FetchError, fetch_arxiv, fetch_crossref

PROG = "add_paper.py"
_ARXIV_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$", re.IGNORECASE)
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)

EXAMPLES = """examples:
  scripts/add_paper.py 2311.05608 --models vlm --attacks jailbreak --method FigStep
  scripts/add_paper.py https://arxiv.org/abs/2403.09513v2 --models LVLM --defenses inference-alignment \\
      --counters jailbreak --code https://github.com/rain305f/AdaShield
  scripts/add_paper.py 10.1145/3576915.3623156 --models llm --contribution evaluation --evaluates jailbreak
  scripts/add_paper.py paper.bib --models vlm --attacks backdoor      (every entry of the file)
  scripts/add_paper.py - < paper.bib ...                              (BibTeX on standard input)
  scripts/add_paper.py 2311.05608                  (at a terminal: asks for the classification)
"""


@dataclass
class Source:
    """What the SOURCE argument names: kind is 'arxiv', 'doi' or 'bibtex'; value is the id or the text."""

    kind: str
    value: str
    label: str


class UsageError(Exception):
    """A command-line mistake; the message says what to type instead."""


def parse_source(text: str, stdin: TextIO) -> Source:
    """Tell an arXiv id/URL, a DOI, a BibTeX file/entry and `-` apart."""
    raw = text.strip()
    if raw == "-":
        return Source("bibtex", _bounded(stdin.read(MAX_BIBTEX_BYTES + 1), "standard input"), "<stdin>")
    if raw.startswith("@"):
        return Source("bibtex", raw, "<argument>")
    candidate = re.sub(r"^arxiv:\s*", "", raw, flags=re.IGNORECASE)
    url = _ARXIV_URL.match(candidate)
    if url:
        candidate = url.group(1)
    if ARXIV_ID.match(candidate):
        return Source("arxiv", arxiv_key(candidate), f"arXiv {arxiv_key(candidate)}")
    if url:
        raise UsageError(f"'{raw}' is an arXiv URL without a valid id: expected like https://arxiv.org/abs/2311.05608")
    doi = _DOI.match(raw)
    if doi:
        value = doi.group(1).rstrip(".")
        on_arxiv = _ARXIV_DOI.match(value)
        if on_arxiv and ARXIV_ID.match(on_arxiv.group(1)):
            return Source("arxiv", arxiv_key(on_arxiv.group(1)), f"arXiv {arxiv_key(on_arxiv.group(1))}")
        return Source("doi", value, f"DOI {value}")
    path = Path(raw)
    if path.exists() and not path.is_dir():
        try:
            with open(path, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    raise UsageError(f"{raw} is not a regular file: give a .bib file, or - for standard input")
                data = fh.read(MAX_BIBTEX_BYTES + 1)
            if len(data) > MAX_BIBTEX_BYTES:
                _bounded("x" * len(data), raw)
            return Source("bibtex", data.decode("utf-8-sig"), display_path(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {raw}: {getattr(exc, 'strerror', None) or exc}") from None
    if raw.endswith(".bib"):
        raise UsageError(f"{raw}: no such file")
    raise UsageError(f"'{raw}' is not an arXiv id or URL, a DOI, a .bib file or a BibTeX entry")


def _bounded(text: str, where: str) -> str:
    """text, unless it is more BibTeX than is read at once (UsageError)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BIBTEX_BYTES:
        raise UsageError(f"{where}: more than {MAX_BIBTEX_BYTES // 1024:,} KiB of BibTeX; add_paper reads at most "
                         "that much at once: split the file")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
        description="Draft, check and write paper records from an arXiv id or URL, a DOI, or BibTeX. "
                    "The classification comes from the flags, or is asked when a terminal is attached.")
    parser.add_argument("source", help="arXiv id or URL, DOI, .bib file, BibTeX entry, or - for standard input")
    group = parser.add_argument_group("classification (ids, names or aliases; lists comma-separated)")
    for name in ("models", "contribution", "attacks", "defenses", "counters", "evaluates", "introduces", "uses"):
        group.add_argument(f"--{name}", action="extend", type=split_terms, default=[], metavar="TERMS",
                           help=FLAG_HELP[name])
    group.add_argument("--method", help=FLAG_HELP["method"])
    group.add_argument("--threat-model", dest="threat_model", help=FLAG_HELP["threat_model"])
    group.add_argument("--summary", help=FLAG_HELP["summary"])
    extra = parser.add_argument_group("facts the source may lack")
    extra.add_argument("--code", help=FLAG_HELP["code"])
    extra.add_argument("--project", help="project page URL")
    extra.add_argument("--venue", help="short venue name (NeurIPS, CVPR, ...) when the source's is missing or wrong")
    extra.add_argument("--venue-note", dest="venue_note", help="Oral, Spotlight, Workshop, Findings, ...")
    parser.add_argument("--not-duplicate-of", dest="not_duplicate_of", action="extend", type=split_terms,
                        default=[], metavar="IDS",
                        help="paper ids whose titles are near-identical but which are different papers")
    parser.add_argument("--status", choices=("reviewed", "auto"), default="reviewed",
                        help="reviewed (default: you chose the classification) or auto (a blanket guess)")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds to wait for arXiv or Crossref (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--dry-run", action="store_true", help="print the drafted records, write nothing")
    parser.add_argument("--no-input", action="store_true", help="never ask, even at a terminal")
    return parser


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, interactive: bool | None = None,
         ask: Callable[[str], str] | None = None) -> int:
    """Run add_paper; the keyword arguments let tests stand in for the terminal."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr

    def err(message: str) -> None:
        print(f"{PROG}: {message}", file=stderr)

    args = build_parser().parse_args(argv)
    root = (args.root or repo_root()).resolve()
    if not (root / "taxonomy").is_dir():
        err(f"{root} holds no taxonomy/ folder: is --root right?")
        return 2
    if args.timeout <= 0:
        err("--timeout must be a positive number of seconds")
        return 2
    try:
        source = parse_source(args.source, stdin)
    except UsageError as exc:
        err(str(exc))
        print(EXAMPLES, file=stderr)
        return 2

    result = load_and_validate(root)
    if result.problems:
        count = len(result.problems)
        err(f"note: the knowledge base already has {count} problem{'s' if count != 1 else ''} elsewhere, first "
            f"{result.problems[0]} (run scripts/validate.py); they do not stop this paper")
    graph = build_graph(result.kb)
    given = Classification(**{name: getattr(args, name) for name in LIST_FIELDS},
                           contribution=[c.lower() for c in args.contribution], method=args.method,
                           threat_model=args.threat_model, code=args.code, summary=args.summary)
    try:
        given = resolve_all(graph, given)
    except (UnknownTerm, ValueError) as exc:
        err(str(exc))
        return 2
    # a renamed paper is named by its id now or any former id (core.records.former_index)
    args.not_duplicate_of = list(dict.fromkeys(result.kb.current_id(i) or i for i in args.not_duplicate_of))
    unknown = [i for i in args.not_duplicate_of if i not in result.kb.papers]
    if unknown:
        best = closest(unknown[0], list(result.kb.papers))
        err(f"--not-duplicate-of: unknown paper '{unknown[0]}'" + (f"; did you mean '{best}'?" if best else ""))
        return 2
    not_dup_files = [_existing_file(root, result.kb.papers[i], i) for i in args.not_duplicate_of]
    not_dup_files = [f for f in not_dup_files if f is not None]
    if interactive is None:
        interactive = not args.no_input and source.label != "<stdin>" and _isatty(stdin)
    if not interactive and given.missing():
        err(missing_message(given.missing()))
        return 2
    prompter = Prompter(graph, ask or input, stdout) if interactive else None

    items = _gather(source, args.timeout, err)  # after the flags are checked: no request for a doomed run
    if items is None:
        return 1

    index = PaperIndex(sorted(result.kb.papers.items()))
    taken = {path.stem for _kind, path in record_files(root)} | {record["id"] for _kind, record in result.kb}
    outcome = {"added": 0, "duplicate": 0, "broken": 0, "invalid": 0}
    for item in items:
        where = f"{source.label}:{item.line} ({item.key})" if source.kind == "bibtex" else source.label
        if item.error or item.meta is None:
            outcome["broken"] += 1
            err(f"broken entry at line {item.line} of {source.label} ({item.key}): {item.error}")
            continue
        meta = item.meta
        probe = {"title": meta.title, "links": {k: v for k, v in (("arxiv", meta.arxiv), ("doi", meta.doi)) if v},
                 "not_duplicate_of": args.not_duplicate_of}
        dup = index.find(probe)
        if dup:
            outcome["duplicate"] += 1
            hint = (f" (if it is a different paper, pass --not-duplicate-of {dup.earlier})"
                    if dup.field == "title" else "")
            err(f"{where}: '{meta.title}' is already in the knowledge base as {dup.earlier} "
                f"({_existing_path(root, result.kb.papers.get(dup.earlier), dup.earlier)}): {dup.reason}; "
                f"nothing written{hint}")
            continue
        paper_id = draft_id(meta, taken)
        try:
            cls = (prompter.classify(meta.title, given, _introduced_here(result.kb, root, paper_id)) if prompter
                   else given.copy())
        except (EOFError, KeyboardInterrupt) as exc:
            why = "no answer on the terminal" if isinstance(exc, EOFError) else "interrupted"
            err(f"cancelled ({why}); nothing written for this paper")
            _answers_as_flags(args.source, prompter.answers if prompter else given, err)
            return 130 if isinstance(exc, KeyboardInterrupt) else 1
        cls.finish()
        record = draft_record(meta, cls, taken, status=args.status, venue=args.venue, venue_note=args.venue_note,
                              extra_links={"project": args.project}, not_duplicate_of=args.not_duplicate_of)
        text = render(record)
        target = record_path(root, record)
        problems = problems_in(root, target, text, tuple(not_dup_files))
        if problems:
            outcome["invalid"] += 1
            err(f"{where}: the drafted record would not validate; nothing written:\n{format_report(problems)}")
            if prompter is not None:
                _answers_as_flags(args.source, cls, err)
            continue
        for note in meta.notes:
            print(f"  note ({record['id']}): {note}", file=stdout)
        if args.dry_run:
            print(f"--- {display_path(target)} (dry run, not written)", file=stdout)
            stdout.write(text)
        else:
            try:
                write_new(target, text)
            except FileExistsError:
                outcome["invalid"] += 1
                err(f"{display_path(target)} already exists: it is never overwritten; nothing written")
                continue
            except OSError as exc:
                err(f"cannot write {display_path(target)}: {exc.strerror or exc}")
                return 1
            print(f"added {display_path(target)}  ({meta.title})", file=stdout)
        outcome["added"] += 1
        index.add(record["id"], record)
        taken.add(record["id"])

    failed = outcome["duplicate"] + outcome["broken"] + outcome["invalid"]
    if len(items) > 1:
        verb = "drafted" if args.dry_run else "added"
        print(f"{len(items)} entries: {outcome['added']} {verb}, {outcome['duplicate']} duplicate, "
              f"{outcome['broken']} broken, {outcome['invalid']} invalid", file=stdout)
    if outcome["added"] and not args.dry_run:
        print("next: scripts/validate.py, preview with `make serve`, then commit and open a pull request "
              "(CONTRIBUTING.md)", file=stdout)
    return 1 if failed else 0


def _gather(source: Source, timeout: float, err: Callable[[str], None]) -> list[BibItem] | None:
    """The entries to add, or None after printing why there are none."""
    if source.kind == "bibtex":
        items = read_bibtex(source.value, source.label)
        if not items:
            err(f"no BibTeX entry found in {source.label}: an entry starts with @article{{key, ...")
            return None
        return items
    try:
        meta = fetch_arxiv(source.value, timeout) if source.kind == "arxiv" else fetch_crossref(source.value, timeout)
    except FetchError as exc:
        err(f"{source.label}: {exc}; nothing written")
        return None
    return [BibItem(source.value, 1, meta=meta)]


def _introduced_here(kb: KnowledgeBase, root: Path, paper_id: str) -> Callable[[list[str]], str | None]:
    """A check of typed `introduces` ids: each record must say it was introduced in this paper (the
    validator's rule), checked as the answer is typed rather than after every question."""

    def check(ids: list[str]) -> str | None:
        for record_id in ids:
            kind = kb.kind_of(record_id)
            record = kb.get(record_id) or {}
            where = f"taxonomy/{kind}s/{record_id}.yaml"
            introduced_in = record.get("introduced_in")
            if introduced_in is None:
                return (f"'{record_id}' does not say where it was introduced: add `introduced_in: {paper_id}` to "
                        f"{where} first, or leave it out here")
            if introduced_in != paper_id:
                return f"'{record_id}' was introduced in '{introduced_in}' ({where}), not in this paper"
        return None

    return check


def _answers_as_flags(source: str, answers: Classification, err: Callable[[str], None]) -> None:
    """Print what was answered so far as a command line, so that no answer is lost."""
    flags = answers.flags()
    if flags:
        err("your answers so far, to run again without the questions:\n  scripts/add_paper.py "
            + " ".join(shlex.quote(part) for part in [source, *flags]))


def missing_message(missing: list[str]) -> str:
    lines = ["the classification is incomplete and no terminal is attached to ask for it; pass:"]
    for name in missing:
        lines.append(f"  --{name.replace('_', '-'):<14} {FLAG_HELP[name]}")
    lines.append("optional: --evaluates, --introduces, --uses, --method, --threat-model, --code, --summary; "
                 "choices are the ids in taxonomy/ (names and aliases work too)")
    return "\n".join(lines)


def _existing_file(root: Path, record: dict | None, paper_id: str) -> Path | None:
    """The file that holds a known paper."""
    if record is not None:
        guess = record_path(root, record)
        if guess.exists():
            return guess
    return next((path for _kind, path in record_files(root) if path.stem == paper_id), None)


def _existing_path(root: Path, record: dict | None, paper_id: str) -> str:
    found = _existing_file(root, record, paper_id)
    return display_path(found) if found else f"papers/.../{paper_id}.yaml"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
