"""Venue normalisation table."""

import pytest

from safetykb.importer.venues import VENUES, normalise_venue


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
    assert normalise_venue(raw)[:2] == (venue, note)
    assert normalise_venue(raw)[2] is None


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
    for canon, aliases in VENUES.items():
        for alias in aliases:
            assert seen.setdefault(alias.lower(), canon) == canon, alias
