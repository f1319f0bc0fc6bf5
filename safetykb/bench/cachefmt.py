"""The query cache's format against the pickle it replaced: `python -m safetykb.bench.cachefmt ROOT`.

In a fresh process, on a knowledge base whose cache is current (the query tool ran), prints one JSON
object: seconds to read the cache as the query tool does (sealed JSON, then the graph and its indices
made from it: `json_load_seconds`) and to write it (`json_write_seconds`), and the same graph with its
indices pickled and unpickled as the old cache did (`pickle_dump_seconds`, `pickle_load_seconds`, with
the cycle collector off as it had it), with the sizes of both. Each timing is the fastest of three.
"""

from __future__ import annotations

import gc
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any


def _best(action: Any) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(3):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        value = action()
        best = min(best, time.perf_counter() - start)
        gc.enable()
    return best, value


def measure(root: Path) -> dict[str, Any]:
    from safetykb.core import snapshot
    from safetykb.core.snapshot import Snapshot, scan
    from safetykb.query import cache

    def load() -> Any:
        snap = Snapshot.read(root, extra=True)
        assert snap is not None and "graph" in snap.extra, "no current cache: run scripts/query.py first"
        return snap, cache.graph_of(snap.knowledge_base(root), snap.extra["graph"])

    json_load, (snap, graph) = _best(load)
    listing = scan(root, snap)
    result = snapshot.current_result(root, snap, listing)
    extra = {"graph": cache.graph_data(graph, snap.extra["graph"]["edges"])}
    json_write, _ = _best(lambda: snapshot.write(root, result, listing, extra=extra))
    json_bytes = snapshot.cache_file(root).stat().st_size + snapshot.extra_file(root).stat().st_size
    graph.graph.pop("_words", None)  # the old cache had no such memo
    pickle_dump, data = _best(lambda: pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
    pickle_load, _ = _best(lambda: pickle.loads(data))
    return {"json_load_seconds": json_load, "json_write_seconds": json_write, "json_bytes": json_bytes,
            "pickle_load_seconds": pickle_load, "pickle_dump_seconds": pickle_dump, "pickle_bytes": len(data)}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]).resolve())))
