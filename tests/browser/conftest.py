"""Browser test fixtures: the fixture site built once, served on 127.0.0.1, and Debian's headless Chromium."""

from __future__ import annotations

import functools
import http.server
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site_kb import built_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(which: str) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(built_site(which)))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """Base URL of the built fixture site (fixture KB + FigStep + a hostile record), served on a free port."""
    yield from _serve("fixture")


@pytest.fixture(scope="session")
def renamed_url() -> Iterator[str]:
    """Base URL of the fixture site after scripts/refresh.py renamed a record (tests/site_kb.make_renamed_kb)."""
    yield from _serve("renamed")


@pytest.fixture(scope="session")
def real_url() -> Iterator[str]:
    """Base URL of the site built from the real knowledge base of this checkout."""
    yield from _serve("real")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("browser tests need Debian's chromium at /usr/bin/chromium: apt-get install chromium "
                    "(make chromium does it); they never skip", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_tab(browser: object, width: int = 1280, height: int = 900, scheme: str = "light") -> tuple[object, object]:
    """A new context and page that record console errors, page errors and dialogs, and allow only local
    requests; `scheme` is the emulated prefers-color-scheme (Material picks its palette from it)."""
    context = browser.new_context(viewport={"width": width, "height": height},  # type: ignore[attr-defined]
                                  color_scheme=scheme)
    tab = context.new_page()
    tab.console_errors = []
    tab.dialogs = []
    tab.foreign = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))

    def on_dialog(dialog: object) -> None:
        tab.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    tab.on("dialog", on_dialog)

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            tab.foreign.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    return context, tab


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A desktop-sized page (1280 x 900)."""
    context, tab = open_tab(browser)
    yield tab
    context.close()


@pytest.fixture()
def phone(browser: object) -> Iterator[object]:
    """A phone-sized page (390 x 844, the width of a current iPhone)."""
    context, tab = open_tab(browser, 390, 844)
    yield tab
    context.close()
