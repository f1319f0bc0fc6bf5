"""Command lines that bring result sets in: `scripts/import_results.py` (the vendored LVLM survey
evaluation) and `scripts/add_results.py` (a contributor's results table, format in CONTRIBUTING.md).

Both build the records, check them with the validator over the whole knowledge base, print every
problem as `path:line:col: message`, and write nothing when there is an error (warnings are printed
and the records written). Exit codes: 0 done; 1 the records or the table have problems (nothing
written); 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from safetykb.core.layout import repo_root
from safetykb.core.problems import format_report
from safetykb.core.validation import load_and_validate
from safetykb.importer import lvlm_survey
from safetykb.importer.results import (
    Spec,
    TableError,
    annotate_aggregates,
    build,
    problems_in,
    read_table,
    record_path,
    render,
    system_names,
    write,
)
from safetykb.importer.sources import load_sources, vendored_folder, vendored_mismatches


def _report(errors: list, warnings: list) -> None:
    if errors or warnings:
        print(format_report([*errors, *warnings]))


def import_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="import_results.py",
        description="Write the LVLM safety survey's evaluation (sources/lvlm-survey-evaluation/) as result records "
                    "(idempotent: unchanged records are not rewritten).")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a record differs from what the CSV files give")
    args = parser.parse_args(argv)
    root = (args.root or repo_root()).resolve()
    try:
        source = load_sources(root)[lvlm_survey.SOURCE_NAME]
    except (OSError, KeyError) as exc:
        print(f"import_results.py: no '{lvlm_survey.SOURCE_NAME}' source in {root / 'sources.yaml'} ({exc})",
              file=sys.stderr)
        return 2
    wrong = vendored_mismatches(root)
    if wrong:
        print("import_results.py: " + "; ".join(wrong) + ": a corrected transcription needs its new sha256 in "
              "sources.yaml", file=sys.stderr)
        return 1
    kb = load_and_validate(root).kb
    systems = system_names(kb)
    folder = vendored_folder(source, root)
    texts: dict[Path, str] = {}
    disagreements: list[str] = []
    try:
        for table in lvlm_survey.TABLES:
            cells, facts = lvlm_survey.read(table, folder)
            where = f"{source.vendored}/{table.file}"
            disagreements += lvlm_survey.system_facts(facts, systems, kb.of("system"), where)
            for record in build(cells, lvlm_survey.spec(table, source), systems, where):
                annotate_aggregates(record)
                texts[record_path(root, record["id"])] = render(record)
    except TableError as exc:
        print(f"import_results.py: {exc}", file=sys.stderr)
        return 1
    if disagreements:
        print("\n".join(f"error: {d}" for d in disagreements), file=sys.stderr)
        print("import_results.py: nothing written: the system records and the source disagree", file=sys.stderr)
        return 1
    errors, warnings = problems_in(root, texts)
    _report(errors, warnings)
    if errors:
        print("import_results.py: nothing written", file=sys.stderr)
        return 1
    stale = [p for p, t in texts.items() if not p.is_file() or p.read_text(encoding="utf-8") != t]
    if args.check:
        for path in stale:
            print(f"differs: {path.relative_to(root)}")
        print(f"{len(texts) - len(stale)} of {len(texts)} result records up to date")
        return 1 if stale else 0
    written = write(texts)
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    print(f"{len(written)} written, {len(texts) - len(written)} unchanged")
    return 0


def _range(text: str) -> dict[str, Any]:
    low, sep, high = text.partition(":")
    figures = [low.strip(), high.strip()]
    if not sep or not all(f.replace(".", "", 1).lstrip("-").isdigit() for f in figures):
        raise argparse.ArgumentTypeError(f"'{text}' is not MIN:MAX (for example 0:100)")
    from safetykb.core.recordfile import Figure

    return {"min": Figure(figures[0]), "max": Figure(figures[1])}


def add_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="add_results.py",
        description="Add a paper's result table: read a results CSV (columns system,value[,setting][,category]"
                    "[,note]; see CONTRIBUTING.md), check the records it makes and write results/<id>.yaml.",
        epilog="example: add_results.py table.csv --source ye2025survey --benchmark siuo --metric ASR --unit % "
               "--better lower --range 0:100 --setting OpenQA")
    parser.add_argument("table", help="the CSV file, or - for standard input")
    parser.add_argument("--source", required=True, help="id of the paper that reports the figures")
    parser.add_argument("--benchmark", required=True, help="benchmark (or dataset) id")
    parser.add_argument("--metric", required=True, help="metric name as the paper writes it (ASR)")
    parser.add_argument("--better", required=True, choices=("lower", "higher"), help="which direction is safer")
    parser.add_argument("--unit", help="unit (%%, points); leave out for a plain number")
    parser.add_argument("--range", type=_range, metavar="MIN:MAX", help="values the metric can take (0:100)")
    parser.add_argument("--metric-description", help="what the metric measures (attack success rate)")
    parser.add_argument("--setting", help="the setting of every row, when the table has no setting column")
    parser.add_argument("--category-label", help="what the paper calls a category (scenario)")
    parser.add_argument("--aggregate", choices=("mean", "sum"),
                        help="how each system's headline figure relates to its category figures in the paper")
    parser.add_argument("--aggregate-label", help="the paper's name for its aggregate row (Average)")
    parser.add_argument("--source-note", help="where exactly the figures come from (Table 3, page 7)")
    parser.add_argument("--source-url", help="link to the table or figure")
    parser.add_argument("--license", help="licence of the source the figures were taken from")
    parser.add_argument("--notes", help="caveats about the whole set, in your own words")
    parser.add_argument("--dry-run", action="store_true", help="print the records, write nothing")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    return parser


def add_main(argv: list[str] | None = None) -> int:
    args = add_parser().parse_args(argv)
    root = (args.root or repo_root()).resolve()
    try:
        text = sys.stdin.read() if args.table == "-" else Path(args.table).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"add_results.py: cannot read {args.table}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    where = "<stdin>" if args.table == "-" else args.table
    metric = {"name": args.metric, "description": args.metric_description, "unit": args.unit,
              "better": args.better, "range": args.range}
    spec = Spec(source=args.source, benchmark=args.benchmark, metric={k: v for k, v in metric.items() if v},
                setting=args.setting, category_label=args.category_label, aggregate=args.aggregate,
                aggregate_label=args.aggregate_label, source_note=args.source_note, source_url=args.source_url,
                license=args.license, notes=args.notes)
    kb = load_and_validate(root).kb
    try:
        records = build(read_table(text, where), spec, system_names(kb), where)
    except TableError as exc:
        print(f"add_results.py: {exc}", file=sys.stderr)
        return 1
    texts = {record_path(root, r["id"]): render(r) for r in records}
    taken = [p for p in texts if p.exists()]
    if taken:
        for path in taken:
            print(f"add_results.py: {path.relative_to(root)} already exists: edit it, or remove it first",
                  file=sys.stderr)
        return 1
    errors, warnings = problems_in(root, texts)
    _report(errors, warnings)
    if errors:
        print("add_results.py: nothing written: fix the table or the options above", file=sys.stderr)
        return 1
    if args.dry_run:
        for path, body in texts.items():
            print(f"# {path.relative_to(root)}\n{body}")
        return 0
    for path in write(texts):
        print(f"added {path.relative_to(root)}")
    return 0
