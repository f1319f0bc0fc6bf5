"""The JSON export's `metadata`: what the data is, its version, its licences and the pinned sources it came from.

The licences are the project's own (`LICENSE` for the code, `LICENSE-DATA.md` for the data; a
test checks that both files say what is written here). Each source's repository, commit, date and
licence come from `sources.yaml` through `safetykb.importer.sources`, never from a second table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safetykb import __version__
from safetykb.core.queries import Graph
from safetykb.importer.sources import load_sources

#: The checkout whose sources.yaml and licence files describe the data (the knowledge base root may differ).
CHECKOUT = Path(__file__).resolve().parents[2]
TITLE = "safetykb: the Large-Model Safety Knowledge Base"
DATA_LICENSE = {"name": "CC BY-NC 4.0", "url": "https://creativecommons.org/licenses/by-nc/4.0/",
                "file": "LICENSE-DATA.md"}
CODE_LICENSE = {"name": "MIT", "file": "LICENSE"}
ATTRIBUTION = ("Data from safetykb, the Large-Model Safety Knowledge Base, licensed CC BY-NC 4.0; it includes "
               "material from Awesome-LVLM-Safety (CC BY-NC 4.0) and from Awesome-Large-Model-Safety "
               "(MIT, Copyright (c) 2025 Xingjun Ma). See LICENSE-DATA.md.")


def metadata(graph: Graph) -> dict[str, Any]:
    """Title, version, the newest record date, licences, attribution and each source with its paper count."""
    papers = [data for _node, data in graph.nodes(data=True) if data.get("kind") == "paper"]
    added = [str(p["added"]) for p in papers if p.get("added")]
    sources = []
    for source in load_sources(CHECKOUT).values():
        sources.append({"name": source.name, "title": source.title, "repository": source.repository,
                        "url": source.url, "commit": source.commit, "date": source.date,
                        "license": source.license, "license_url": source.license_url,
                        "companion_of": source.companion_of,
                        "papers": sum(1 for p in papers if source.name in (p.get("sources") or []))})
    return {"title": TITLE, "version": __version__, "updated": max(added, default=None),
            "license": {"data": DATA_LICENSE, "code": CODE_LICENSE}, "attribution": ATTRIBUTION,
            "sources": sources}
