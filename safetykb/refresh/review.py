"""The review of a refresh, in Markdown: a table of every field change (record, field, old -> new, source),
the records left as they were and why (ambiguous, rejected, nothing found, failed), and counts.

The same text goes to the terminal and, in the weekly workflow, into the pull request's description,
where the table renders and the diff below it is the review.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from safetykb.refresh.answers import NONE
from safetykb.refresh.plan import AMBIGUOUS, STATUSES, Change, Outcome

#: Why a recorded answer was rejected, by the opening words of the matching rule's reason.
REASONS = (("title differs", "title differs"), ("no author family", "no shared author"),
           ("year ", "year too far"), ("the evidence", "evidence does not back the id"))


def cell(value: Any) -> str:
    """A value as one table cell: lists joined, nothing as an em dash, pipes escaped."""
    if value is None or value == [] or value == "":
        return "—"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def table(changes: list[Change]) -> list[str]:
    lines = ["| record | field | old → new | source |", "|---|---|---|---|"]
    for c in changes:
        source = cell(c.source) + (f" (withheld: {cell(c.withheld)})" if c.withheld else "")
        lines.append(f"| {cell(c.record)} | {cell(c.field)} | {cell(c.old)} → {cell(c.new)} | {source} |")
    return lines


def item_counts(outcomes: list[Outcome]) -> tuple[Counter[str], Counter[str]]:
    """For recorded answers: items accepted, ambiguous, rejected, none; and rejections by reason."""
    items: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for outcome in outcomes:
        for verdict in outcome.verdicts:
            if not verdict.answer.recorded:
                continue
            if verdict.answer.source == NONE:
                items["none"] += 1
            elif not verdict.accepted:
                items["rejected"] += 1
                for reason in verdict.reasons:
                    reasons[next((label for start, label in REASONS if reason.startswith(start)), reason)] += 1
            elif outcome.status == AMBIGUOUS:
                items["ambiguous"] += 1
            else:
                items["accepted"] += 1
    return items, reasons


def render(outcomes: list[Outcome], references: list[Change], *, dry_run: bool, mode: str,
           looked_up: bool = True) -> str:
    """The whole review as Markdown."""
    changes = [c for o in outcomes for c in o.changes] + references
    out = [f"## Metadata refresh ({mode})", ""]
    if changes:
        out += table(changes)
    else:
        out.append("No field changes.")
    left = [o for o in outcomes if o.status not in ("changed", "unchanged") or o.notes]
    if left:
        out += ["", "### Records to look at", ""]
        for o in left:
            notes = "; ".join(o.notes) or "no source answered"
            out.append(f"- `{o.record}` **{o.status}**: {cell(notes)}")
    counts = Counter(o.status for o in outcomes)
    out += ["", "### Summary", "",
            f"- {len(outcomes)} record{'s' if len(outcomes) != 1 else ''} looked at: "
            + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s]) if outcomes else "- no record looked at"]
    applied = sum(1 for c in changes if not c.withheld)
    withheld = sum(1 for c in changes if c.withheld)
    out.append(f"- {applied} field change{'s' if applied != 1 else ''}"
               + (f", {withheld} withheld (reviewed records; --force applies them)" if withheld else ""))
    if looked_up:
        out.append(f"- lookups that found nothing: {counts['missing'] + counts['none']} "
                   f"({counts['missing']} no acceptable match, {counts['none']} recorded as none); "
                   f"{counts['failed']} failed")
    items, reasons = item_counts(outcomes)
    if items:
        out.append("- recorded answers: " + ", ".join(f"{items[k]} {k}" for k in ("accepted", "ambiguous",
                                                                                   "rejected", "none") if items[k])
                   + (" (rejected: " + ", ".join(f"{n} {r}" for r, n in reasons.most_common()) + ")" if reasons
                      else ""))
    renamed = [o for o in outcomes if o.new_record is not None and o.new_id != o.record]
    if renamed:
        out.append("- renamed (old addresses redirect): " + ", ".join(f"{o.record} → {o.new_id}" for o in renamed))
    out += ["", "Dry run: nothing written." if dry_run else ""]
    return "\n".join(out).rstrip() + "\n"
