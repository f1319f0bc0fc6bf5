"""`scripts/export.py FORMAT OUT`: write the knowledge base as JSON, GraphML, BibTeX, CSV (papers or results)
or an Awesome-list README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safetykb.core.fileio import write_atomic
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
    kb = load_kb_or_report((args.root or repo_root()).resolve(), "export.py")
    if kb is None:
        return 1
    text = EXPORTERS[args.format](build_graph(kb))
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.is_dir():
        print(f"export.py: {out} is a folder: give a file name", file=sys.stderr)
        return 2
    try:
        write_atomic(out, text)
    except OSError as exc:
        print(f"export.py: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    what = f"{len(kb.of('result'))} result sets" if args.format == "results-csv" else f"{len(kb.papers)} papers"
    print(f"wrote {out} ({args.format}, {what})")
    return 0
