"""The package's own share of a site build, timed in a fresh process: `python -m safetykb.bench.stages ROOT`.

Prints one JSON object: seconds to import the package, to load and validate
the records, to build the graph and to generate the site pages, plus record,
page and problem counts. This is everything
the package does before mkdocs renders pages, measured the way a build meets
it (a new interpreter, nothing cached).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def measure(root: Path) -> dict[str, Any]:
    start = time.perf_counter()
    from safetykb.core.graph import build_graph
    from safetykb.core.validation import load_and_validate
    from safetykb.site.build import generate

    out: dict[str, Any] = {"import_seconds": time.perf_counter() - start}
    start = time.perf_counter()
    result = load_and_validate(root)
    out["load_validate_seconds"] = time.perf_counter() - start
    out["records"] = len(result.kb)
    out["papers"] = len(result.kb.papers)
    out["problems"] = len(result.problems)
    start = time.perf_counter()
    graph = build_graph(result.kb)
    out["graph_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    site = generate(graph)
    out["pages_seconds"] = time.perf_counter() - start
    out["pages"] = len(site.pages)
    return out


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]).resolve())))
