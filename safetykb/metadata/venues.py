"""Venues: one table of short names, the spellings the seed lists use and the long names of
BibTeX, Crossref and arXiv journal references.

`VENUES` maps each short name of DESIGN section 2 (`NeurIPS`, `CVPR`, `arXiv`) to a `Venue`: the
exact spellings seen in the lists (compared case-insensitively) and, where a long form exists, a
pattern searched in long venue texts. Two readers share it:

- `normalise_venue(text)` for the lists' short venue strings: exact spellings, a base venue
  followed by notes ("ICML Oral", "ICCV AROW", "Findings of ACL"), years and remarks dropped,
  unknown venues kept as written and reported;
- `short_venue(text)` / `known_venue(text)` for long names ("Advances in Neural Information
  Processing Systems"): the first venue whose pattern is found, in table order (specific first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Venue:
    spellings: tuple[str, ...] = ()  # exact, lowercase, as the lists write them
    pattern: str | None = None  # searched in lowercased long venue texts


_V = Venue
#: Short name -> spellings and long-name pattern. Order matters for `short_venue`: specific before general.
VENUES: dict[str, Venue] = {
    "arXiv": _V(("arxiv", "arxiv preprint", "corr"), r"^(arxiv|corr)\b|arxiv preprint"),
    # machine learning / vision / language conferences
    "NeurIPS": _V(("neurips", "nips", "advances in neural information processing systems"),
                  r"\bneurips\b|\bnips\b|neural information processing systems"),
    "ICLR": _V(("iclr", "international conference on learning representations"), r"\biclr\b|learning representations"),
    "ICML": _V(("icml", "international conference on machine learning"),
               r"\bicml\b|international conference on machine learning"),
    "COLM": _V(("colm", "conference on language modeling"), r"\bcolm\b|conference on language model"),
    "CVPR": _V(("cvpr",), r"\bcvpr\b|computer vision and pattern recognition"),
    "ICCV": _V(("iccv",), r"\biccv\b|international conference on computer vision"),
    "ECCV": _V(("eccv",), r"\beccv\b|european conference on computer vision"),
    "WACV": _V(("wacv",), r"\bwacv\b|winter conference on applications of computer vision"),
    "AAAI": _V(("aaai",), r"\baaai\b"),
    "IJCAI": _V(("ijcai",), r"\bijcai\b|international joint conference on artificial intelligence"),
    "EMNLP": _V(("emnlp",), r"\bemnlp\b|empirical methods in natural language processing"),
    "NAACL": _V(("naacl",), r"\bnaacl\b|north american chapter of the association for computational linguistics"),
    "ACL": _V(("acl",), r"\bacl\b|annual meeting of the association for computational linguistics"),
    "ACM MM": _V(("acm mm", "mm", "acm multimedia"),
                 r"\bacm mm\b|acm international conference on multimedia|^acm multimedia"),
    # security and software engineering
    "USENIX Security": _V(("usenix security", "usenix"), r"usenix security"),
    "IEEE S&P": _V(("ieee s&p", "s&p", "ieee symposium on security and privacy", "oakland"),
                   r"symposium on security and privacy|\bieee s&p\b"),
    "CCS": _V(("ccs", "acm ccs", "acm sigsac ccs", "sigsac", "acm sigsac"),
              r"\bccs\b|computer and communications security"),
    "NDSS": _V(("ndss",), r"\bndss\b|network and distributed system security"),
    "ACSAC": _V(("acsac",), r"\bacsac\b|annual computer security applications conference"),
    "SaTML": _V(("satml",), r"\bsatml\b|secure and trustworthy machine learning"),
    # journals
    "IEEE TPAMI": _V(("tpami", "ieee tpami", "ieee transactions on pattern analysis and machine intelligence"),
                     r"\btpami\b|pattern analysis and machine intelligence"),
    "IEEE TIFS": _V(("ieee tifs", "tifs", "ieee transactions on information forensics and security"),
                    r"\btifs\b|information forensics and security"),
    "IEEE TDSC": _V(("ieee tdsc", "tdsc", "ieee transactions on dependable and secure computing"),
                    r"\btdsc\b|dependable and secure computing"),
    "IEEE TIP": _V(("ieee tip", "tip", "ieee transactions on image processing"),
                   r"\bieee tip\b|transactions on image processing"),
    "IJCV": _V(("ijcv", "international journal of computer vision"),
               r"\bijcv\b|international journal of computer vision"),
    "TMLR": _V(("tmlr", "transactions on machine learning research"),
               r"\btmlr\b|transactions on machine learning research"),
    "JMLR": _V(("jmlr", "journal of machine learning research"), r"\bjmlr\b|journal of machine learning research"),
    # venues known by their spelling in the lists only
    "ICASSP": _V(("icassp",)),
    "ICME": _V(("icme",)),
    "ICRA": _V(("icra",)),
    "SIGIR": _V(("sigir",)),
    "PAKDD": _V(("pakdd",)),
    "PRCV": _V(("prcv",)),
    "MICCAI": _V(("miccai",)),
    "ICIC": _V(("icic",)),
    "ICIS": _V(("icis",)),
    "IEEE BigData": _V(("bigdata", "ieee bigdata")),
    "FAccT": _V(("facct", "acm facct")),
    "MobiCom": _V(("mobicom", "acm mobicom")),
    "IEEE SPW": _V(("ieee spw", "spw")),
    "AISec": _V(("aisec",)),
    "ICSE": _V(("icse",)),
    "ESEC/FSE": _V(("esec/fse", "fse")),
    "MTD": _V(("mtd",)),
    "TrustNLP": _V(("trustnlp",)),
    "WOAH": _V(("woah",)),
    "TiFA": _V(("tifa",)),
    "NFAML": _V(("nfaml",)),
    "IEEE TMM": _V(("ieee tmm", "tmm", "ieee transactions on multimedia")),
    "ACM TOSEM": _V(("tosem", "acm tosem", "acm transactions on software engineering and methodology")),
    "ACM CSUR": _V(("acm computing surveys", "csur")),
    "JAIR": _V(("jair", "journal of artificial intelligence research")),
    "Information Sciences": _V(("information sciences",)),
    "Patterns": _V(("patterns", "cell patterns")),
    "Security and Communication Networks": _V(("security and communication networks",)),
}

_LOOKUP: dict[str, str] = {}
for _short, _venue in VENUES.items():
    for _spelling in (_short.lower(), *_venue.spellings):
        _LOOKUP[_spelling] = _short

#: Words that are notes rather than part of a venue name (lowercase -> as written in venue_note).
NOTES = {
    "oral": "Oral",
    "spotlight": "Spotlight",
    "poster": "Poster",
    "workshop": "Workshop",
    "workshops": "Workshop",
    "findings": "Findings",
    "highlight": "Highlight",
    "best paper": "Best Paper",
}
_LONG_NOTES = (("Findings", r"\bfindings\b"), ("Workshop", r"\bworkshops?\b"))


def normalise_venue(text: str) -> tuple[str | None, str | None, str | None]:
    """(venue, venue_note, warning) for a list's venue string (already free of HTML and LaTeX escapes).

    `venue` is None when the string names no venue (a bare year, a remark); `warning` then says why,
    as it does for a venue missing from the table.
    """
    text = re.sub(r"\s+", " ", text.strip().strip("*").strip())
    if not text:
        return None, None, "empty venue"
    low = text.lower()
    if low.startswith(("arxiv", "corr")):
        return "arXiv", None, None
    if re.fullmatch(r"\d{4}", text):
        return None, None, f"venue {text!r} is a year, not a venue; dropped"
    m = re.fullmatch(r"findings of (?:the )?(.+)", low)
    if m and m.group(1) in _LOOKUP:
        return _LOOKUP[m.group(1)], "Findings", None
    if low in _LOOKUP:
        return _LOOKUP[low], None, None
    # base venue followed by notes: "NeurIPS Workshop", "ICML Oral", "ICCV AROW", "EMNLP Findings"
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        base = " ".join(words[:cut]).lower()
        if base in _LOOKUP:
            rest = " ".join(words[cut:])
            return _LOOKUP[base], NOTES.get(rest.lower(), rest), None
    if len(text) > 40 or " " in text and not any(c.isupper() for c in text):
        return None, None, f"venue {text!r} does not name a venue; dropped"
    return text, None, f"venue {text!r} not in the venue table; kept as written"


def known_venue(text: str) -> str | None:
    """The short name of the first known venue whose long-name pattern is found in text, or None."""
    low = " ".join(text.split()).lower()
    return next((short for short, v in VENUES.items() if v.pattern and re.search(v.pattern, low)), None)


def short_venue(text: str) -> tuple[str, str | None]:
    """(venue, venue_note) for a long venue text: a known venue's short name with 'Findings'/'Workshop'
    as the note, else the text as written (whitespace collapsed) and no note."""
    plain = " ".join(text.split())
    short = known_venue(plain)
    if short is None:
        return plain, None
    if short == "arXiv":
        return short, None
    low = plain.lower()
    return short, next((n for n, p in _LONG_NOTES if re.search(p, low)), None)
