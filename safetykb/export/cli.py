"""`scripts/export.py FORMAT OUT`: write the knowledge base as JSON, GraphML, BibTeX, CSV (papers or results)
or an Awesome-list README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safetykb.core.fileio import check_target, write_atomic
from safetykb.core.graph import build_graph
from safetykb.core.layout import repo_root
from safetykb.core.validation import load_kb_or_report
from safetykb.export.formats import EXPORTERS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="export.py", description="Export the whole knowledge base.")
    parser.add_argument("format", choices=sorted(EXPORTERS), help="output format")
    parser.add_argument("out", help="output file, or - for standard output")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    args = parser.parse_args(argv)
    if args.out != "-":
        try:
            check_target(Path(args.out))
        except OSError as exc:
            hint = " (write - for standard output)" if args.out.startswith("/dev/") else ""
            print(f"export.py: cannot write {args.out}: {exc.strerror or exc}{hint}", file=sys.stderr)
            return 2
    kb = load_kb_or_report((args.root or repo_root()).resolve(), "export.py")
    if kb is None:
        return 1
    text = EXPORTERS[args.format](build_graph(kb))
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    try:
        write_atomic(out, text)
    except OSError as exc:
        print(f"export.py: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    what = f"{len(kb.of('result'))} result sets" if args.format == "results-csv" else f"{len(kb.papers)} papers"
    print(f"wrote {out} ({args.format}, {what})")
    return 0
