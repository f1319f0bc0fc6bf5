"""Unit tests for safetykb.core.duplicates: the same paper by arXiv id, DOI, title or near-identical title."""

from __future__ import annotations

from safetykb.core.duplicates import (
    PaperIndex,
    arxiv_key,
    doi_key,
    find_duplicates,
    near_identical,
    normalise_title,
    valid_arxiv,
    valid_doi,
)


def test_normalised_titles_ignore_case_punctuation_hyphens_and_entities() -> None:
    assert normalise_title("(Ab)using Images &amp; Sounds") == normalise_title("Abusing images & sounds")
    assert normalise_title("Vision-Language") == normalise_title("vision language")
    assert normalise_title("Café") == "cafe"


def test_arxiv_and_doi_keys() -> None:
    assert arxiv_key("https://arxiv.org/abs/2311.05608v3") == "2311.05608"
    assert arxiv_key("arXiv:2311.05608") == "2311.05608"
    assert doi_key("https://doi.org/10.1145/ABC") == "10.1145/abc"
    assert valid_arxiv("2311.05608") and valid_arxiv("hep-th/9901001") and not valid_arxiv("2311.5608")
    assert valid_doi("10.1109/CVPR52729.2023.01234") and not valid_doi("doi-1234")


def test_near_identical_titles() -> None:
    a = normalise_title("Purifying Backdoored Language Models")
    assert near_identical(a, normalise_title("Purifying Backdoored Languge Models"))
    assert not near_identical(a, normalise_title("Purifying Backdoored Vision Models"))


def test_index_finds_each_kind_of_duplicate() -> None:
    index = PaperIndex([
        ("a2024x", {"title": "Alpha Attacks on Models", "links": {"arxiv": "2401.00001", "doi": "10.1/X"}}),
    ])
    assert index.find({"title": "Other", "links": {"arxiv": "2401.00001v2"}}).earlier == "a2024x"
    assert index.find({"title": "Other", "links": {"doi": "10.1/x"}}).reason == "the same DOI 10.1/x"
    assert index.find({"title": "alpha attacks on models!"}).reason == "the same title"
    assert index.find({"title": "Alpha Atacks on Models"}).reason == "a near-identical title"
    assert index.find({"title": "Beta Defenses"}) is None
    assert index.find({"title": "Alpha Atacks on Models", "not_duplicate_of": ["a2024x"]}) is None


def test_find_duplicates_reports_the_later_record() -> None:
    found = find_duplicates([("p1", {"title": "Same"}), ("p2", {"title": "Different"}), ("p3", {"title": "same"})])
    assert [(d.earlier, d.later, d.field) for d in found] == [("p1", "p3", "title")]
