"""Venue normalisation: raw venue strings of both lists -> (venue, venue_note).

The table ``VENUES`` maps a canonical short name to the spellings seen in the
seed lists (compared case-insensitively, after HTML/LaTeX unescaping). Notes such
as Oral, Spotlight, Workshop, Findings or a workshop acronym (AROW) go to
``venue_note``. Unknown venues are kept as written and reported.
"""

from __future__ import annotations

import re

from safetykb.importer.text import unescape

VENUES: dict[str, list[str]] = {
    "arXiv": ["arxiv", "arxiv preprint", "corr"],
    # machine learning / vision / language conferences
    "NeurIPS": ["neurips", "nips", "advances in neural information processing systems"],
    "ICLR": ["iclr", "international conference on learning representations"],
    "ICML": ["icml", "international conference on machine learning"],
    "COLM": ["colm", "conference on language modeling"],
    "AAAI": ["aaai"],
    "IJCAI": ["ijcai"],
    "CVPR": ["cvpr"],
    "ICCV": ["iccv"],
    "ECCV": ["eccv"],
    "WACV": ["wacv"],
    "ACL": ["acl"],
    "EMNLP": ["emnlp"],
    "NAACL": ["naacl"],
    "ACM MM": ["acm mm", "mm", "acm multimedia"],
    "ICASSP": ["icassp"],
    "ICME": ["icme"],
    "ICRA": ["icra"],
    "SIGIR": ["sigir"],
    "PAKDD": ["pakdd"],
    "PRCV": ["prcv"],
    "MICCAI": ["miccai"],
    "ICIC": ["icic"],
    "ICIS": ["icis"],
    "IEEE BigData": ["bigdata", "ieee bigdata"],
    "FAccT": ["facct", "acm facct"],
    "MobiCom": ["mobicom", "acm mobicom"],
    # security and software engineering
    "USENIX Security": ["usenix security", "usenix"],
    "IEEE S&P": ["ieee s&p", "s&p", "ieee symposium on security and privacy", "oakland"],
    "IEEE SPW": ["ieee spw", "spw"],
    "CCS": ["ccs", "acm ccs", "acm sigsac ccs", "sigsac", "acm sigsac"],
    "NDSS": ["ndss"],
    "SaTML": ["satml"],
    "AISec": ["aisec"],
    "ICSE": ["icse"],
    "ESEC/FSE": ["esec/fse", "fse"],
    "MTD": ["mtd"],
    # workshops that are their own venue
    "TrustNLP": ["trustnlp"],
    "WOAH": ["woah"],
    "TiFA": ["tifa"],
    "NFAML": ["nfaml"],
    # journals
    "IEEE TIFS": ["ieee tifs", "tifs", "ieee transactions on information forensics and security"],
    "IEEE TPAMI": ["tpami", "ieee tpami", "ieee transactions on pattern analysis and machine intelligence"],
    "IEEE TIP": ["ieee tip", "tip", "ieee transactions on image processing"],
    "IEEE TMM": ["ieee tmm", "tmm", "ieee transactions on multimedia"],
    "IEEE TDSC": ["ieee tdsc", "tdsc", "ieee transactions on dependable and secure computing"],
    "ACM TOSEM": ["tosem", "acm tosem", "acm transactions on software engineering and methodology"],
    "ACM CSUR": ["acm computing surveys", "csur"],
    "IJCV": ["ijcv", "international journal of computer vision"],
    "JAIR": ["jair", "journal of artificial intelligence research"],
    "Information Sciences": ["information sciences"],
    "Security and Communication Networks": ["security and communication networks"],
}

_LOOKUP: dict[str, str] = {}
for _canon, _aliases in VENUES.items():
    for _alias in [_canon, *_aliases]:
        _LOOKUP[_alias.lower()] = _canon

# Words that are notes rather than part of a venue name.
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


def _clean(raw: str) -> str:
    text = unescape(raw).strip().strip("*").strip()
    return re.sub(r"\s+", " ", text)


def normalise_venue(raw: str) -> tuple[str | None, str | None, str | None]:
    """Return (venue, venue_note, warning) for a raw venue string.

    ``venue`` is None when the string names no venue (a bare year, a remark);
    ``warning`` then says why, as it does for a venue missing from the table.
    """
    text = _clean(raw)
    if not text:
        return None, None, "empty venue"
    low = text.lower()
    if low.startswith("arxiv") or low.startswith("corr"):
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
            note = NOTES.get(rest.lower(), rest)
            return _LOOKUP[base], note, None
    if len(text) > 40 or " " in text and not any(c.isupper() for c in text):
        return None, None, f"venue {text!r} does not name a venue; dropped"
    return text, None, f"venue {text!r} not in the venue table; kept as written"
