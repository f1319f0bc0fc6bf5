"""Author names: `Person(given, family)` and the 'Given Family' split shared by the importer and add_paper."""

from __future__ import annotations

from dataclasses import dataclass

#: Lowercase name particles that belong to the family name ('Bob van der Berg' -> family 'van der Berg').
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "du", "dos",
                       "ter", "zu"})


@dataclass(frozen=True)
class Person:
    """An author: given names and family name (family may be the only part)."""

    given: str
    family: str

    def display(self) -> str:
        """'Given Family', the record form."""
        return f"{self.given} {self.family}".strip()


def split_given_family(name: str) -> Person:
    """'Given Family' -> Person; lowercase particles before the last word join the family name."""
    parts = name.split()
    if not parts:
        return Person("", "")
    if len(parts) == 1:
        return Person("", parts[0])
    i = len(parts) - 1
    while i > 1 and parts[i - 1] in PARTICLES:
        i -= 1
    return Person(" ".join(parts[:i]), " ".join(parts[i:]))
