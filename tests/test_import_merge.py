"""Merging entries of the same paper across and within lists."""

import random
import time

from safetykb.importer import LARGE_MODEL_LIST, LVLM_LIST
from safetykb.importer.merge import merge
from safetykb.importer.model import Entry, Person
from safetykb.importer.text import norm_title, title_key


def E(lst, line, title, **kw):
    kw.setdefault("authors", [Person("A", "Author")])
    return Entry(list=lst, path=f"{lst}.md", line=line, title=title, **kw)


def test_norm_title():
    assert norm_title("Ab-using Images") == norm_title("Abusing images")
    assert norm_title("Google&#39;s Bard") == "googles bard"
    assert title_key("Vision Language Models") == title_key("Vision-Language Models")
    assert title_key("(Ab) using images") == title_key("Abusing Images")


def test_merge_by_arxiv_title_and_fuzzy_keeps_every_fact():
    entries = [
        E(LVLM_LIST, 5, "Alpha: A Study", arxiv="2305.00001", date="2023-05-26", year=2023,
          venue="arXiv", code="https://github.com/a/b", affiliations=["X University"],
          authors=[Person("Alice", "Smith"), Person("Bob", "Jones")]),
        E(LARGE_MODEL_LIST, 10, "alpha: a study (renamed later)", arxiv="2305.00001", date="2023-05",
          year=2023, venue="CVPR", authors=[Person("Alice", "Smith")]),
        E(LARGE_MODEL_LIST, 20, "Ab-using Things for Fun", venue="ICLR", year=2024),
        E(LVLM_LIST, 9, "Abusing Things for Fun", date="2024-01-02", year=2024, venue="arXiv"),
        E(LARGE_MODEL_LIST, 30, "A Very Long Title About Robust Alignment of Models", year=2024),
        E(LARGE_MODEL_LIST, 40, "A Very Long Title About Robust Alignmnet of Models", year=2024),
    ]  # fmt: skip
    res = merge(entries)
    assert len(res.papers) == 3
    alpha, abusing, long = res.papers
    assert alpha.title == "Alpha: A Study"  # the LVLM list wins
    assert alpha.authors == [Person("Alice", "Smith"), Person("Bob", "Jones")]
    assert (alpha.venue, alpha.date, alpha.year, alpha.arxiv) == ("CVPR", "2023-05-26", 2023, "2305.00001")
    assert alpha.url == "https://arxiv.org/abs/2305.00001" and alpha.code == "https://github.com/a/b"
    assert alpha.affiliations == ["X University"]
    assert alpha.sources == [LVLM_LIST, LARGE_MODEL_LIST]
    assert abusing.venue == "ICLR" and abusing.date == "2024-01-02"
    assert [e.line for e in long.entries] == [30, 40]
    assert long.sources == [LARGE_MODEL_LIST]


def test_fuzzy_titles_with_different_arxiv_ids_are_not_merged():
    res = merge(
        [
            E(
                LARGE_MODEL_LIST,
                1,
                "Twin Paper One: Robust Alignment for Vision Language Models",
                arxiv="2402.00011",
            ),
            E(
                LARGE_MODEL_LIST,
                5,
                "Twin Paper One: Robust Alignment for Vision Language Model",
                arxiv="2402.00012",
            ),
        ]
    )
    assert len(res.papers) == 2
    assert len(res.possible_duplicates) == 1


def test_one_arxiv_id_pasted_on_an_unrelated_paper():
    res = merge(
        [
            E(
                LVLM_LIST,
                1,
                "Heuristic Risk Distribution Jailbreak",
                arxiv="2412.05934",
                date="2024-12-08",
                authors=[Person("Teng", "Ma")],
            ),
            E(
                LVLM_LIST,
                5,
                "Stealthy Backdoor in Vision Encoders",
                arxiv="2412.05934",
                date="2025-02-25",
                authors=[Person("Zhaoyi", "Liu")],
            ),
        ]
    )
    assert len(res.papers) == 2
    kept = {p.title: p.arxiv for p in res.papers}
    assert kept == {
        "Heuristic Risk Distribution Jailbreak": "2412.05934",
        "Stealthy Backdoor in Vision Encoders": None,
    }
    assert any("2412.05934" in w for w in res.warnings)


def test_retitled_paper_with_shared_author_is_merged():
    res = merge(
        [
            E(
                LVLM_LIST,
                1,
                "JailGuard: A Detection Framework",
                arxiv="2312.10766",
                authors=[Person("Xiaoyu", "Zhang")],
            ),
            E(
                LARGE_MODEL_LIST,
                5,
                "A mutation-based method for detection",
                arxiv="2312.10766",
                authors=[Person("Xiaoyu", "Zhang")],
            ),
        ]
    )
    assert len(res.papers) == 1


def test_reworded_subtitle_same_first_author_is_merged():
    lvlm = E(LVLM_LIST, 3, "An Image Is Worth 1000 Lies: Adversarial Transferability across Prompts on VLMs",
             arxiv="2403.09766", year=2024, authors=[Person("Haochen", "Luo"), Person("Jindong", "Gu")])
    lms = E(LARGE_MODEL_LIST, 8, "An Image Is Worth 1000 Lies: Transferability of Adversarial Images across Prompts",
            year=2024, venue="ICLR", authors=[Person("Haochen", "Luo")])
    other_author = E(LARGE_MODEL_LIST, 9, "An Image Is Worth 1000 Lies: Something Else", year=2024,
                     authors=[Person("Ann", "Other")])
    short_head = [
        E(LARGE_MODEL_LIST, 20, "BadCLIP: Trigger-Aware Prompt Learning", year=2024, authors=[Person("J", "Bai")]),
        E(LARGE_MODEL_LIST, 21, "BadCLIP: Dual-Embedding Guided Backdoor Attack", year=2024,
          authors=[Person("J", "Bai")]),
    ]
    far_years = [
        E(LARGE_MODEL_LIST, 30, "Towards Robust Agents Everywhere: A Survey", year=2021, authors=[Person("A", "Wu")]),
        E(LARGE_MODEL_LIST, 31, "Towards Robust Agents Everywhere: New Benchmarks and Methods", year=2024,
          authors=[Person("A", "Wu")]),
    ]
    other_ids = [
        E(LARGE_MODEL_LIST, 40, "Safety Tuning At Scale: Study", arxiv="2401.00001", authors=[Person("B", "Li")]),
        E(LVLM_LIST, 41, "Safety Tuning At Scale: Follow-up", arxiv="2405.00002", authors=[Person("B", "Li")]),
    ]
    res = merge([lvlm, lms, other_author, *short_head, *far_years, *other_ids])
    assert len(res.papers) == 8
    luo = next(p for p in res.papers if p.arxiv == "2403.09766")
    assert [e.line for e in luo.entries] == [3, 8] and luo.venue == "ICLR"
    assert luo.title == lvlm.title  # the LVLM list wins
    assert any("merged differently worded titles" in w for w in res.warnings)


def test_within_list_duplicate():
    res = merge([E(LVLM_LIST, 1, "HoliSafe: X"), E(LVLM_LIST, 90, "HoliSafe: X")])
    assert len(res.papers) == 1 and len(res.papers[0].entries) == 2


def test_blocking_scales():
    rng = random.Random(7)
    words = [f"w{i}" for i in range(3000)]
    entries = [E(LARGE_MODEL_LIST, i, " ".join(rng.choice(words) for _ in range(8)), year=2024) for i in range(6000)]
    entries.append(E(LARGE_MODEL_LIST, 99999, entries[10].title + "s", year=2024))  # a near-duplicate
    start = time.perf_counter()
    res = merge(entries)
    assert time.perf_counter() - start < 10
    assert len(res.papers) == 6000
