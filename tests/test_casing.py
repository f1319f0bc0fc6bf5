"""The casing table (safetykb/metadata/casing.yaml): every entry's origin holds, and re-casing is precise."""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml

from safetykb.metadata.casing import TABLE, load_terms, miscased, recase
from tests.helpers import REPO


@cache
def _records() -> dict[str, dict]:
    found = {}
    for path in [*REPO.glob("taxonomy/*/*.yaml"), *REPO.glob("papers/*/*.yaml")]:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        found[data["id"]] = data
    return found


TERMS = load_terms()


@pytest.mark.parametrize("term", TERMS, ids=[t.term for t in TERMS])
def test_every_term_is_spelled_so_where_the_table_says(term) -> None:
    """`seen` names a record whose name, aliases, title or method spell the term exactly; else a note says
    where the spelling comes from."""
    if term.seen is None:
        assert term.note and len(term.note) > 20
        return
    record = _records()[term.seen]
    texts = [record.get("name"), record.get("title"), record.get("method"), *(record.get("aliases") or [])]
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(term.term)}(?![A-Za-z0-9])")
    assert any(isinstance(t, str) and pattern.search(t) for t in texts), (term.term, term.seen)


def test_table_is_one_entry_per_term() -> None:
    lows = [t.term.lower() for t in TERMS]
    assert len(lows) == len(set(lows))
    assert {"LLM", "LLMs", "VLM", "MLLM", "CLIP", "RAG", "GUI", "SQL", "MCP", "AI", "BadCLIP", "PoisonedRAG",
            "AgentDojo"} <= {t.term for t in TERMS}


@pytest.mark.parametrize(("title", "expected"), [
    ("Badclip: backdoor attacks on clip", "BadCLIP: backdoor attacks on CLIP"),
    ("Evil geniuses: Delving into the safety of llm-based agents",
     "Evil geniuses: Delving into the safety of LLM-based agents"),
    ("Prompt infection: Llm-to-llm prompt injection", "Prompt infection: LLM-to-LLM prompt injection"),
    ("Ali-agent: Assessing llms' alignment", "Ali-agent: Assessing LLMs' alignment"),
    ("Agent security bench (asb): attacks", "Agent security bench (ASB): attacks"),
    ("Agent-safetybench: Evaluating the safety", "Agent-SafetyBench: Evaluating the safety"),
    ("Blip-2 beats blip", "BLIP-2 beats BLIP"),
    ("Mace: Mass concept erasure", "MACE: Mass concept erasure"),
])
def test_recase_fixes_listed_terms(title: str, expected: str) -> None:
    assert recase(title) == expected
    assert not miscased(expected)


@pytest.mark.parametrize("title", [
    "Hiding a trigger in a video clip",        # an exception phrase: no CLIP
    "Hit the attacker with a mace",            # a head-only name elsewhere in the title
    "Mace and shield: a mace: b",              # not the lead name before a colon
    "GenAI and LLaMA: words not in the table",
    "Jailbreaking LLMs with RAG in GUI agents",
    "Gradient clipping and llms2 are other words",
])
def test_recase_leaves_other_words_alone(title: str) -> None:
    assert recase(title) == title and miscased(title) == []


def test_miscased_lists_each_wrong_spelling_in_order() -> None:
    assert miscased("Poisonedrag: rag and llm and LLM") == [("Poisonedrag", "PoisonedRAG"), ("rag", "RAG"),
                                                           ("llm", "LLM")]


def test_repository_titles_spell_every_term_right() -> None:
    """Done when: no title spells a term of the casing table in the wrong case."""
    wrong = {rid: miscased(r["title"]) for rid, r in _records().items() if "title" in r and miscased(r["title"])}
    assert not wrong


def test_malformed_table_is_refused(tmp_path) -> None:
    bad = tmp_path / "casing.yaml"
    bad.write_text("- term: LLM\n", encoding="utf-8")
    with pytest.raises(ValueError, match="neither where it is `seen` nor a `note`"):
        load_terms(bad)
    assert TABLE.name == "casing.yaml"
