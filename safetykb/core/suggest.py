"""'Did you mean' suggestions for misspelt keys, ids and words, and British spellings of the same word.

`closest` first accepts the word itself or its American spelling (`defence` -> `defense`,
`grey-box` -> `gray-box`), then the choice a single typo away, transposed letters included (`vml` ->
`vlm`, `LVML` -> `LVLM`: difflib's ratio scores a swap no better than unrelated letters and suggested
`vfm`), and only then difflib's nearest match above the cutoff.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: British spellings met in the vocabulary of the field, and the spelling the records use.
SPELLINGS: dict[str, str] = {
    "defence": "defense", "offence": "offense", "licence": "license", "grey": "gray",
    "behaviour": "behavior", "modelling": "modeling", "labelled": "labeled", "artefact": "artifact",
}


def american(word: str) -> str:
    """The word with the British spellings of SPELLINGS replaced (lowercase)."""
    text = word.lower()
    for british, us in SPELLINGS.items():
        text = text.replace(british, us)
    return text


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b; limit + 1 once over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = current[j - 1] + 1, previous[j] + 1, previous[j - 1] + (ca != cb)
            best = min(cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _typo_budget(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice nearest to word, or None when nothing is close enough."""
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    key = word.lower()
    for candidate in (key, american(key)):
        if candidate in lowered:
            return lowered[candidate]
    key = american(key)
    budget = _typo_budget(key)
    near = [(edit_distance(key, c, budget), c) for c in lowered if len(c) > 1]
    near = [(d, c) for d, c in near if d <= budget]
    if near:
        ratio = {c: difflib.SequenceMatcher(None, key, c).ratio() for _d, c in near}
        # fewest edits; then a word of the same length (two swapped letters beat a missing one); then difflib
        return lowered[min(near, key=lambda dc: (dc[0], abs(len(dc[1]) - len(key)), -ratio[dc[1]], dc[1]))[1]]
    found = difflib.get_close_matches(key, list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """'; did you mean 'x'?' when a choice is close, else an empty string."""
    best = closest(word, choices, cutoff)
    return f"; did you mean '{best}'?" if best and best != word else ""
