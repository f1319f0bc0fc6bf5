"""Reading a plain-word question ("which defenses cover backdoors in VLMs") into a structured `Query`.

The words the reader knows come from the knowledge base itself (`Vocabulary`):
ids, names and aliases of model families, attack and defense types, datasets
and benchmarks; venues, authors, paper ids and method names of the papers.
Matching ignores case, accents, hyphens, plurals and filler words, and tries
the longest phrase first ("LLM agents" before "LLM"). A question with nothing
recognisable, or with a word that is close to a known term, raises
`Unreadable` with examples and "did you mean" suggestions. Any other word the
vocabulary does not know is searched in the papers' titles, methods and
summaries (`Query.text`), unless no paper has it. "latest" or "recent" asks
for one list, newest first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from safetykb.core.queries import Graph, former_ids, normalise_term
from safetykb.core.suggest import closest
from safetykb.query.results_question import read as read_results_question

#: The shapes of question the tool answers (also the values of --kind).
KINDS: tuple[str, ...] = ("defenses", "attacks", "benchmarks", "datasets", "papers", "gaps", "counters", "related",
                          "leaderboard", "results")

#: Questions shown when a question cannot be read.
EXAMPLES: tuple[str, ...] = (
    "which defenses cover backdoors in VLMs",
    "attacks on diffusion models since 2024",
    "jailbreak benchmarks for LVLM",
    "what counters prompt injection",
    "papers by Yinpeng Dong",
    "papers at CVPR 2024",
    "gaps for agents",
    "papers related to gong2023figstep",
    "defenses evaluated on HarmBench",
    "which benchmarks does FigStep use",
    "latest typographic attacks",
    "which model is safest on SIUO",
    "results for Janus-Pro",
)

_TAXONOMY_KINDS = ("attack", "model", "defense", "benchmark", "dataset")
_PREFERENCE = {kind: i for i, kind in enumerate(_TAXONOMY_KINDS)}

#: Words that say what is asked for, after singular forms are taken.
_KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "defense",
            "defend",
            "defending",
            "defended",
            "mitigation",
            "mitigate",
            "mitigating",
            "detect",
            "detecting",
            "detector",
            "protect",
            "protecting",
            "protection",
            "safeguard",
            "safeguarding",
        ],
        "defenses",
    ),
    **dict.fromkeys(["counter", "countermeasure"], "counters"),
    **dict.fromkeys(["attack", "attacking", "attacker", "threat", "vulnerability", "exploit"], "attacks"),
    **dict.fromkeys(
        ["benchmark", "evaluation", "eval", "evaluate", "evaluating", "testbed", "leaderboard"], "benchmarks"
    ),
    **dict.fromkeys(["dataset", "corpus", "corpora"], "datasets"),
    **dict.fromkeys(["resource"], "resources"),
    **dict.fromkeys(["paper", "work", "publication", "article", "literature", "research", "study", "studie"], "papers"),
    **dict.fromkeys(["gap", "undefended", "uncovered", "unaddressed", "unprotected", "undefended"], "gaps"),
    # 'missing', 'without' ask for gaps only together with a defense word ("where are defenses missing")
    **dict.fromkeys(["missing", "lack", "lacking", "without", "absent", "no"], "gaps-weak"),
    **dict.fromkeys(["related", "similar", "relate"], "related"),
}
# "counters" wins over "defenses": the defense types AND the papers are asked for.
_KIND_ORDER = ("related", "gaps", "counters", "defenses", "benchmarks", "datasets", "resources", "attacks", "papers")

_TYPE_WORDS = {"type", "kind", "category", "class", "family", "sort"}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words carrying no meaning for the query.
FILLER: frozenset[str] = _wordset("""
a an the of for on in to at against about with from and or & + vs versus which what who whom whose where
when how why is are was were be been being do does did done doe have has had there their they it its this
that these those any all some each every me my i we us our you your show list find give get tell print
display known exist existing exists available can could would should will shall may might must please
so as than then also only just more most many much other others into onto over under upon via per
method approache approach technique strategy solution way tool system model family families like
countering counteracting cover covering covered towards toward regarding concerning ever yet currently
current recent latest new newest
type types kind kinds category categories class classes sort sorts different various main major
aimed aim target targeting targeted proposed propose proposing use used using publish published appear
appeared appearing present presented s by evaluated tested measured benchmarked
""")

#: Words asking for the newest papers first ("latest attacks on agents").
NEWEST: frozenset[str] = _wordset("latest recent recently newest new")

_STOP_AFTER_AUTHOR = frozenset(
    {
        "since",
        "after",
        "before",
        "until",
        "till",
        "through",
        "in",
        "at",
        "on",
        "from",
        "for",
        "about",
        "with",
        "and",
        "or",
        "during",
        "between",
        "up",
        "published",
        "paper",
        "papers",
        "against",
        "of",
        "to",
    }
)
_SINCE = {"since", "after", "from", "starting"}
_UNTIL = {"before", "until", "till", "through", "thru", "upto", "to"}
_YEAR = re.compile(r"^(19[89]\d|20\d\d)$")
_PUNCT = re.compile(r"[^\w\s&+]")


class Unreadable(ValueError):
    """A question the reader cannot turn into a query; carries suggestions and example questions."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []


@dataclass
class Query:
    """A question in structured form: what is asked for and the filters that apply."""

    kind: str | None = None
    attacks: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    defenses: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    author: str | None = None
    venue: str | None = None
    since: int | None = None
    until: int | None = None
    related: str | None = None
    paper: str | None = None  # the paper whose datasets and benchmarks are asked for
    text: list[str] = field(default_factory=list)  # words searched in titles, methods and summaries
    newest: bool = False  # one list, newest first
    ignored: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)  # evaluated systems (results questions)
    settings: list[str] = field(default_factory=list)  # settings of result sets (TYPO, OpenQA)
    best: bool = False  # the best (safest) system is asked for

    def as_dict(self) -> dict[str, Any]:
        """The query with empty parts left out (for JSON output)."""
        data = {
            "kind": self.kind,
            "attacks": self.attacks,
            "models": self.models,
            "defenses": self.defenses,
            "resources": self.resources,
            "author": self.author,
            "venue": self.venue,
            "since": self.since,
            "until": self.until,
            "related": self.related,
            "paper": self.paper,
            "text": self.text,
            "newest": self.newest,
            "ignored": self.ignored,
            "systems": self.systems,
            "settings": self.settings,
            "best": self.best,
        }
        return {k: v for k, v in data.items() if v not in (None, [], "", False)}


# ---------------------------------------------------------------- words


def words(text: str) -> list[str]:
    """A text as comparable words: lower case, no accents, hyphens and punctuation as spaces."""
    text = normalise_term(text).replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = text.replace("defenc", "defens")
    return _PUNCT.sub(" ", text).split()


def singular(word: str) -> str:
    """'attacks' -> 'attack', 'studies' -> 'study'; short words and '-ss'/'-us'/'-is' stay."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word


def _key(tokens: list[str] | tuple[str, ...]) -> str:
    return " ".join(tokens)


def _singular_key(tokens: list[str] | tuple[str, ...]) -> str:
    return " ".join([*tokens[:-1], singular(tokens[-1])]) if tokens else ""


# ---------------------------------------------------------------- vocabulary


@dataclass
class Vocabulary:
    """Every phrase the reader knows, built once per graph (and cached with it)."""

    terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # phrase -> [(kind, id)]
    venues: dict[str, str] = field(default_factory=dict)  # phrase -> venue as written
    papers: dict[str, str] = field(default_factory=dict)  # id phrase -> paper id
    methods: dict[str, list[str]] = field(default_factory=dict)  # method phrase -> paper ids
    author_words: set[str] = field(default_factory=set)
    authors: list[str] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # every word of every phrase
    longest: int = 1

    def add_term(self, phrase: str, kind: str, node: str) -> None:
        tokens = words(phrase)
        if not tokens:
            return
        for key in {_key(tokens), _singular_key(tokens)}:
            entries = self.terms.setdefault(key, [])
            if (kind, node) not in entries:
                entries.append((kind, node))
        self.known.update(tokens)
        self.longest = max(self.longest, len(tokens))


def vocabulary(graph: Graph) -> Vocabulary:
    """The reader's vocabulary for a graph; stored on the graph so a cached graph carries it."""
    cached = graph.graph.get("_question_vocab")
    if isinstance(cached, Vocabulary):
        return cached
    vocab = Vocabulary()
    authors: set[str] = set()
    # words() of the texts seen, reused from the graph's last vocabulary (the query cache keeps it): after one
    # record changed, the vocabulary is made again from 10,000 papers' ids, venues and authors.
    known_words: dict[str, list[str]] = graph.graph.get("_words") or {}
    used: dict[str, list[str]] = {}

    def said(text: str) -> list[str]:
        found = used.get(text)
        if found is None:
            found = used[text] = known_words.get(text) or words(text)
        return found

    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind in _TAXONOMY_KINDS:
            name = str(data.get("name") or "")
            for phrase in (node, name, re.sub(r"\s*\(.*?\)\s*", " ", name), *(data.get("aliases") or [])):
                if isinstance(phrase, str) and phrase.strip():
                    vocab.add_term(phrase, kind, node)
        elif kind == "paper":
            vocab.papers[_key(said(node))] = node
            method = data.get("method")
            if isinstance(method, str) and said(method):
                vocab.methods.setdefault(_key(said(method)), []).append(node)
            venue = data.get("venue")
            if isinstance(venue, str) and said(venue):
                vocab.venues.setdefault(_key(said(venue)), venue)
                vocab.known.update(said(venue))
            for author in data.get("authors") or []:
                if isinstance(author, str):
                    authors.add(author)
    for old, current in former_ids(graph).items():  # a renamed paper answers to its former ids
        vocab.papers.setdefault(_key(said(old)), current)
    for author in authors:
        vocab.author_words.update(said(author))
    vocab.authors = sorted(authors)
    vocab.longest = max([vocab.longest, *(len(k.split()) for k in vocab.venues)])
    graph.graph["_question_vocab"] = vocab
    graph.graph["_words"] = used
    return vocab


# ---------------------------------------------------------------- reading a question


@dataclass
class _Reading:
    tokens: list[str]
    used: list[bool]
    kinds: list[str] = field(default_factory=list)  # kind words outside recognised phrases
    hints: list[str] = field(default_factory=list)  # kind words inside recognised phrases
    terms: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.used[i] = True


def parse(question: str, graph: Graph) -> Query:
    """The structured query a plain-word question asks; raises Unreadable."""
    vocab = vocabulary(graph)
    tokens = words(question)
    about_results = read_results_question(tokens, graph)
    if about_results is not None:
        return about_results
    query, reading = _parse_tokens(tokens, vocab)
    close = _close_words(reading, vocab)
    if close:
        # A misspelt word matters when the corrected question reads differently: then ask, never guess.
        fixed = [close.get(i, t) for i, t in enumerate(tokens)]
        try:
            fixed_query, _ = _parse_tokens(fixed, vocab)
        except Unreadable:
            fixed_query = None
        if fixed_query is not None and _meaning(fixed_query) != _meaning(query) or not _readable(query, reading):
            suggestions = [f"did you mean '{close[i]}' for '{tokens[i]}'?" for i in sorted(close)]
            if fixed_query is not None and _readable(fixed_query, None):
                suggestions.append(f'did you mean: "{_fixed_text(question, tokens, close)}"')
            raise Unreadable(
                f"unknown word{'s' if len(close) > 1 else ''}: " + ", ".join(f"'{tokens[i]}'" for i in sorted(close)),
                suggestions,
            )
    _read_text(query, reading, graph, set(close))
    if query.kind == "related" and not query.related:
        raise Unreadable(
            "related to which paper? name a paper id, e.g. 'papers related to gong2023figstep'",
            _paper_suggestions(reading, vocab),
        )
    if not _readable(query, reading):
        raise Unreadable(
            f"nothing in '{question.strip()}' names a model family, attack or defense type, "
            "benchmark, author, venue, year or paper"
        )
    return query


def _read_text(query: Query, reading: _Reading, graph: Graph, misspelt: set[int]) -> None:
    """Unknown words become words to search in the papers' titles, methods and summaries, when at least
    one paper has them; the others (and misspelt words) stay ignored."""
    from safetykb.core.queries import text_matches

    kept: list[str] = []
    ignored: list[str] = []
    for i in reading.unknown:
        token = reading.tokens[i]
        if i not in misspelt and len(token) >= 3 and not token.isdigit() and text_matches(graph, [token]):
            kept.append(token)
        else:
            ignored.append(token)
    query.text = list(dict.fromkeys(kept))
    query.ignored = ignored


def _fixed_text(question: str, tokens: list[str], close: dict[int, str]) -> str:
    """The question as typed, with the misspelt words replaced."""
    text = question.strip()
    for i, word in close.items():
        fixed = re.sub(rf"\b{re.escape(tokens[i])}\b", word, text, count=1, flags=re.IGNORECASE)
        text = fixed if fixed != text else " ".join(close.get(j, t) for j, t in enumerate(tokens))
    return text


def _parse_tokens(tokens: list[str], vocab: Vocabulary) -> tuple[Query, _Reading]:
    reading = _Reading(tokens, [False] * len(tokens))
    query = Query()
    _read_author(reading, query)
    _read_years(reading, query)
    _read_phrases(reading, query, vocab)
    _read_rest(reading)
    _read_loose_author(reading, query, vocab)
    query.newest = any(t in NEWEST for t in tokens)
    for kind, node in reading.terms:
        target = {
            "attack": query.attacks,
            "model": query.models,
            "defense": query.defenses,
            "benchmark": query.resources,
            "dataset": query.resources,
        }[kind]
        if node not in target:
            target.append(node)
    query.kind = _decide_kind(reading, query)
    query.ignored = [tokens[i] for i in reading.unknown]
    return query, reading


def _meaning(query: Query) -> dict[str, Any]:
    data = query.as_dict()
    data.pop("ignored", None)
    return data


def _readable(query: Query, reading: _Reading | None) -> bool:
    """Something was recognised: a filter, or at least a word saying what is asked for."""
    if _has_filter(query):
        return True
    return reading is None or bool(set(reading.kinds) - {"gaps-weak"})


def _has_filter(query: Query) -> bool:
    return any(
        (
            query.attacks,
            query.models,
            query.defenses,
            query.resources,
            query.author,
            query.venue,
            query.since,
            query.until,
            query.related,
            query.paper,
            query.text,
        )
    )


def _read_author(reading: _Reading, query: Query) -> None:
    """'by Yinpeng Dong', 'author Dong', 'written by ...': the name runs to the next stop word."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if token not in ("by", "author", "authors", "authored") or reading.used[i]:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j] in ("by",):
            j += 1
        start = j
        while (
            j < len(tokens)
            and tokens[j] not in _STOP_AFTER_AUTHOR
            and not _YEAR.match(tokens[j])
            and singular(tokens[j]) not in _KIND_WORDS
        ):
            j += 1
        if j > start:
            query.author = " ".join(t.capitalize() for t in tokens[start:j])
            reading.take(i, j)
            return


def _read_loose_author(reading: _Reading, query: Query, vocab: Vocabulary) -> None:
    """Unknown words that together make up an author's name ('Yinpeng Dong papers')."""
    if query.author or not reading.unknown:
        return
    run = [i for i in reading.unknown if reading.tokens[i] in vocab.author_words]
    if not run or len(run) != len(reading.unknown) or max(run) - min(run) + 1 != len(run):
        return
    name = " ".join(reading.tokens[i] for i in run)
    if any(_all_words_in(name, a) for a in vocab.authors):
        query.author = " ".join(t.capitalize() for t in name.split())
        reading.unknown = []


def _all_words_in(query: str, author: str) -> bool:
    have = set(words(author))
    return all(w in have for w in query.split())


def _read_years(reading: _Reading, query: Query) -> None:
    tokens = reading.tokens
    i = 0
    while i < len(tokens):
        if reading.used[i] or not _YEAR.match(tokens[i]):
            i += 1
            continue
        year = int(tokens[i])
        before = tokens[i - 1] if i > 0 else ""
        before2 = tokens[i - 2] if i > 1 else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        after2 = tokens[i + 2] if i + 2 < len(tokens) else ""
        start = i
        if after in ("to", "and", "until", "till", "through") and _YEAR.match(after2):  # 2022 to 2024
            query.since, query.until = year, int(after2)
            if before in ("between", "from"):
                start = i - 1
            reading.take(start, i + 3)
            i += 3
            continue
        if _YEAR.match(after):  # 2022-2024
            query.since, query.until = year, int(after)
            reading.take(i, i + 2)
            i += 2
            continue
        if before in _SINCE or (before == "or" and before2 in ("later", "after")):
            query.since = year + 1 if before == "after" else year
            start = i - 1
        elif before in _UNTIL or (before == "to" and before2 == "up"):
            query.until = year - 1 if before == "before" else year
            start = i - 2 if before2 == "up" else i - 1
        elif after in ("onward", "onwards", "later") or (after == "or" and after2 in ("later", "after", "newer")):
            query.since = year
        elif after == "or" and after2 in ("earlier", "before", "older"):
            query.until = year
        else:
            query.since = query.until = year
            if before in ("in", "of", "during"):
                start = i - 1
        reading.take(start, i + 1)
        i += 1


def _read_phrases(reading: _Reading, query: Query, vocab: Vocabulary) -> None:
    """Known phrases, longest first: taxonomy terms, venues, paper ids (and method names when asked
    for related papers)."""
    tokens = reading.tokens
    wants_related = any(singular(t) in ("related", "similar", "like") for t in tokens)
    wants_resources = not wants_related and any(
        _KIND_WORDS.get(singular(t)) in ("benchmarks", "datasets", "resources") for t in tokens
    )
    i = 0
    while i < len(tokens):
        if reading.used[i]:
            i += 1
            continue
        matched = 0
        for length in range(min(vocab.longest, len(tokens) - i), 0, -1):
            span = tokens[i : i + length]
            if any(reading.used[i : i + length]):
                continue
            if length == 1 and (span[0] in FILLER or singular(span[0]) in _KIND_WORDS) and span[0] not in vocab.terms:
                break
            if _match_span(reading, query, vocab, span, wants_related, wants_resources):
                matched = length
                break
        if matched:
            reading.take(i, i + matched)
            i += matched
        else:
            i += 1


def _match_span(reading: _Reading, query: Query, vocab: Vocabulary, span: list[str], wants_related: bool,
                wants_resources: bool = False) -> bool:
    key, skey = _key(span), _singular_key(span)
    found = vocab.terms.get(key) or vocab.terms.get(skey)
    if found:
        kind, node = min(found, key=lambda kn: _PREFERENCE[kn[0]])
        reading.terms.append((kind, node))
        attack = _attack_inside(span, node, vocab) if kind == "defense" else None
        if attack:
            reading.terms.append(("attack", attack))
        if kind == "attack" and any(_KIND_WORDS.get(singular(t)) == "attacks" for t in span):
            reading.hints.append("attacks")
        return True
    if key in vocab.papers:
        if wants_resources and not query.paper:
            query.paper = vocab.papers[key]
        else:
            query.related = vocab.papers[key]
        return True
    venue = vocab.venues.get(key)
    if venue and not query.venue:
        query.venue = venue
        return True
    if wants_related and key in vocab.methods and len(vocab.methods[key]) == 1:
        query.related = vocab.methods[key][0]
        return True
    if wants_resources and not query.paper and key in vocab.methods and len(vocab.methods[key]) == 1:
        query.paper = vocab.methods[key][0]  # "which benchmarks does FigStep use"
        return True
    return False


def _attack_inside(span: list[str], defense: str, vocab: Vocabulary) -> str | None:
    """The attack type named inside a defense alias made of an attack term and a term of that same
    defense ('jailbreak detection' = jailbreak + detection), else None ('adversarial training' stays whole)."""
    for cut in range(1, len(span)):
        for attack_part, defense_part in ((span[:cut], span[cut:]), (span[cut:], span[:cut])):
            attacks = [n for k, n in vocab.terms.get(_key(attack_part), []) if k == "attack"]
            own = ("defense", defense) in vocab.terms.get(_key(defense_part), []) or (
                "defense",
                defense,
            ) in vocab.terms.get(_singular_key(defense_part), [])
            if attacks and own:
                return attacks[0]
    return None


def _read_rest(reading: _Reading) -> None:
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if reading.used[i]:
            continue
        word = singular(token)
        if word in _KIND_WORDS:
            kind = _KIND_WORDS[word]
            if kind == "defenses" and _near_type_word(tokens, i):
                kind = "counters"
            reading.kinds.append(kind)
        elif token in FILLER or word in FILLER:
            continue
        else:
            reading.unknown.append(i)


def _near_type_word(tokens: list[str], i: int) -> bool:
    """'defense types', 'types of defenses', 'kinds of defense': the defense types are asked for."""
    window = tokens[max(0, i - 2) : i + 2]
    return any(singular(t) in _TYPE_WORDS for t in window)


def _decide_kind(reading: _Reading, query: Query) -> str:
    asked = set(reading.kinds)
    if query.related:
        return "related"
    if query.paper:
        wanted = [k for k in ("benchmarks", "datasets") if k in asked]
        return wanted[0] if len(wanted) == 1 else "resources"
    if "gaps-weak" in asked and asked & {"defenses", "counters"}:
        return "gaps"
    if {"benchmarks", "datasets"} <= asked:
        return "resources"
    for kind in _KIND_ORDER:
        if kind in asked:
            return kind
    if "attacks" in reading.hints:
        return "attacks"
    if query.defenses:
        return "defenses"
    return "papers"


def _close_words(reading: _Reading, vocab: Vocabulary) -> dict[int, str]:
    """Unknown words that are probably misspelt known words: index -> known word."""
    choices = [w for w in vocab.known | set(_KIND_WORDS) if len(w) >= 4]
    close: dict[int, str] = {}
    for i in reading.unknown:
        token = reading.tokens[i]
        if (
            len(token) < 4
            or token in vocab.known
            or singular(token) in vocab.known
            or token in vocab.author_words
            or token.isdigit()
        ):
            continue
        found = closest(token, choices, cutoff=0.8)  # a swap of two letters is one typo (lvml -> lvlm)
        if found and found != singular(token):
            close[i] = found
    return close


def _paper_suggestions(reading: _Reading, vocab: Vocabulary) -> list[str]:
    out: list[str] = []
    for i in reading.unknown:
        found = difflib.get_close_matches(reading.tokens[i], list(vocab.papers), n=1, cutoff=0.7)
        if found:
            out.append(f"did you mean '{vocab.papers[found[0]]}'?")
    return out


def suggest_term(text: str, graph: Graph, kinds: tuple[str, ...]) -> str | None:
    """The known term of the given kinds nearest to a word, for flag values."""
    vocab = vocabulary(graph)
    key = _key(words(text))
    pool = {k: node for k, entries in vocab.terms.items() for kind, node in entries if kind in kinds}
    found = closest(key, pool, cutoff=0.7)
    return pool[found] if found else None


def find_term(text: str, graph: Graph, kinds: tuple[str, ...]) -> str | None:
    """The id a flag value names among the given kinds (id, name, alias; forgiving), or None."""
    vocab = vocabulary(graph)
    tokens = words(text)
    for key in (_key(tokens), _singular_key(tokens)):
        for kind, node in sorted(vocab.terms.get(key, []), key=lambda kn: _PREFERENCE[kn[0]]):
            if kind in kinds:
                return node
    return None
