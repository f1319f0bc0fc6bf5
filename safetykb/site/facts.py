"""The facts block of a record page (label/value rows as a definition list) and the links to a record's file."""

from __future__ import annotations

from safetykb.site.context import SiteContext
from safetykb.site.text import esc, ext_anchor


def facts_list(rows: list[tuple[str, str]]) -> str:
    """Label/value rows as a definition list: two columns on a wide screen, stacked on a phone (HTML values)."""
    items = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows)
    return f'<dl class="kb-facts">{items}</dl>\n'


def record_file_links(context: SiteContext, path: str) -> str:
    """The record's file name, linked to the repository, and an "Edit this record" link, when the site knows
    its repository (SAFETYKB_REPO_URL)."""
    shown = f"<code>{esc(path)}</code>"
    view, edit = context.file_url(path), context.edit_url(path)
    if view:
        shown = ext_anchor(shown, view)
    if edit:
        shown += " · " + ext_anchor("Edit this record", edit, "kb-edit")
    return shown
