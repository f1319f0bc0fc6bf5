"""The licences: LICENSE (code) and LICENSE-DATA.md (data) say what the JSON export's metadata says, name every
source of sources.yaml with its licence and survey (a vendored source with its pinned commit, folder and upstream
files), and carry the MIT list's notice exactly as its pinned LICENSE has it."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter

from safetykb.export.formats import to_json
from safetykb.export.metadata import ATTRIBUTION, CODE_LICENSE, DATA_LICENSE
from safetykb.importer.sources import load_sources
from tests.helpers import REPO, seed_lists

DATA_TEXT = (REPO / "LICENSE-DATA.md").read_text(encoding="utf-8")


def test_code_licence_is_mit_in_license_and_pyproject() -> None:
    assert (REPO / CODE_LICENSE["file"]).read_text(encoding="utf-8").startswith(f"{CODE_LICENSE['name']} License\n")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # PEP 639: the licence is an SPDX expression (a string, not the old `{text = ...}` table), and a
    # `License ::` classifier beside it is an error for the build backends.
    assert project["license"] == CODE_LICENSE["name"]
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]


def _section(heading: str) -> str:
    """The text of LICENSE-DATA.md from a heading to the next heading."""
    start = DATA_TEXT.index(heading) + len(heading)
    end = DATA_TEXT.find("\n#", start)
    return DATA_TEXT[start:] if end < 0 else DATA_TEXT[start:end]


def test_data_licence_file_names_the_licence_and_every_source() -> None:
    assert (REPO / DATA_LICENSE["file"]).is_file()
    assert f"## The data is licensed {DATA_LICENSE['name']}" in DATA_TEXT and DATA_LICENSE["url"] in DATA_TEXT
    for source in load_sources(REPO).values():
        heading = f"### {source.title} ({source.license})"
        assert heading in DATA_TEXT, f"LICENSE-DATA.md: no section for {source.name}"
        assert f"https://github.com/{source.repository}" in DATA_TEXT, source.name
        assert f"`{source.name}`" in DATA_TEXT, f"LICENSE-DATA.md does not say how records name {source.name}"
        section = _section(heading)
        arxiv = re.search(r"arXiv (\d{4}\.\d{4,5})", source.companion_of)
        assert arxiv and f"arXiv:{arxiv.group(1)}" in section, f"LICENSE-DATA.md, {source.name}: cite the survey"


def test_vendored_sources_are_attributed_at_their_pinned_commit() -> None:
    vendored = [s for s in load_sources(REPO).values() if s.vendored]
    assert vendored, "sources.yaml has no vendored source: this test no longer checks anything"
    for source in vendored:
        section = _section(f"### {source.title} ({source.license})")
        assert f"`{source.commit}`" in section, f"LICENSE-DATA.md, {source.name}: name the pinned commit"
        assert f"`{source.vendored}/`" in section, f"LICENSE-DATA.md, {source.name}: name the folder it is kept in"
        for path in source.origin_files:
            assert f"`{path}`" in section, f"LICENSE-DATA.md, {source.name}: name the upstream file {path}"


def test_mit_notice_of_the_large_model_list_is_kept_verbatim() -> None:
    upstream = (seed_lists() / "awesome-large-model-safety" / "LICENSE").read_text(encoding="utf-8").strip()
    assert f"```text\n{upstream}\n```" in DATA_TEXT
    copyright_line = next(line for line in upstream.splitlines() if line.startswith("Copyright"))
    assert copyright_line in ATTRIBUTION


def test_json_export_metadata_has_licences_and_pinned_sources(fixture_graph) -> None:
    meta = json.loads(to_json(fixture_graph))["metadata"]
    assert meta["license"] == {"data": DATA_LICENSE, "code": CODE_LICENSE}
    assert meta["attribution"] == ATTRIBUTION and meta["version"]
    papers = [d for _n, d in fixture_graph.nodes(data=True) if d["kind"] == "paper"]
    assert meta["updated"] == max(str(p["added"]) for p in papers)
    pinned = load_sources(REPO)
    assert [s["name"] for s in meta["sources"]] == list(pinned)
    counts = Counter(name for p in papers for name in p["sources"])
    for entry in meta["sources"]:
        source = pinned[entry["name"]]
        assert (entry["repository"], entry["commit"], entry["license"]) == (source.repository, source.commit,
                                                                            source.license)
        assert entry["papers"] == counts[entry["name"]]
