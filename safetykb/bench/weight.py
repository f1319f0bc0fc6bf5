"""Page weight (DESIGN 7): the bytes a reader's browser fetches for the home page, then for a first search.

`python -m safetykb.bench.weight SITE_DIR` serves a built site with a plain static
server (no compression, as DESIGN 7 counts) on 127.0.0.1, opens the home page in
headless Chromium (Debian's, via Playwright) and adds up every response it loads;
then it opens the search, types QUERY and adds up what the search loads (the
Pagefind script, its WebAssembly, the index chunks and the result fragments).
Prints one JSON object: home_page_bytes, first_search_bytes, the query, the
number of results shown, and the largest files of each.
"""

from __future__ import annotations

import functools
import http.server
import json
import socketserver
import sys
import threading
from pathlib import Path
from typing import Any

QUERY = "jailbreak"
CHROMIUM = Path("/usr/bin/chromium")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def measure(site: Path, query: str = QUERY) -> dict[str, Any]:
    """Bytes of the home page with everything it loads, and of the first search typed into it."""
    from playwright.sync_api import sync_playwright

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    loaded: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()

            def record(response: Any) -> None:
                size = response.headers.get("content-length")
                loaded.append((response.url.replace(base, "/"), int(size) if size else len(response.body())))

            page.on("response", record)
            page.goto(base)
            page.wait_for_load_state("networkidle")
            home = list(loaded)
            loaded.clear()
            page.locator("[data-kb-search-open]").click()
            page.locator("#kb-q-header").press_sequentially(query, delay=25)
            results = page.locator("[data-kb-search-dialog] .kb-search__item")
            results.first.wait_for(timeout=30000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            search = list(loaded)
            shown = results.count()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    def top(rows: list[tuple[str, int]]) -> list[list[Any]]:
        return [[url, size] for url, size in sorted(rows, key=lambda r: -r[1])[:5]]

    return {"home_page_bytes": sum(s for _u, s in home), "first_search_bytes": sum(s for _u, s in search),
            "query": query, "results_shown": shown, "home_requests": len(home), "search_requests": len(search),
            "home_largest": top(home), "search_largest": top(search)}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]).resolve(), *(sys.argv[2:3]))))
