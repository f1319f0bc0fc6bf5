"""Graph and query tests on the fixture knowledge base (tests/fixtures/kb): subtrees, aliases, matrix."""

from __future__ import annotations

import pytest

from safetykb.core import queries as q
from safetykb.core.graph import RELATIONS


def test_graph_has_every_record_and_typed_edges(fixture_graph) -> None:
    kinds = dict(fixture_graph.nodes(data="kind"))
    assert kinds["vlm"] == "model" and kinds["chen2024bathe"] == "paper" and kinds["advset"] == "dataset"
    assert len(kinds) == 24
    relations = {rel for _u, _v, rel in fixture_graph.edges(data="relation")}
    assert relations == set(RELATIONS)
    edges = {(u, v, rel) for u, v, rel in fixture_graph.edges(data="relation")}
    assert ("video-llm", "vlm", "subtype_of") in edges
    assert ("chen2024bathe", "jailbreak", "counters") in edges
    assert ("chen2024bathe", "safety-alignment", "proposes") in edges
    assert ("backdoor-removal", "backdoor", "counters") in edges
    assert ("bench2024mm", "mm-bench-safety", "introduces") in edges
    assert ("mm-bench-safety", "jailbreak", "evaluates") in edges
    assert ("liu2024cleanvid", "mm-bench-safety", "uses") in edges
    assert ("beta-vl-13b", "video-llm", "instance_of") in edges
    result = "bench2024mm-mm-bench-safety-typo"
    assert {(result, "bench2024mm", "reported_in"), (result, "mm-bench-safety", "measures"),
            (result, "alpha-vl-7b", "scores"), (result, "beta-vl-13b", "scores")} <= edges


def test_defenses_countering_backdoor_on_vlm_expands_both_subtrees(fixture_graph) -> None:
    answer = q.defenses_countering(fixture_graph, "backdoor", "vlm")
    # liu2024cleanvid counters clean-label-backdoor (a backdoor subtype) on video-llm (a vlm subtype);
    # kim2023purify counters backdoor on llm (another family); chen2024bathe says "backdoor" but counters jailbreak.
    assert answer.ids == ["liu2024cleanvid"]
    assert answer.understood == "defenses countering backdoor (+ 1 subtype) on vlm (+ 1 subtype)"


def test_aliases_resolve_like_ids(fixture_graph) -> None:
    assert q.defenses_countering(fixture_graph, "Trojans", "LVLM").ids == ["liu2024cleanvid"]
    assert q.resolve(fixture_graph, "multimodal-LLM", ["model"]) == "vlm"
    assert q.resolve(fixture_graph, "text to image", ["model"]) == "dm"


def test_attacks_on_dm(fixture_graph) -> None:
    assert q.attacks_on(fixture_graph, "dm").ids == ["lee2023stealthy", "smith2023ringjail"]
    assert q.attacks_on(fixture_graph, "Stable Diffusion", "backdoor").ids == ["lee2023stealthy"]
    assert q.attacks_on(fixture_graph, "dm", "clean-label-backdoor").understood == (
        "clean-label-backdoor attacks on dm")


def test_jailbreak_defenses_on_vlm_include_the_bathe_trap(fixture_graph) -> None:
    assert q.defenses_countering(fixture_graph, "jailbreak", "vlm").ids == ["wang2024adashield", "chen2024bathe"]


def test_unknown_terms_suggest_the_nearest(fixture_graph) -> None:
    with pytest.raises(q.UnknownTerm) as info:
        q.attacks_on(fixture_graph, "stable difusion")
    assert str(info.value) == "unknown model family 'stable difusion'; did you mean 'dm'?"
    with pytest.raises(q.UnknownTerm):
        q.defenses_countering(fixture_graph, "vlm")  # a model is not an attack type


def test_defense_types_countering_include_parents_counters(fixture_graph) -> None:
    assert q.defense_types_countering(fixture_graph, "clean-label-backdoor").ids == ["backdoor-removal"]
    assert q.defense_types_countering(fixture_graph, "jailbreak").ids == ["inference-alignment", "safety-alignment"]


def test_resources_for_attack_and_model(fixture_graph) -> None:
    assert q.resources_for(fixture_graph, "jailbreak", "vlm").ids == ["mm-bench-safety"]
    assert q.resources_for(fixture_graph, "jailbreak").ids == ["mm-bench-safety", "advset"]
    # kim2023purify (backdoor, llm) uses advset: found through the papers.
    assert q.resources_for(fixture_graph, "backdoor", "llm").ids == ["advset"]


def test_papers_by_author_venue_and_years(fixture_graph) -> None:
    assert q.papers_by(fixture_graph, author="Yu Wang").ids == ["wang2024adashield", "lee2023stealthy"]
    assert q.papers_by(fixture_graph, author="wang", since=2024).ids == ["wang2024adashield"]
    assert q.papers_by(fixture_graph, venue="neurips").ids == ["bench2024mm", "smith2023ringjail"]
    assert q.papers_by(fixture_graph, since=2023, until=2023).understood == "papers in 2023"
    assert len(q.papers_by(fixture_graph, until=2023).ids) == 3


def test_matrix_counts_and_gaps(fixture_graph) -> None:
    m = q.matrix(fixture_graph)
    cell = m.cell("vlm", "backdoor")
    assert cell.attacks == {"zhang2024trojvlm"} and cell.defenses == {"liu2024cleanvid"} and not cell.gap
    assert m.cell("dm", "backdoor").gap and m.cell("dm", "clean-label-backdoor").attacks == {"lee2023stealthy"}
    assert m.cell("vlm", "jailbreak").defenses == {"wang2024adashield", "chen2024bathe"}
    assert [model for model, _depth in m.models] == ["dm", "llm", "vlm", "video-llm"]
    assert q.gaps(fixture_graph) == [("dm", "backdoor", 1), ("dm", "clean-label-backdoor", 1), ("dm", "jailbreak", 1)]


def test_related_papers_with_reasons(fixture_graph) -> None:
    assert q.related(fixture_graph, "zhang2024trojvlm") == [
        ("liu2024cleanvid", "defends against backdoor on this family"),
    ]
    assert q.related(fixture_graph, "chen2024bathe") == [
        ("wang2024adashield", "also defends against jailbreak on this family"),
    ]
    assert q.related(fixture_graph, "bench2024mm") == [("liu2024cleanvid", "shares the mm-bench-safety benchmark")]


def test_tree_helpers(fixture_graph) -> None:
    assert q.subtree(fixture_graph, "backdoor") == {"backdoor", "clean-label-backdoor"}
    assert q.ancestors(fixture_graph, "video-llm") == ["vlm"]
    assert q.children(fixture_graph, "vlm") == ["video-llm"]


def test_related_per_reason_keeps_every_kind_of_relation(fixture_graph) -> None:
    everything = q.related(fixture_graph, "zhang2024trojvlm")
    assert q.related(fixture_graph, "zhang2024trojvlm", per_reason=1) == everything[:1]
    lee = q.related(fixture_graph, "lee2023stealthy")
    assert lee == []  # no other backdoor attack or defense on diffusion models in the fixture
    ada = q.related(fixture_graph, "wang2024adashield", per_reason=1, limit=5)
    assert ada == [("chen2024bathe", "also defends against jailbreak on this family")]
