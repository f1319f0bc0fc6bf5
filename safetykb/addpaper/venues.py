"""Short venue names from the long ones found in BibTeX, Crossref and arXiv journal references.

`short_venue(text)` returns (venue, note) with the DESIGN's short names (`NeurIPS`,
`CVPR`, `arXiv`) when the venue is known, and the text as written otherwise.
"""

from __future__ import annotations

import re

#: (short name, pattern searched in the lowercased venue text). First match wins: specific before general.
VENUES: tuple[tuple[str, str], ...] = (
    ("arXiv", r"^(arxiv|corr)\b|arxiv preprint"),
    ("NeurIPS", r"\bneurips\b|\bnips\b|neural information processing systems"),
    ("ICLR", r"\biclr\b|learning representations"),
    ("ICML", r"\bicml\b|international conference on machine learning"),
    ("COLM", r"\bcolm\b|conference on language model"),
    ("CVPR", r"\bcvpr\b|computer vision and pattern recognition"),
    ("ICCV", r"\biccv\b|international conference on computer vision"),
    ("ECCV", r"\beccv\b|european conference on computer vision"),
    ("WACV", r"\bwacv\b|winter conference on applications of computer vision"),
    ("AAAI", r"\baaai\b"),
    ("IJCAI", r"\bijcai\b|international joint conference on artificial intelligence"),
    ("EMNLP", r"\bemnlp\b|empirical methods in natural language processing"),
    ("NAACL", r"\bnaacl\b|north american chapter of the association for computational linguistics"),
    ("ACL", r"\bacl\b|annual meeting of the association for computational linguistics"),
    ("ACM MM", r"\bacm mm\b|acm international conference on multimedia|^acm multimedia"),
    ("USENIX Security", r"usenix security"),
    ("IEEE S&P", r"symposium on security and privacy|\bieee s&p\b"),
    ("CCS", r"\bccs\b|computer and communications security"),
    ("NDSS", r"\bndss\b|network and distributed system security"),
    ("SaTML", r"\bsatml\b|secure and trustworthy machine learning"),
    ("IEEE TPAMI", r"\btpami\b|pattern analysis and machine intelligence"),
    ("IEEE TIFS", r"\btifs\b|information forensics and security"),
    ("IEEE TDSC", r"\btdsc\b|dependable and secure computing"),
    ("IEEE TIP", r"transactions on image processing"),
    ("IJCV", r"\bijcv\b|international journal of computer vision"),
    ("TMLR", r"\btmlr\b|transactions on machine learning research"),
    ("JMLR", r"\bjmlr\b|journal of machine learning research"),
)

_NOTES = (("Findings", r"\bfindings\b"), ("Workshop", r"\bworkshops?\b"))


def short_venue(text: str) -> tuple[str, str | None]:
    """(venue, venue_note): a known venue's short name with 'Findings'/'Workshop' as the note,
    else the text as written (whitespace collapsed) and no note."""
    plain = " ".join(text.split())
    low = plain.lower()
    for short, pattern in VENUES:
        if re.search(pattern, low):
            if short == "arXiv":
                return short, None
            note = next((n for n, p in _NOTES if re.search(p, low)), None)
            return short, note
    return plain, None


def known_venue(text: str) -> str | None:
    """The short name of a known venue named in text, or None."""
    low = " ".join(text.split()).lower()
    return next((short for short, pattern in VENUES if re.search(pattern, low)), None)
