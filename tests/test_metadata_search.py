"""The title searches' answer readers (arXiv, Crossref, OpenAlex), retries, and the matching rules."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from safetykb.metadata.fetch import FetchError, Refused, get, retry_wait
from safetykb.metadata.matching import family_keys, judge
from safetykb.metadata.model import Metadata
from safetykb.metadata.people import Person
from safetykb.metadata.search import (
    Searcher,
    parse_arxiv_search,
    parse_crossref_search,
    parse_openalex_search,
    title_words,
)
from tests.helpers import REPO

RECORDED = REPO / "tests" / "fixtures" / "refresh"


def body(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def test_arxiv_search_reads_every_entry_with_its_first_version() -> None:
    found = parse_arxiv_search(body("arxiv-two-candidates.xml"))
    assert [(m.arxiv, m.date, m.first_version) for m in found] == [("2305.00031", "2023-05-03", True),
                                                                    ("2306.00032", "2023-06-07", True)]
    (match,) = parse_arxiv_search(body("arxiv-match.xml"))
    assert match.title == "Stealthy Clean-label Backdoors for Diffusion Models"  # the wrapped line joined
    assert [p.display() for p in match.authors] == ["Eve Lee", "Yu Wang", "Tom Fixture"]
    assert match.source == "arxiv" and match.where == "arXiv 2308.00011"
    assert parse_arxiv_search(body("arxiv-empty.xml")) == []
    with pytest.raises(FetchError, match="malformed search answer \\(not XML"):
        parse_arxiv_search(body("arxiv-malformed.xml"))


def test_crossref_search_reads_venue_and_edition_year() -> None:
    iccv, unrelated = parse_crossref_search(body("crossref-match.json"))
    assert (iccv.doi, iccv.venue, iccv.venue_year, iccv.first_version) == ("10.1109/iccv51070.2023.00011", "ICCV",
                                                                         2023, False)
    assert unrelated.venue == "Journal of Fixture Studies"  # kept as written; refresh only takes table venues
    (eccv,) = parse_crossref_search(body("crossref-reviewed.json"))  # LNCS first, the conference second
    assert (eccv.venue, eccv.venue_year) == ("ECCV", 2024)
    (mm,) = parse_crossref_search(body("crossref-venue.json"))
    assert (mm.venue, mm.venue_year) == ("ACM MM", 2024)  # the event's year
    assert parse_crossref_search(body("crossref-empty.json")) == []
    with pytest.raises(FetchError, match="no list of `items`"):
        parse_crossref_search(b'{"message": {"total-results": 0}}')


def test_openalex_search_reads_ids_from_doi_and_locations() -> None:
    (work,) = parse_openalex_search(body("openalex-match.json"))
    assert (work.doi, work.arxiv, work.venue, work.authors_complete) == ("10.1109/iccv51070.2023.00011",
                                                                         "2308.00011", None, True)
    (preprint,) = parse_openalex_search(body("openalex-year-change.json"))
    assert (preprint.doi, preprint.arxiv, preprint.where) == (None, "2312.00021", "OpenAlex W4000000021")
    assert parse_openalex_search(body("openalex-empty.json")) == []
    with pytest.raises(FetchError, match="not JSON"):
        parse_openalex_search(body("openalex-malformed.json"))
    cut = b'{"results": [{"title": "T", "publication_year": 2024, "is_authors_truncated": true, ' \
          b'"authorships": [{"author": {"display_name": "A B"}}]}]}'
    assert parse_openalex_search(cut)[0].authors_complete is False


def test_title_words_keep_letters_and_digits() -> None:
    assert title_words('Ab-using "Images": GPT-4V, (really)?') == "Ab using Images GPT 4V really"


class Busy(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(429)
        self.send_header("Retry-After", "2")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def busy() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/x"
    httpd.shutdown()
    httpd.server_close()


def test_http_429_gives_up_after_the_retries(busy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    waits: list[float] = []
    with pytest.raises(FetchError, match=r"HTTP 429 Too Many Requests after 3 tries: it is busy"):
        get(busy, 5, "application/json", retries=2, sleep=waits.append)
    assert waits == [2.0, 2.0]


def test_a_service_that_keeps_refusing_is_not_asked_again(busy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("SAFETYKB_OPENALEX_API", busy.removesuffix("/x"))
    searcher = Searcher(retries=1, delays={}, sleep=lambda _s: None)
    with pytest.raises(Refused, match="HTTP 429"):
        searcher.search("openalex", "A title", "Doe")
    asked = searcher.requests
    with pytest.raises(FetchError, match="^not asked: .*HTTP 429.*earlier in this run"):
        searcher.search("openalex", "Another title", "Roe")
    assert searcher.requests == asked


def test_retry_after_is_read_and_capped() -> None:
    assert retry_wait("7") == 7.0 and retry_wait(None) == 5.0 and retry_wait("3600") == 60.0
    assert retry_wait("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: go on now
    assert retry_wait("soon") == 5.0


def meta(title: str, families: list[str], year: int, **kw) -> Metadata:
    return Metadata(title=title, authors=[Person("X", f) for f in families], year=year, where="test", **kw)


RECORD = {"title": "Stealthy Clean-Label Backdoors for Diffusion Models", "authors": ["Eve Lee", "Yu Wang"],
          "year": 2023}


def test_matching_accepts_the_same_paper() -> None:
    assert judge(RECORD, meta("Stealthy clean-label backdoors for diffusion models.", ["Wang"], 2024)).accepted
    assert judge(RECORD, meta("Stealthy Clean Label Backdoors for Diffusion Models", ["LEE"], 2022)).accepted


@pytest.mark.parametrize(("candidate", "reason"), [
    (meta("Stealthy Clean-Label Backdoors for Video Diffusion Models", ["Lee"], 2023), "title differs"),
    (meta("Stealthy Clean-Label Backdoors", ["Lee"], 2023), "title differs"),
    (meta(RECORD["title"], ["Leer", "Wong"], 2023), "no author family name in common (Leer, Wong)"),
    (meta(RECORD["title"], ["Lee"], 2021), "year 2021 is more than 1 from 2023"),
    (meta(RECORD["title"], ["Lee"], 2026, date="2025-12-01"), "year 2025/2026 is more than 1 from 2023"),
])
def test_matching_rejects_with_the_reason(candidate: Metadata, reason: str) -> None:
    verdict = judge(RECORD, candidate)
    assert not verdict.accepted and verdict.reasons == [reason]


def test_family_keys_fold_accents_and_particles() -> None:
    assert family_keys(["Jörg van der Berg"]) == {"vanderberg", "berg"}
    assert family_keys([Person("Ana", "Pérez")]) == {"perez"}
