"""Command lines of the importer: ``scripts/import_awesome.py``, ``scripts/report.py coverage`` (and
``metadata``, the coverage of links, DOIs, summaries and author lists of ``safetykb.refresh.coverage``) and
``scripts/fetch_sources.py``.

Exit codes: 0 done; 1 the input has problems (unparsed entries, unclassified
papers, invalid records: nothing written); 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from safetykb.importer.pipeline import InputError, run_import
from safetykb.importer.report import coverage, render_text
from safetykb.importer.sources import InvalidSources, SourcesMissing, fetch_all, find_data

REPO_ROOT = Path(__file__).resolve().parents[2]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: this tree)")
    parser.add_argument(
        "--data", type=Path, default=None,
        help="folder of the two seed lists (default: $SAFETYKB_SOURCES, else the cache `make sources` fills)"
    )
    parser.add_argument("--json", action="store_true", help="print the coverage report as JSON")
    parser.add_argument("--verbose", "-v", action="store_true", help="list all warnings and unclassified")
    parser.add_argument(
        "--allow-unclassified",
        action="store_true",
        help="development: write the classified papers, skip unclassified ones, exit 0",
    )


def _run(args: argparse.Namespace, *, dry_run: bool, report: bool) -> int:
    root = args.root.resolve()
    if not root.is_dir():
        print(f"error: repository root {root} not found (pass --root)", file=sys.stderr)
        return 2
    try:
        data = find_data(args.data, REPO_ROOT)
    except SourcesMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        res = run_import(data, root, dry_run=dry_run, allow_unclassified=args.allow_unclassified)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    data_out = coverage(res)
    if args.json:
        print(json.dumps(data_out, indent=2, ensure_ascii=False))
    elif report:
        print(render_text(data_out, verbose=args.verbose), end="")
    else:
        for p in res.problems:
            print(p.format(), file=sys.stderr)
        for e in sorted(res.errors):
            print(f"error: {e}", file=sys.stderr)
        print(render_text(data_out, verbose=args.verbose), end="")
    return 1 if res.fatal else 0


def import_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="import_awesome.py",
        description="Import the two seed Awesome lists into papers/<year>/<id>.yaml records.",
    )
    _common(parser)
    parser.add_argument("--dry-run", action="store_true", help="parse, merge and classify; write nothing")
    parser.add_argument("--report", action="store_true", help="print only the coverage report")
    args = parser.parse_args(argv)
    return _run(args, dry_run=args.dry_run or args.report, report=args.report)


def report_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report.py", description="Reports on the knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    cov = sub.add_parser("coverage", help="coverage of the seed lists (a dry-run import)")
    _common(cov)
    meta = sub.add_parser("metadata", help="per source list: papers with an arXiv id, a DOI, any link, a summary, "
                                           "complete authors")
    meta.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: this tree)")
    meta.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.command == "metadata":
        return _metadata(args)
    return _run(args, dry_run=True, report=True)


def _metadata(args: argparse.Namespace) -> int:
    from safetykb.core.validation import load_kb_or_report
    from safetykb.refresh.coverage import coverage as metadata_coverage
    from safetykb.refresh.coverage import render_text as metadata_text

    kb = load_kb_or_report(args.root.resolve(), "report.py")
    if kb is None:
        return 1
    data = metadata_coverage(kb)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(metadata_text(data), end="")
    return 0


def fetch_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fetch_sources.py",
        description="Download the seed lists at the commits pinned in sources.yaml into .cache/sources/, "
                    "checking each file's sha256.",
    )
    parser.parse_args(argv)
    try:
        written = fetch_all(REPO_ROOT)
    except InvalidSources as exc:
        print(f"fetch_sources.py: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"fetch_sources.py: {exc} (offline? set SAFETYKB_SOURCES to a folder holding the lists)",
              file=sys.stderr)
        return 1
    print(f"sources: {len(written)} file(s) downloaded, all pinned files present and checked")
    return 0
