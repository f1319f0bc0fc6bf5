"""`scripts/refresh.py`: bring paper records up to date with what arXiv, Crossref and OpenAlex say.

Which records: the papers with neither an arXiv id nor a DOI (default), every paper (`--all`), the
ids given (former ids work too), or the records named in recorded-answer files (`--from FILE`,
repeatable: then no service is asked). `--casing-only` asks no one and only re-cases titles by the
casing table. The review table goes to standard output (and `--review FILE`); `--dry-run` writes
nothing. Exit status: 0 done; 1 the records have problems, before or with the changes (nothing
written); 2 a command-line mistake or an unusable answers file; 3 a service cannot be reached
(offline: one line, nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from safetykb.core.layout import repo_root
from safetykb.core.problems import format_report
from safetykb.core.records import former_index
from safetykb.core.validation import load_and_validate
from safetykb.metadata.fetch import DEFAULT_TIMEOUT, Unreachable
from safetykb.metadata.search import DELAYS, SERVICES, Searcher
from safetykb.refresh import apply, review
from safetykb.refresh.answers import Answer, AnswersError, Lookup, look_up, read_answers
from safetykb.refresh.plan import Outcome, plan_record

PROG = "refresh.py"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Fill links, titles, authors, dates and venues of paper records from arXiv, "
                               "Crossref and OpenAlex (or recorded answers), with a review table.")
    parser.add_argument("ids", nargs="*", metavar="ID", help="paper ids to refresh (default: papers without "
                                                             "an arXiv id or DOI)")
    parser.add_argument("--all", action="store_true", help="refresh every paper")
    parser.add_argument("--from", dest="answers", action="append", type=Path, default=[], metavar="FILE",
                        help="recorded answers (YAML, see docs/evidence/README.md) instead of asking the services")
    parser.add_argument("--casing-only", action="store_true", help="ask no one: only re-case titles by the "
                                                                   "casing table (safetykb/metadata/casing.yaml)")
    parser.add_argument("--dry-run", action="store_true", help="print the review table, write nothing")
    parser.add_argument("--force", action="store_true", help="also overwrite fields of status: reviewed records")
    parser.add_argument("--review", type=Path, metavar="FILE", help="also write the review (Markdown) to FILE")
    parser.add_argument("--services", default=",".join(SERVICES),
                        help=f"services to ask, comma-separated (default {','.join(SERVICES)})")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="look up at most N records")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for an answer")
    parser.add_argument("--delay", type=float, default=None, metavar="SECONDS",
                        help="pause between two requests to one service (default: arXiv "
                             f"{DELAYS['arxiv']:g} s, others {DELAYS['crossref']:g} s)")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    return parser


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None, *, searcher: Searcher | None = None) -> int:
    args = build_parser().parse_args(argv)

    def err(message: str) -> None:
        print(f"{PROG}: {message}", file=sys.stderr)

    root = (args.root or repo_root()).resolve()
    if not (root / "papers").is_dir():
        err(f"{root} holds no papers/ folder: is --root right?")
        return 2
    services = tuple(s.strip() for s in args.services.split(",") if s.strip())
    bad = [s for s in services if s not in SERVICES]
    if bad or not services:
        err(f"--services takes {', '.join(SERVICES)}, not {', '.join(bad) or 'nothing'}")
        return 2
    if args.timeout <= 0 or (args.delay is not None and args.delay < 0) or (args.limit is not None and args.limit < 1):
        err("--timeout must be positive, --delay not negative and --limit at least 1")
        return 2
    if args.casing_only and args.answers:
        err("--casing-only asks no one: leave out --from")
        return 2

    result = load_and_validate(root)
    if result.problems:
        print(format_report(result.problems), file=sys.stderr)
        err("nothing written: fix the records first (scripts/validate.py)")
        return 1
    papers = result.kb.papers
    try:
        recorded = [answer for path in args.answers for answer in read_answers(path)]
        chosen = select(args, papers, recorded)
    except AnswersError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        err("nothing done: fix the recorded answers")
        return 2
    except UsageError as exc:
        err(str(exc))
        return 2

    if args.answers:
        lookups = {rid: Lookup(rid) for rid in chosen}
        for answer in recorded:
            rid = result.kb.current_id(answer.record) or answer.record
            if rid in lookups:
                lookups[rid].answers.append(answer)
    elif args.casing_only:
        lookups = {rid: Lookup(rid) for rid in chosen}
    else:
        searcher = searcher or Searcher(timeout=args.timeout)
        if args.delay is not None:
            searcher.delays = dict.fromkeys(SERVICES, args.delay)
        lookups = {}
        try:
            for rid in chosen:
                lookups[rid] = look_up(searcher, papers[rid], services)
        except Unreachable as exc:
            why = f" ({exc.reason})" if exc.reason else ""
            print(f"{PROG}: cannot reach {exc.host}{why}: offline? use --from FILE", file=sys.stderr)
            return 3

    taken: set[str] = {record["id"] for _kind, record in result.kb}
    taken |= set(former_index(papers.items()))
    outcomes: list[Outcome] = []
    for rid in chosen:
        outcome = plan_record(papers[rid], lookups[rid], taken=taken, force=args.force,
                              casing_only=args.casing_only)
        taken.add(outcome.new_id)
        outcomes.append(outcome)

    try:
        writes, references = apply.prepare(root, outcomes)
    except apply.ApplyError as exc:
        err(f"nothing written: {exc}")
        return 1
    mode = "casing table" if args.casing_only else "recorded answers" if args.answers else ", ".join(services)
    text = review.render(outcomes, references, dry_run=args.dry_run, mode=mode, looked_up=not args.casing_only)
    problems, _warnings = apply.check(root, writes)
    sys.stdout.write(text)
    if args.review:
        args.review.write_text(text, encoding="utf-8")
    if problems:
        print(format_report(problems), file=sys.stderr)
        err("nothing written: the records would not validate with these changes")
        return 1
    if args.dry_run:
        return 0
    try:
        apply.write(writes)
    except OSError as exc:
        err(f"nothing written: {exc.strerror or exc} ({getattr(exc, 'filename', '') or ''}); every file is as before")
        return 1
    renamed = sum(1 for o in outcomes if o.new_record is not None and o.new_id != o.record)
    print(f"wrote {len(writes)} file{'s' if len(writes) != 1 else ''}"
          + (f" ({renamed} record{'s' if renamed != 1 else ''} renamed)" if renamed else ""))
    return 0


def select(args: argparse.Namespace, papers: dict[str, dict[str, Any]], recorded: list[Answer]) -> list[str]:
    """The ids of the records to refresh, in a stable order; a former id names its paper."""
    former = former_index(papers.items())

    def current(rid: str, what: str) -> str:
        if rid in papers:
            return rid
        if rid in former:
            return former[rid]
        raise UsageError(f"{what} '{rid}' is no paper id")

    wanted = [current(rid, "ID") for rid in args.ids]
    if recorded:
        named = list(dict.fromkeys(current(a.record, f"{a.where}: record") for a in recorded))
        chosen = [rid for rid in named if not wanted or rid in wanted]
    elif wanted:
        chosen = list(dict.fromkeys(wanted))
    elif args.all or args.casing_only:
        chosen = sorted(papers)
    else:
        chosen = sorted(rid for rid, p in papers.items()
                        if not (p.get("links") or {}).get("arxiv") and not (p.get("links") or {}).get("doi"))
    return chosen[: args.limit] if args.limit else chosen
