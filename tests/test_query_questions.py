"""Questions in plain words, read and answered on the fixture knowledge base, with the exact result ids.

Expected ids are written from the records in tests/fixtures/kb (newest first).
A second, extended knowledge base (the fixture plus the few records below,
written into a temporary folder) adds CLIP, energy-latency, agents and prompt
injection, for the aliases and subtrees the fixture lacks.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from safetykb.query.ask import answer
from safetykb.query.cache import load_graph
from safetykb.query.question import Unreadable, parse, words
from tests.helpers import FIXTURE_KB


def ask(graph, text: str):
    return answer(graph, parse(text, graph), text)


# (question, kind understood, result ids in order)
QUESTIONS: list[tuple[str, str, list[str]]] = [
    # defenses against / covering / countering an attack type, on a family (both subtrees expanded)
    ("which defenses cover backdoors in VLMs", "defenses", ["liu2024cleanvid"]),
    ("defenses against trojans on LLaVA", "defenses", ["liu2024cleanvid"]),
    ("defenses countering backdoor", "defenses", ["liu2024cleanvid", "kim2023purify"]),
    ("Defences against jailbreak attacks on multimodal LLMs", "defenses", ["wang2024adashield", "chen2024bathe"]),
    ("how to protect MLLMs from jailbreaks", "defenses", ["wang2024adashield", "chen2024bathe"]),
    # ... and after them, marked, the defenses against the broader attack type (backdoor in general)
    ("defenses against clean-label backdoors", "defenses", ["liu2024cleanvid", "kim2023purify"]),
    ("defenses on LLMs", "defenses", ["kim2023purify"]),
    ("backdoor removal defenses", "defenses", ["liu2024cleanvid", "kim2023purify"]),
    # attacks on a family (of a type)
    ("attacks on diffusion models", "attacks", ["lee2023stealthy", "smith2023ringjail"]),
    ("attacks on Stable Diffusion", "attacks", ["lee2023stealthy", "smith2023ringjail"]),
    ("backdoor attacks on text-to-image models", "attacks", ["lee2023stealthy"]),
    ("trojan attacks", "attacks", ["zhang2024trojvlm", "lee2023stealthy"]),
    ("attacks on vision-language models between 2023 and 2024", "attacks", ["zhang2024trojvlm"]),
    # benchmarks and datasets for an attack type and family
    ("jailbreak benchmarks for LVLM", "benchmarks", ["mm-bench-safety"]),
    ("datasets for jailbreak", "datasets", ["advset"]),
    ("benchmarks and datasets for jailbreak", "resources", ["mm-bench-safety", "advset"]),
    ("papers using MMSFB", "papers", ["liu2024cleanvid", "bench2024mm"]),
    # papers by author, at a venue, in / since / before a year
    ("papers by Yu Wang", "papers", ["wang2024adashield", "lee2023stealthy"]),
    ("Yu Wang papers", "papers", ["wang2024adashield", "lee2023stealthy"]),
    ("papers by wang since 2024", "papers", ["wang2024adashield"]),
    ("papers at NeurIPS", "papers", ["bench2024mm", "smith2023ringjail"]),
    ("NeurIPS 2024 papers", "papers", ["bench2024mm"]),
    ("papers in 2023", "papers", ["lee2023stealthy", "smith2023ringjail", "kim2023purify"]),
    ("papers before 2024", "papers", ["lee2023stealthy", "smith2023ringjail", "kim2023purify"]),
    (
        "papers after 2023",
        "papers",
        ["liu2024cleanvid", "wang2024adashield", "zhang2024trojvlm", "chen2024bathe", "bench2024mm"],
    ),
    ("papers from 2023 to 2024 at ICCV", "papers", ["lee2023stealthy"]),
    ("arxiv papers on VLMs", "papers", ["zhang2024trojvlm", "chen2024bathe"]),
    ("jailbreak papers", "papers", ["wang2024adashield", "chen2024bathe", "bench2024mm", "smith2023ringjail"]),
    ("jailbreak papers on VLM since 2024", "papers", ["wang2024adashield", "chen2024bathe", "bench2024mm"]),
    ("safety alignment papers on VLMs", "papers", ["chen2024bathe"]),
    ("Video-LLM", "papers", ["liu2024cleanvid"]),
    ("T2I jailbreaks", "papers", ["smith2023ringjail"]),
    # what counters an attack type: defense types AND papers
    (
        "what counters jailbreak",
        "counters",
        ["inference-alignment", "safety-alignment", "wang2024adashield", "chen2024bathe"],
    ),
    ("what counters clean-label backdoor", "counters", ["backdoor-removal", "liu2024cleanvid", "kim2023purify"]),
    ("defense types against backdoor", "counters", ["backdoor-removal", "liu2024cleanvid", "kim2023purify"]),
    # where defenses are missing
    ("where are defenses missing", "gaps", ["dm:backdoor", "dm:clean-label-backdoor", "dm:jailbreak"]),
    ("gaps on diffusion models", "gaps", ["dm:backdoor", "dm:clean-label-backdoor", "dm:jailbreak"]),
    ("attacks without defenses", "gaps", ["dm:backdoor", "dm:clean-label-backdoor", "dm:jailbreak"]),
    # papers related to a paper
    ("papers related to chen2024bathe", "related", ["wang2024adashield"]),
    ("papers related to zhang2024trojvlm", "related", ["liu2024cleanvid"]),
    ("similar to AdaShield", "related", ["chen2024bathe"]),
]


@pytest.mark.parametrize(("question", "kind", "ids"), QUESTIONS, ids=[q for q, _k, _i in QUESTIONS])
def test_question_answers_exact_ids(fixture_graph, question: str, kind: str, ids: list[str]) -> None:
    reply = ask(fixture_graph, question)
    assert reply.query.kind == kind
    assert reply.ids == ids
    assert reply.headline.startswith(reply.understood) and reply.headline.endswith(reply.count)


def test_understood_line_names_subtrees(fixture_graph) -> None:
    reply = ask(fixture_graph, "which defenses cover backdoors in VLMs")
    assert reply.headline == "defenses countering backdoor (+ 1 subtype) on vlm (+ 1 subtype): 1 paper"
    reply = ask(fixture_graph, "what counters jailbreak")
    assert reply.headline == "defense types and defenses countering jailbreak: 2 defense types and 2 papers"


def test_bathe_mentions_backdoor_but_counters_jailbreak(fixture_graph) -> None:
    title = fixture_graph.nodes["chen2024bathe"]["title"]
    assert "Backdoor" in title
    assert "chen2024bathe" not in ask(fixture_graph, "defenses against backdoors on VLMs").ids
    assert "chen2024bathe" not in ask(fixture_graph, "what counters backdoor").ids
    assert "chen2024bathe" in ask(fixture_graph, "defenses against jailbreak on VLMs").ids


def test_case_plural_hyphen_and_filler_do_not_matter(fixture_graph) -> None:
    base = ask(fixture_graph, "defenses against backdoor on vlm").ids
    for variant in (
        "DEFENSES AGAINST BACKDOORS ON VLMS",
        "Which known defenses exist against the backdoor in VLMs?",
        "defenses countering Backdoor on Vision-Language Models",
        "show me all defense methods covering trojans for LVLMs",
    ):
        assert ask(fixture_graph, variant).ids == base, variant
    assert words("Energy-Latency attacks") == words("energy latency attacks")


def test_longest_alias_wins(fixture_graph) -> None:
    # "multimodal LLM" is one alias of vlm: "LLM" inside it must not read as the llm family
    query = parse("attacks on multimodal LLMs", fixture_graph)
    assert query.models == ["vlm"]


# ---------------------------------------------------------------- empty answers name what is nearest


def test_empty_answer_on_a_subfamily_names_the_parent_and_defense_types(fixture_graph) -> None:
    reply = ask(fixture_graph, "defenses against jailbreak on video-llm")
    assert reply.ids == []
    assert reply.headline == "defenses countering jailbreak on video-llm: 0 papers"
    assert reply.nearest[0] == (
        "nearest: defenses countering jailbreak on vlm (+ 1 subtype): wang2024adashield, chen2024bathe"
    )
    assert "defense types that counter jailbreak in general: inference-alignment, safety-alignment" in reply.nearest


def test_empty_answer_reveals_the_gap(fixture_graph) -> None:
    reply = ask(fixture_graph, "defenses against jailbreak on diffusion models")
    assert reply.ids == []
    assert reply.nearest == [
        "nearest: defenses countering jailbreak on vlm (+ 1 subtype): wang2024adashield, chen2024bathe",
        "defense types that counter jailbreak in general: inference-alignment, safety-alignment",
        "gap: 1 attack paper on dm x jailbreak (smith2023ringjail) and no defense paper",
    ]


def test_empty_attack_answer_names_the_neighbouring_family(fixture_graph) -> None:
    reply = ask(fixture_graph, "jailbreak attacks on GPT-4")
    assert reply.ids == [] and reply.query.models == ["llm"]
    assert reply.nearest[0] == "nearest: jailbreak attacks on dm: smith2023ringjail"


def test_empty_author_answer_suggests_the_nearest_name(fixture_graph) -> None:
    reply = ask(fixture_graph, "papers by Yu Wong")
    assert reply.ids == [] and reply.nearest == ["did you mean: Yu Wang?"]


def test_no_gap_says_so(fixture_graph) -> None:
    reply = ask(fixture_graph, "gaps for VLMs")
    assert reply.ids == [] and reply.nearest[0].startswith("no gap")


# ---------------------------------------------------------------- unreadable questions


@pytest.mark.parametrize("question", ["hello world", "what is the meaning of life", "", "?!", "related to nobody"])
def test_nothing_recognisable_is_unreadable(fixture_graph, question: str) -> None:
    with pytest.raises(Unreadable) as info:
        parse(question, fixture_graph)
    assert info.value.message


@pytest.mark.parametrize(
    ("question", "word", "fixed"),
    [
        ("defenses against jailbrake", "jailbreak", "defenses against jailbreak"),
        ("attacks on difusion models", "diffusion", "attacks on diffusion models"),
        ("Defenses against backdor on VLMs", "backdoor", "Defenses against backdoor on VLMs"),
    ],
)
def test_misspelt_word_gets_did_you_mean(fixture_graph, question: str, word: str, fixed: str) -> None:
    with pytest.raises(Unreadable) as info:
        parse(question, fixture_graph)
    assert any(f"did you mean '{word}'" in s for s in info.value.suggestions)
    assert f'did you mean: "{fixed}"' in info.value.suggestions


def test_counters_without_attack_is_unreadable(fixture_graph) -> None:
    with pytest.raises(Unreadable):
        ask(fixture_graph, "what counters")


def test_unknown_words_that_matter_little_are_reported_not_fatal(fixture_graph) -> None:
    reply = ask(fixture_graph, "defenses against backdoor on VLMs zxqv")
    assert reply.ids == ["liu2024cleanvid"] and reply.query.ignored == ["zxqv"]


# ---------------------------------------------------------------- extended knowledge base

EXTRA: dict[str, str] = {
    "taxonomy/models/vlp.yaml": """
        id: vlp
        name: Vision-language pre-training models
        aliases: [CLIP, OpenCLIP]
        description: Contrastively pre-trained image-text encoders.
    """,
    "taxonomy/models/agent.yaml": """
        id: agent
        name: Agents
        aliases: [AI agent]
        description: Models that act through tools and environments.
    """,
    "taxonomy/models/llm-agent.yaml": """
        id: llm-agent
        name: LLM agents
        parent: agent
        aliases: [LLM agent, language agent]
        description: Agents driven by a language model.
    """,
    "taxonomy/attacks/energy-latency.yaml": """
        id: energy-latency
        name: Energy-latency attacks
        aliases: [sponge example]
        description: Inputs that make a model spend more compute.
        phase: inference
    """,
    "taxonomy/attacks/prompt-injection.yaml": """
        id: prompt-injection
        name: Prompt injection
        description: Instructions smuggled into the input override the intended task.
        phase: inference
    """,
    "taxonomy/attacks/indirect-prompt-injection.yaml": """
        id: indirect-prompt-injection
        name: Indirect prompt injection
        parent: prompt-injection
        description: Injected instructions arrive through retrieved or tool content.
        phase: inference
    """,
    "taxonomy/defenses/agent-defense.yaml": """
        id: agent-defense
        name: Agent defenses
        description: Runtime checks around an agent's tools and memory.
        phase: inference
        counters: [prompt-injection]
    """,
    "taxonomy/defenses/detection.yaml": """
        id: detection
        name: Attack detection
        aliases: [jailbreak detection, trojan detection]
        description: Telling attacked inputs or models apart from clean ones.
        phase: inference
        counters: [jailbreak, backdoor]
    """,
    "papers/2024/xu2024jaildetect.yaml": """
        id: xu2024jaildetect
        title: Spotting Jailbreak Images Before the Model Answers
        authors: [Lin Xu]
        year: 2024
        date: 2024-05
        venue: arXiv
        models: [vlm]
        contribution: [defense]
        defenses: [detection]
        counters: [jailbreak]
        sources: [contributor]
        status: auto
        added: 2026-11-23
    """,
    "papers/2023/li2023trojandetect.yaml": """
        id: li2023trojandetect
        title: Finding Trojaned Language Models from Their Outputs
        authors: [Min Li]
        year: 2023
        venue: ACL
        models: [llm]
        contribution: [defense]
        defenses: [detection]
        counters: [backdoor]
        sources: [contributor]
        status: auto
        added: 2026-11-23
    """,
    "papers/2021/shumailov2021sponge.yaml": """
        id: shumailov2021sponge
        title: "Sponge Examples: Energy-Latency Attacks on Neural Networks"
        authors: [Ilia Shumailov, Yiren Zhao]
        year: 2021
        venue: EuroS&P
        links: {arxiv: "2006.03463"}
        models: [llm]
        contribution: [attack]
        attacks: [energy-latency]
        sources: [contributor]
        status: auto
        added: 2026-11-23
    """,
    "papers/2024/gao2024clipfool.yaml": """
        id: gao2024clipfool
        title: Fooling Contrastive Image-Text Encoders with Patches
        authors: [Hui Gao]
        year: 2024
        venue: CVPR
        models: [vlp]
        contribution: [attack]
        attacks: [adversarial]
        sources: [contributor]
        status: auto
        added: 2026-11-23
    """,
    "papers/2024/zhan2024injecagent.yaml": """
        id: zhan2024injecagent
        title: "InjecAgent: Benchmarking Indirect Prompt Injections in Tool-Integrated LLM Agents"
        authors: [Qiusi Zhan, Daniel Kang]
        year: 2024
        venue: ACL
        models: [llm-agent]
        contribution: [attack]
        attacks: [indirect-prompt-injection]
        sources: [contributor]
        status: auto
        added: 2026-11-23
    """,
}


def write_extended_kb(target: Path) -> Path:
    """The fixture knowledge base plus EXTRA, in target."""
    shutil.copytree(FIXTURE_KB, target)
    for rel, text in EXTRA.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def extended_graph(tmp_path_factory):
    root = write_extended_kb(tmp_path_factory.mktemp("extended") / "kb")
    graph, problems = load_graph(root, use_cache=False)
    assert problems == [], problems
    return graph


EXTENDED: list[tuple[str, str, list[str]]] = [
    ("energy-latency attacks", "attacks", ["shumailov2021sponge"]),
    ("energy latency attacks on LLMs", "attacks", ["shumailov2021sponge"]),
    ("sponge examples", "papers", ["shumailov2021sponge"]),
    ("attacks on CLIP", "attacks", ["gao2024clipfool"]),
    ("adversarial attacks on OpenCLIP", "attacks", ["gao2024clipfool"]),
    ("attacks on LLM agents", "attacks", ["zhan2024injecagent"]),  # longest match: not the llm family
    ("attacks on LLMs", "attacks", ["shumailov2021sponge"]),  # llm-agent is not under llm
    ("prompt injection attacks on agents", "attacks", ["zhan2024injecagent"]),  # both subtrees
    ("papers at EuroS&P", "papers", ["shumailov2021sponge"]),
    (
        "gaps for agents",
        "gaps",
        [
            "agent:prompt-injection",
            "agent:indirect-prompt-injection",
            "llm-agent:prompt-injection",
            "llm-agent:indirect-prompt-injection",
        ],
    ),
    ("what counters indirect prompt injection", "counters", ["agent-defense"]),
    # an alias made of an attack term and a term of the same defense carries both
    ("jailbreak detection", "defenses", ["xu2024jaildetect"]),
    ("trojan detection", "defenses", ["li2023trojandetect"]),
    ("detection defenses", "defenses", ["xu2024jaildetect", "li2023trojandetect"]),
    # grouped by defense type (tree order), newest first inside a group
    ("how to detect backdoors", "defenses", ["li2023trojandetect", "liu2024cleanvid", "kim2023purify"]),
]


@pytest.mark.parametrize(("question", "kind", "ids"), EXTENDED, ids=[q for q, _k, _i in EXTENDED])
def test_extended_questions(extended_graph, question: str, kind: str, ids: list[str]) -> None:
    reply = ask(extended_graph, question)
    assert (reply.query.kind, reply.ids) == (kind, ids)


def test_counters_with_types_but_no_paper_still_answers(extended_graph) -> None:
    reply = ask(extended_graph, "what counters indirect prompt injection on LLM agents")
    assert reply.groups[0].ids == ["agent-defense"]
    assert reply.count == "1 defense type and 0 papers"
