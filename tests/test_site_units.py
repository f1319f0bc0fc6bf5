"""Small parts of the site package on their own: the site context's URLs, front matter and descriptions, what a
page tells the search index, wide tables, and the search index command's errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safetykb.site.context import SiteContext
from safetykb.site.search_index import SearchIndexError, index_site
from safetykb.site.search_marks import indexed, marks
from safetykb.site.tables import scroll_table
from safetykb.site.text import esc, front, summary_text


def test_context_builds_published_and_repository_urls() -> None:
    context = SiteContext(site_url="https://example.org/kb/", repo_url="https://github.com/o/r",
                          edit_uri="edit/main/")
    assert context.absolute("papers/x.md") == "https://example.org/kb/papers/x/"
    assert context.absolute("index.md") == "https://example.org/kb/"
    assert context.edit_url("papers/2023/x.yaml") == "https://github.com/o/r/edit/main/papers/2023/x.yaml"
    assert context.file_url("papers/2023/x.yaml") == "https://github.com/o/r/blob/main/papers/2023/x.yaml"
    bare = SiteContext()
    assert bare.absolute("papers/x.md") is None and bare.edit_url("x") is None and bare.file_url("x") is None
    assert SiteContext(site_url="https://e.org/", directory_urls=False).absolute("papers/x.md") == \
        "https://e.org/papers/x.html"


def test_front_matter_keeps_record_text_inert_and_valid_yaml() -> None:
    title = esc('He said "hi": <script>alert(1)</script> \\ #tag')
    text = front(title=title, description=esc(summary_text("word " * 100, 50)), hide=("toc",))
    data = yaml.safe_load(text.split("---")[1])
    assert "<script>" not in data["title"] and "&#60;script&#62;" in data["title"]
    assert data["description"].endswith("…") and len(data["description"]) <= 50
    assert data["hide"] == ["toc"]
    assert summary_text("short") == "short"


def test_search_marks_escape_record_text() -> None:
    block = marks("<b>Title</b>", "Paper", "Papers", [("venue", "<i>V</i>"), ("venue", "<i>V</i>"), ("year", "")],
                  meta=[("method", "M&M"), ("date", "")])
    assert "<b>" not in block and "&#60;b&#62;Title" in block
    assert block.count('data-pagefind-filter="venue"') == 1, "a value is filed once"
    assert 'data-pagefind-filter="year"' not in block and 'data-pagefind-meta="date"' not in block
    assert block.startswith('<div class="kb-marks" hidden data-pagefind-ignore>')
    assert indexed("# T\n\ntext").startswith('<div class="kb-indexed" data-pagefind-body markdown>')


def test_scroll_table_scopes_headers_and_names_its_box() -> None:
    html = scroll_table("Things", ["name", "n"], [["<a href='x'>A</a>", "1"]], "kb-x", numeric=(1,))
    assert '<div class="kb-scroll" role="region" aria-label="Things" tabindex="0">' in html
    assert '<th scope="col">name</th><th scope="col" class="kb-num">n</th>' in html
    assert "<tr><th scope=\"row\"><a href='x'>A</a></th><td class=\"kb-num\">1</td></tr>" in html


def test_index_site_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no index.html"):
        index_site(tmp_path)
