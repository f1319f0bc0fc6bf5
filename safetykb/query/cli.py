"""`scripts/query.py`: answer a question about the knowledge base, in plain words or flags.

Exit status: 0 with an answer (an empty answer says what is nearest), 1 when
the records have problems (the validator's messages are printed), 2 when the
question cannot be read (with examples and "did you mean"), 3 on an internal
error (one line; SAFETYKB_DEBUG=1 shows the traceback). Heavy modules load
lazily: the cached path imports neither jsonschema nor bibtexparser (unless
--format bib) nor mkdocs.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import shutil
import sys
from pathlib import Path

from safetykb.core.layout import repo_root

_PROG = "query.py"
#: Longer questions are refused before they are read: reading is quadratic in unknown words (a 324 kB
#: question took 92 s), and no real question is longer than a few lines.
MAX_QUESTION = 500


def _parser() -> argparse.ArgumentParser:
    from safetykb.query.question import EXAMPLES, KINDS

    examples = "\n".join(f'  {_PROG} "{e}"' for e in EXAMPLES)
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Answer a question about the knowledge base, in plain words or with flags.",
        epilog=f"examples:\n{examples}\n  {_PROG} --kind defenses --attack backdoor --model vlm --format md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("question", nargs="*", help="the question in plain words")
    parser.add_argument(
        "--format",
        "-f",
        choices=("table", "md", "json", "bib", "ids"),
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument("--kind", choices=(*KINDS, "resources"), help="what is asked for")
    parser.add_argument("--attack", action="append", default=[], help="attack type (id, name or alias)")
    parser.add_argument("--defense", action="append", default=[], help="defense type (id, name or alias)")
    parser.add_argument("--model", action="append", default=[], help="model family (id, name or alias)")
    parser.add_argument("--author", help="author name, or part of it (family name)")
    parser.add_argument("--venue", help="venue short name (CVPR, NeurIPS, arXiv, ...)")
    parser.add_argument("--since", type=int, metavar="YEAR", help="papers from this year on")
    parser.add_argument("--until", type=int, metavar="YEAR", help="papers up to this year")
    parser.add_argument("--related", metavar="PAPER", help="papers related to this paper id")
    parser.add_argument("--system", action="append", default=[],
                        help="evaluated system (id, name or alias): its results")
    parser.add_argument("--benchmark", action="append", default=[], help="benchmark or dataset (id, name or alias)")
    parser.add_argument("--setting", action="append", default=[], help="setting of a result set (TYPO, OpenQA)")
    parser.add_argument("--root", type=Path, default=None, help="knowledge base root (default: this checkout)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the graph cache")
    return parser


def _unreadable(message: str, suggestions: list[str]) -> int:
    from safetykb.core.chars import printable
    from safetykb.query.question import EXAMPLES

    lines = [f"{_PROG}: cannot read the question: {message}", *suggestions, "questions it can read:"]
    lines += [f'  {_PROG} "{e}"' for e in EXAMPLES]
    print(printable("\n".join(lines)), file=sys.stderr)  # the message may quote what was typed
    return 2


def _apply_flags(args: argparse.Namespace, query, graph) -> None:
    """Flags add to (or override) what the question says; unknown values raise Unreadable."""
    from safetykb.query.question import Unreadable, find_term, suggest_term, vocabulary, words

    for flag, kinds, target in (
        ("attack", ("attack",), query.attacks),
        ("model", ("model",), query.models),
        ("defense", ("defense",), query.defenses),
    ):
        for value in getattr(args, flag):
            node = find_term(value, graph, kinds)
            if node is None:
                near = suggest_term(value, graph, kinds)
                raise Unreadable(
                    f"--{flag} '{value}' names no {kinds[0]} type or family",
                    [f"did you mean '{near}'?"] if near else [],
                )
            if node not in target:
                target.append(node)
    if args.author:
        query.author = args.author
    if args.venue:
        venues = vocabulary(graph).venues
        key = " ".join(words(args.venue))
        if key not in venues:
            near = difflib.get_close_matches(key, list(venues), n=1, cutoff=0.6)
            raise Unreadable(
                f"--venue '{args.venue}' is no venue of any paper",
                [f"did you mean '{venues[near[0]]}'?"] if near else [],
            )
        query.venue = venues[key]
    if args.since is not None:
        query.since = args.since
    if args.until is not None:
        query.until = args.until
    if args.related:
        from safetykb.core.queries import paper_id

        current = paper_id(graph, args.related)  # a renamed paper answers to its former ids too
        if current is None:
            papers = [n for n, k in graph.nodes(data="kind") if k == "paper"]
            near = difflib.get_close_matches(args.related, papers, n=1, cutoff=0.6)
            raise Unreadable(
                f"--related '{args.related}' is no paper id", [f"did you mean '{near[0]}'?"] if near else []
            )
        query.related = current
    _apply_result_flags(args, query, graph)
    if args.kind:
        query.kind = args.kind
    elif not query.kind:
        query.kind = "related" if query.related else "defenses" if query.defenses else "papers"


def _apply_result_flags(args: argparse.Namespace, query, graph) -> None:
    """--system, --benchmark, --setting: a results question (kind `results` with a system, else `leaderboard`)."""
    from safetykb.core.queries import resolve, result_sets, setting_matches
    from safetykb.query.question import Unreadable, suggest_term

    for value in args.system:
        node = resolve(graph, value, ["system"])
        if node is None:
            systems = [n for n, k in graph.nodes(data="kind") if k == "system"]
            near = difflib.get_close_matches(value.lower(), systems, n=1, cutoff=0.5)
            raise Unreadable(f"--system '{value}' names no evaluated system",
                             [f"did you mean '{near[0]}'?"] if near else [])
        if node not in query.systems:
            query.systems.append(node)
    for value in args.benchmark:
        node = resolve(graph, value, ["benchmark", "dataset"])
        if node is None:
            near = suggest_term(value, graph, ("benchmark", "dataset"))
            raise Unreadable(f"--benchmark '{value}' names no benchmark or dataset",
                             [f"did you mean '{near}'?"] if near else [])
        if node not in query.resources:
            query.resources.append(node)
    for value in args.setting:
        labels = [str(graph.nodes[r]["setting"]) for r in result_sets(graph) if setting_matches(graph, r, value)]
        if not labels:
            known = sorted({str(graph.nodes[r]["setting"]) for r in result_sets(graph)})
            raise Unreadable(f"--setting '{value}' is no setting of any result set", [f"settings: {', '.join(known)}"])
        query.settings.extend(label for label in dict.fromkeys(labels) if label not in query.settings)
    flagged = args.system or args.benchmark or args.setting
    if flagged and not args.kind and query.kind not in ("results", "leaderboard"):
        query.kind = "results" if query.systems else "leaderboard"


def _flags_text(args: argparse.Namespace) -> str:
    parts = []
    for name in ("kind", "attack", "defense", "model", "author", "venue", "since", "until", "related", "system",
                 "benchmark", "setting"):
        value = getattr(args, name)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                parts.append(f"--{name} {item}")
    return " ".join(parts)


def _width() -> int:
    columns = shutil.get_terminal_size((100, 24)).columns
    return max(60, min(columns, 100))


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    question = " ".join(args.question).strip()
    flags = _flags_text(args)
    if not question and not flags:
        return _unreadable("no question given", [])
    too_long = [text for text in (question, *(v for v in vars(args).values() if isinstance(v, str)),
                                  *(v for vs in (args.attack, args.defense, args.model) for v in vs))
                if len(text) > MAX_QUESTION]
    if too_long:
        return _unreadable(f"{len(too_long[0]):,} characters is too long: ask in at most {MAX_QUESTION} "
                           "(flags such as --attack, --model and --since narrow a question down)", [])
    root = (args.root or repo_root()).resolve()
    if not (root / "papers").is_dir() and not (root / "taxonomy").is_dir():
        print(f"{_PROG}: {root} holds no papers/ or taxonomy/ folder: is --root right?", file=sys.stderr)
        return 2

    from safetykb.query.cache import load_graph

    use_cache = not args.no_cache and os.environ.get("SAFETYKB_NO_CACHE", "") in ("", "0")
    graph, problems = load_graph(root, use_cache)
    if graph is None:
        from safetykb.core.problems import format_report

        print(format_report(problems), file=sys.stderr)
        print(f"{_PROG}: no answer: fix the records first (scripts/validate.py)", file=sys.stderr)
        return 1

    from safetykb.query.ask import answer
    from safetykb.query.formats import render
    from safetykb.query.question import Query, Unreadable, parse

    try:
        query = parse(question, graph) if question else Query()
        _apply_flags(args, query, graph)
        reply = answer(graph, query, question or flags)
    except Unreadable as exc:
        return _unreadable(exc.message, exc.suggestions)
    from safetykb.core.chars import printable

    out, err = render(graph, reply, args.format, _width())
    if err:  # what was typed is echoed ("understood as ..."): nothing in it may drive the terminal
        sys.stderr.write(printable(err))
        sys.stderr.flush()
    sys.stdout.write(printable(out))
    sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run, turning every failure into a message and an exit status (never a traceback)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
    try:
        return run(argv)
    except BrokenPipeError:  # `query.py ... | head`
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is a message, not a traceback
        if os.environ.get("SAFETYKB_DEBUG"):
            raise
        from safetykb.core.chars import printable

        print(
            printable(f"{_PROG}: internal error: {type(exc).__name__}: {exc} (SAFETYKB_DEBUG=1 shows the traceback)"),
            file=sys.stderr,
        )
        return 3
