"""'Did you mean' suggestions for misspelt keys, ids and words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice nearest to word, or None when nothing is close enough."""
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """'; did you mean 'x'?' when a choice is close, else an empty string."""
    best = closest(word, choices, cutoff)
    return f"; did you mean '{best}'?" if best and best != word else ""
