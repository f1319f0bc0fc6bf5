"""Questions of issue 11 on a small knowledge base: papers evaluated on a benchmark (`uses`), the datasets
and benchmarks of one paper, defenses against a broader attack type (marked), words the vocabulary does
not know (searched in titles, methods and summaries), and 'latest' / 'recent'.

The knowledge base is the fixture plus the extended records of test_query_questions plus the few records
below (written into a temporary folder).
"""

from __future__ import annotations

import json
import textwrap

import pytest

from safetykb.core import queries as q
from safetykb.query.ask import answer
from safetykb.query.cache import load_graph
from safetykb.query.question import parse
from tests.helpers import run_script
from tests.test_query_questions import write_extended_kb

MORE: dict[str, str] = {
    # a defense against prompt injection in general (broader than indirect prompt injection)
    "papers/2025/doe2025isolate.yaml": """
        id: doe2025isolate
        title: Isolating Untrusted Text in Agent Pipelines
        authors: [Jane Doe]
        year: 2025
        date: 2025-03
        models: [llm-agent]
        contribution: [defense]
        defenses: [agent-defense]
        counters: [prompt-injection]
        summary: Keeps tool outputs in a separate channel that the planner cannot read as instructions.
        sources: [contributor]
        status: auto
        added: 2026-11-29
    """,
    # a defense against indirect prompt injection itself, evaluated on the fixture benchmark
    "papers/2025/roe2025spotlight.yaml": """
        id: roe2025spotlight
        title: Marking Retrieved Documents for Agents
        authors: [Rick Roe]
        year: 2025
        date: 2025-01
        models: [llm-agent]
        contribution: [defense]
        defenses: [agent-defense]
        counters: [indirect-prompt-injection]
        uses: [mm-bench-safety]
        method: DocMark
        sources: [contributor]
        status: auto
        added: 2026-11-29
    """,
    # an attack whose summary holds the word 'typographic' (the title does not)
    "papers/2024/poe2024pictures.yaml": """
        id: poe2024pictures
        title: Pictures of Words Mislead Multimodal Models
        authors: [Ann Poe]
        year: 2024
        date: 2024-08
        models: [vlm]
        contribution: [attack]
        attacks: [jailbreak]
        method: WordPic
        summary: Writes the harmful request as typographic text in an image; open models follow it.
        uses: [mm-bench-safety, advset]
        sources: [contributor]
        status: auto
        added: 2026-11-29
    """,
}


@pytest.fixture(scope="module")
def kb_root(tmp_path_factory):
    root = write_extended_kb(tmp_path_factory.mktemp("graphq") / "kb")
    for rel, text in MORE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def graph(kb_root):
    graph, problems = load_graph(kb_root, use_cache=False)
    assert problems == [], problems
    return graph


def ask(graph, text: str):
    return answer(graph, parse(text, graph), text)


# ---------------------------------------------------------------- uses


def test_defenses_evaluated_on_a_benchmark(graph) -> None:
    reply = ask(graph, "defenses evaluated on MMSFB")
    assert reply.query.kind == "defenses" and reply.query.resources == ["mm-bench-safety"]
    assert reply.ids == ["roe2025spotlight", "liu2024cleanvid"]
    assert reply.headline == "defenses, evaluated on mm-bench-safety: 2 papers"


def test_attacks_evaluated_on_a_dataset(graph) -> None:
    reply = ask(graph, "which attacks were tested on advset")
    assert (reply.query.kind, reply.ids) == ("attacks", ["poe2024pictures"])


@pytest.mark.parametrize("question", ["which benchmarks does WordPic use", "datasets and benchmarks of poe2024pictures",
                                      "what benchmarks and datasets does WordPic use"])
def test_resources_one_paper_uses(graph, question: str) -> None:
    reply = ask(graph, question)
    assert reply.query.paper == "poe2024pictures"
    if "datasets" in question:
        assert reply.ids == ["advset", "mm-bench-safety"] and reply.count == "2 results"
    else:
        assert reply.ids == ["mm-bench-safety"] and reply.count == "1 benchmark"
    assert reply.groups[0].title.startswith("evaluated on")


def test_resources_of_a_paper_without_uses_say_so(graph) -> None:
    reply = ask(graph, "which benchmarks does AdaShield use")
    assert reply.ids == [] and reply.nearest == [
        "no dataset or benchmark is linked to AdaShield yet (its record has no `uses` or `introduces`)"]


def test_papers_using_and_resources_of_share_the_core_functions(graph) -> None:
    assert q.papers_using(graph, "MMSFB", "defense").ids == ["roe2025spotlight", "liu2024cleanvid"]
    assert q.resources_of(graph, "bench2024mm") == ([], ["mm-bench-safety"])


# ---------------------------------------------------------------- broader defenses


def test_defenses_against_a_subtype_list_the_broader_ones_marked(graph) -> None:
    reply = ask(graph, "defenses against indirect prompt injection in agents")
    assert reply.ids == ["roe2025spotlight", "doe2025isolate"]
    assert reply.count == "1 paper and 1 paper against a broader attack type"
    broader = reply.groups[-1]
    assert broader.title == "against a broader attack type (covering indirect-prompt-injection)"
    assert broader.reasons == {"doe2025isolate": "counters the broader prompt-injection"}
    assert q.broader_defenses(graph, "indirect-prompt-injection", "agent").ids == ["doe2025isolate"]


def test_broader_defenses_are_marked_in_json_and_markdown(kb_root) -> None:
    result = run_script("query.py", "defenses against indirect prompt injection", "--format", "json", "--root",
                        str(kb_root), "--no-cache")
    payload = json.loads(result.stdout)
    assert [r["id"] for r in payload["results"]] == ["roe2025spotlight", "doe2025isolate"]
    assert payload["groups"][-1]["reasons"] == {"doe2025isolate": "counters the broader prompt-injection"}
    md = run_script("query.py", "defenses against indirect prompt injection", "--format", "md", "--root",
                    str(kb_root), "--no-cache").stdout
    assert "(counters the broader prompt-injection)" in md


def test_the_parent_type_does_not_list_its_subtype_defenses_as_broader(graph) -> None:
    reply = ask(graph, "defenses against prompt injection")
    assert reply.ids == ["doe2025isolate", "roe2025spotlight"]  # the subtree, one list, newest first by type
    assert "broader" not in reply.count


# ---------------------------------------------------------------- words the vocabulary does not know


def test_unknown_word_searches_titles_methods_and_summaries(graph) -> None:
    reply = ask(graph, "typographic attacks")
    assert reply.query.text == ["typographic"] and reply.query.ignored == []
    assert reply.ids == ["poe2024pictures"]  # 'typographic' is in its summary only
    assert reply.headline == 'attacks, with "typographic" in title, method or summary: 1 paper'


def test_unknown_word_alone_is_a_paper_search(graph) -> None:
    reply = ask(graph, "untrusted")
    assert (reply.query.kind, reply.ids) == ("papers", ["doe2025isolate"])


def test_words_match_by_stem(graph) -> None:
    assert ask(graph, "trojan planting attacks").ids == ["zhang2024trojvlm"]  # 'Planting Trojans'
    assert ask(graph, "marked documents").ids == ["roe2025spotlight"]  # 'Marking ... Documents'


def test_a_word_no_paper_has_is_ignored_not_an_empty_answer(graph) -> None:
    reply = ask(graph, "defenses against backdoor on VLMs zxqv")
    assert reply.ids == ["liu2024cleanvid"] and reply.query.ignored == ["zxqv"] and reply.query.text == []


def test_taxonomy_names_of_a_paper_count_as_its_words(graph) -> None:
    # 'injection' is in no title here, but in the name of the attack type the papers propose or counter
    assert ask(graph, "injection defenses").ids == ["doe2025isolate", "roe2025spotlight"]


# ---------------------------------------------------------------- latest, recent


def test_latest_is_one_list_newest_first(graph) -> None:
    reply = ask(graph, "latest defenses")
    assert [g.title for g in reply.groups] == ["newest first"]
    dates = [str(graph.nodes[i].get("date") or graph.nodes[i]["year"]) for i in reply.ids]
    assert dates == sorted(dates, reverse=True) and reply.ids[0] == "doe2025isolate"
    assert reply.query.newest and reply.understood.endswith("newest first")
    plain = ask(graph, "defenses")
    assert len(plain.groups) > 1 and sorted(plain.ids) == sorted(reply.ids)


def test_recent_keeps_the_broader_marks(graph) -> None:
    reply = ask(graph, "recent defenses against indirect prompt injection")
    assert reply.ids == ["doe2025isolate", "roe2025spotlight"]
    assert reply.groups[0].reasons == {"doe2025isolate": "counters the broader prompt-injection"}
