"""`scripts/validate.py`: check records and print every problem as path:line:col: message."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safetykb.core.layout import repo_root
from safetykb.core.problems import format_report
from safetykb.core.validation import load_and_validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="validate.py",
        description="Check the knowledge base records. Exit 0 when clean, 1 with every problem listed.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="report only problems in these files or folders (all records are still read)",
    )
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the count line")
    parser.add_argument("--strict", action="store_true", help="warnings count as errors (exit 1)")
    args = parser.parse_args(argv)
    root = (args.root or repo_root()).resolve()
    if not (root / "papers").is_dir() and not (root / "taxonomy").is_dir():
        print(f"validate.py: {root} holds no papers/ or taxonomy/ folder: is --root right?", file=sys.stderr)
        return 2
    for path in args.paths:
        if not path.exists():
            print(f"validate.py: {path}: no such file or folder", file=sys.stderr)
            return 2
    result = load_and_validate(root, args.paths or None)
    failed = not result.ok or (args.strict and result.warnings)
    if not failed:
        if result.warnings and not args.quiet:
            print(format_report(result.warnings))
        counts = result.kb.counts()
        summary = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items())
        print(f"ok: {sum(counts.values())} records ({summary})")
        return 0
    report = format_report([*result.problems, *result.warnings])
    if args.quiet:
        report = report.splitlines()[-1]
    print(report)
    return 1
