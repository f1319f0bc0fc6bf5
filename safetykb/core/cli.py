"""`scripts/validate.py`: check records and print every problem as path:line:col: message."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from safetykb.core import snapshot
from safetykb.core.layout import repo_root
from safetykb.core.problems import format_report
from safetykb.core.validation import Result, load_and_validate


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
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the validated snapshot in <root>/.cache/ "
                             "(also SAFETYKB_NO_CACHE=1)")
    args = parser.parse_args(argv)
    root = (args.root or repo_root()).resolve()
    if not (root / "papers").is_dir() and not (root / "taxonomy").is_dir():
        print(f"validate.py: {root} holds no papers/ or taxonomy/ folder: is --root right?", file=sys.stderr)
        return 2
    for path in args.paths:
        if not path.exists():
            print(f"validate.py: {path}: no such file or folder", file=sys.stderr)
            return 2
    use_cache = not args.no_cache and os.environ.get("SAFETYKB_NO_CACHE", "") in ("", "0")
    result = _validate(root, args.paths, use_cache)
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


def _validate(root: Path, paths: list[Path], use_cache: bool) -> Result:
    """Every file checked, or with PATHS and a validated snapshot (`core.snapshot`), PATHS checked against
    the others' known records (the same problems for PATHS, without reading the rest again). A full run
    that finds no error leaves the snapshot for the next run."""
    if not use_cache:
        return load_and_validate(root, paths or None)
    if not paths:  # everything is read anyway: the snapshot is made from what was read
        started = time.time_ns()
        result = load_and_validate(root)
        if not result.problems:
            listing = snapshot.listing_of(root, result, started)
            snap = snapshot.Snapshot.read(root)
            if snap is None or snap.key != listing.key():
                snapshot.write(root, result, listing)
        return result
    snap = snapshot.Snapshot.read(root)
    listing = snapshot.scan(root, snap)
    return load_and_validate(root, paths, known=snap.known(listing) if snap is not None else None,
                             scanned=(listing.files, listing.outside))
