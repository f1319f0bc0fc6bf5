"""Reading questions about results ("which model is safest on SIUO", "results for Janus-Pro", "results on
MM-SafetyBench typography") into a `Query` of kind `leaderboard` (a benchmark's result sets, best first)
or `results` (what the result sets report for a system).

Its own vocabulary (`results_vocabulary`, built once per graph): evaluated systems by id, name and alias;
the benchmarks and datasets that have result sets; and the settings of those result sets by label and
alias (TYPO, typography), each tied to its benchmark. `read(tokens, graph)` returns None when the
question is not about results, so the general reader (`question.parse`) takes it: a result word
(results, scores, safest, leaderboard, ...) must come with a system, a benchmark with results or a
setting; or the question names a system that is no taxonomy term and asks for no other kind of thing.
"GPT-4o" alone stays a question about the vlm family (it is one of its aliases); "results for GPT-4o"
is about the system.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from safetykb.core.queries import Graph, result_sets
from safetykb.core.results import setting_words

#: Words that ask for figures (singular forms, as `question.singular` gives them).
RESULT_WORDS = frozenset({
    "result", "score", "scored", "scoring", "leaderboard", "ranking", "rank", "ranked", "safest", "safer", "safe",
    "best", "worst", "least", "top", "asr", "performance", "perform", "performed", "compare", "compared",
    "comparison", "robust", "robustest", "vulnerable",
})
#: Words that ask for the best system, not only for the figures.
BEST_WORDS = frozenset({"safest", "safer", "best", "top", "least", "robustest", "leaderboard", "ranking", "rank",
                        "ranked"})


@dataclass
class ResultsVocabulary:
    """Phrases (words joined by spaces) of systems, benchmarks with results and their settings."""

    systems: dict[str, str] = field(default_factory=dict)
    benchmarks: dict[str, str] = field(default_factory=dict)
    settings: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # phrase -> [(benchmark, label)]
    longest: int = 1

    def add(self, table: dict, phrase: str, value: object, many: bool = False) -> None:
        from safetykb.query.question import words

        key = " ".join(words(phrase))
        if not key:
            return
        if many:
            entries = table.setdefault(key, [])
            if value not in entries:
                entries.append(value)
        else:
            table.setdefault(key, value)
        self.longest = max(self.longest, len(key.split()))


def results_vocabulary(graph: Graph) -> ResultsVocabulary:
    """The vocabulary of result questions for a graph (stored on the graph)."""
    cached = graph.graph.get("_results_vocab")
    if isinstance(cached, ResultsVocabulary):
        return cached
    vocab = ResultsVocabulary()
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "system":
            for phrase in (node, data.get("name"), *(data.get("aliases") or [])):
                if isinstance(phrase, str):
                    vocab.add(vocab.systems, phrase, node)
    for result in result_sets(graph):
        data = graph.nodes[result]
        bench = data.get("benchmark")
        if bench not in graph:
            continue
        bench_data = graph.nodes[bench]
        for phrase in (bench, bench_data.get("name"), *(bench_data.get("aliases") or [])):
            if isinstance(phrase, str):
                vocab.add(vocab.benchmarks, phrase, bench)
        for phrase in setting_words(data):
            vocab.add(vocab.settings, phrase, (bench, str(data["setting"])), many=True)
    graph.graph["_results_vocab"] = vocab
    return vocab


@dataclass
class Reading:
    """What a results question names, and the words it did not recognise."""

    systems: list[str] = field(default_factory=list)
    benchmarks: list[str] = field(default_factory=list)
    settings: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (phrase, candidates)
    spans: list[str] = field(default_factory=list)  # system phrases as typed
    rest: list[str] = field(default_factory=list)


def _scan(tokens: list[str], vocab: ResultsVocabulary) -> Reading:
    """Known phrases, longest first; systems before benchmarks before settings."""
    reading = Reading()
    i = 0
    while i < len(tokens):
        for length in range(min(vocab.longest, len(tokens) - i), 0, -1):
            key = " ".join(tokens[i:i + length])
            if key in vocab.systems:
                if vocab.systems[key] not in reading.systems:
                    reading.systems.append(vocab.systems[key])
                reading.spans.append(key)
            elif key in vocab.benchmarks:
                if vocab.benchmarks[key] not in reading.benchmarks:
                    reading.benchmarks.append(vocab.benchmarks[key])
            elif key in vocab.settings:
                reading.settings.append((key, vocab.settings[key]))
            else:
                continue
            i += length
            break
        else:
            reading.rest.append(tokens[i])
            i += 1
    return reading


def read(tokens: list[str], graph: Graph):  # -> Query | None
    """The query of a question about results, or None when the question is about something else."""
    from safetykb.query.question import _KIND_WORDS, FILLER, Query, singular, vocabulary

    vocab = results_vocabulary(graph)
    if not tokens or not vocab.benchmarks and not vocab.systems:
        return None
    reading = _scan(tokens, vocab)
    rest = [singular(t) for t in reading.rest]
    asks_figures = any(t in RESULT_WORDS for t in [*rest, *reading.rest])
    other_kind = any(_KIND_WORDS.get(t) not in (None, "benchmarks") for t in rest if t not in RESULT_WORDS)
    taxonomy = vocabulary(graph).terms
    plain_system = reading.systems and not other_kind and not any(s in taxonomy for s in reading.spans)
    settings: list[str] = []
    for phrase, candidates in reading.settings:
        fitting = [label for bench, label in candidates if not reading.benchmarks or bench in reading.benchmarks]
        if fitting:
            settings.extend(label for label in fitting if label not in settings)
        else:
            reading.rest.extend(phrase.split())
    named = reading.systems or reading.benchmarks or settings
    best = any(t in BEST_WORDS for t in [*rest, *reading.rest])
    ignored = [t for t in reading.rest if t not in FILLER and singular(t) not in FILLER
               and singular(t) not in RESULT_WORDS and t not in RESULT_WORDS and singular(t) not in _KIND_WORDS]
    every_board = best and not named and not other_kind and not ignored  # "which model is safest"
    if asks_figures and not named and not other_kind and ignored:
        without = _resources_without_results(reading.rest, taxonomy)
        if without:  # "results on HarmBench": an empty leaderboard answer says which benchmarks have results
            return Query(kind="leaderboard", resources=without, best=best)
        _suggest(" ".join(ignored), vocab)
    if not ((asks_figures and named) or plain_system or every_board):
        return None
    return Query(kind="results" if reading.systems else "leaderboard", systems=reading.systems,
                 resources=reading.benchmarks, settings=settings, best=best, ignored=ignored)


def _suggest(text: str, vocab: ResultsVocabulary) -> None:
    """A results question whose subject is misspelt ('results for janus prp'): raise Unreadable naming the
    nearest systems and benchmarks with results; return when nothing is near (the general reader goes on)."""
    from safetykb.query.question import Unreadable

    names = {**vocab.systems, **vocab.benchmarks}
    near = difflib.get_close_matches(text, list(names), n=3, cutoff=0.6)
    if near:
        ids = list(dict.fromkeys(names[n] for n in near))
        raise Unreadable(f"no evaluated system or benchmark with results is called '{text}'",
                         [f"did you mean '{i}'?" for i in ids])


def _resources_without_results(tokens: list[str], terms: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Benchmarks and datasets named in tokens (longest phrase first); they have no result set, or the
    results vocabulary would have recognised them."""
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for length in range(len(tokens) - i, 0, -1):
            nodes = [n for k, n in terms.get(" ".join(tokens[i:i + length]), []) if k in ("benchmark", "dataset")]
            if nodes:
                found.extend(n for n in nodes[:1] if n not in found)
                i += length
                break
        else:
            i += 1
    return found
