"""The one venue table: the lists' spellings (normalise_venue) and long names (short_venue)."""

import pytest

from safetykb.importer.text import unescape
from safetykb.metadata.venues import VENUES, known_venue, normalise_venue, short_venue


@pytest.mark.parametrize(
    ("raw", "venue", "note"),
    [
        ("NeurIPS", "NeurIPS", None),
        ("Neurips Workshop", "NeurIPS", "Workshop"),
        ("NeurIPS Workshop", "NeurIPS", "Workshop"),
        ("ICML Oral", "ICML", "Oral"),
        ("ICLR Spotlight", "ICLR", "Spotlight"),
        ("ICCV AROW", "ICCV", "AROW"),
        ("EMNLP Findings", "EMNLP", "Findings"),
        ("Findings of ACL", "ACL", "Findings"),
        ("CVPR", "CVPR", None),
        ("ACL", "ACL", None),
        ("USENIX Security", "USENIX Security", None),
        ("IEEE S&P", "IEEE S&P", None),
        ("IEEE S\\&P", "IEEE S&P", None),
        ("ACM SIGSAC CCS", "CCS", None),
        ("SIGSAC", "CCS", None),
        ("AAAI Workshop", "AAAI", "Workshop"),
        ("arXiv preprint arXiv:2106.04169", "arXiv", None),
        ("arXiv", "arXiv", None),
        ("IEEE Transactions on Information Forensics and Security", "IEEE TIFS", None),
        ("TIFS", "IEEE TIFS", None),
        ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "IEEE TPAMI", None),
        ("International Journal of Computer Vision", "IJCV", None),
        ("MM", "ACM MM", None),
        ("ACM MM", "ACM MM", None),
        ("TOSEM", "ACM TOSEM", None),
    ],
)
def test_known_venues(raw, venue, note):
    assert normalise_venue(unescape(raw))[:2] == (venue, note)
    assert normalise_venue(unescape(raw))[2] is None


def test_not_a_venue_is_dropped_with_warning():
    assert normalise_venue("2024")[:2] == (None, None)
    assert "year" in normalise_venue("2024")[2]
    venue, _, warn = normalise_venue("based on available information from Moonlight review")
    assert venue is None and "does not name a venue" in warn


def test_unknown_venue_kept_and_reported():
    venue, note, warn = normalise_venue("FooConf")
    assert (venue, note) == ("FooConf", None) and "not in the venue table" in warn


def test_table_aliases_are_unique():
    seen = {}
    for canon, venue in VENUES.items():
        for alias in venue.spellings:
            assert seen.setdefault(alias.lower(), canon) == canon, alias


@pytest.mark.parametrize(
    ("text", "venue", "note"),
    [
        ("Advances in Neural Information Processing Systems 36", "NeurIPS", None),
        ("Findings of the Association for Computational Linguistics: EMNLP 2024", "EMNLP", "Findings"),
        ("Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "CVPR", None),
        ("ICLR 2024 Workshop on Reliable and Responsible Foundation Models", "ICLR", "Workshop"),
        ("arXiv preprint arXiv:2401.00001", "arXiv", None),
        ("Transactions on Machine Learning Research", "TMLR", None),
        ("Journal of Obscure Studies", "Journal of Obscure Studies", None),
    ],
)
def test_long_venue_names(text, venue, note):
    assert short_venue(text) == (venue, note)


def test_long_and_list_readers_agree_on_every_pattern_venue():
    """Each venue with a long-name pattern is found by its own short name in both readers."""
    for short, venue in VENUES.items():
        if venue.pattern and short != "arXiv":
            assert known_venue(short) == short, short
            assert normalise_venue(short)[:2] == (short, None), short
