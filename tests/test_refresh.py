"""scripts/refresh.py end to end against a 127.0.0.1 server with recorded arXiv, Crossref and OpenAlex answers.

The fixture knowledge base (tests/fixtures/kb, copied per test) has five papers with neither arXiv id
nor DOI, each meeting one case of tests/fixtures/refresh/: lee2023stealthy is found by all three
services; bench2024mm's first version is a year earlier (rename, former_ids, references; OpenAlex
answers HTTP 429 once); smith2023ringjail has two arXiv candidates (ambiguous); kim2023purify has none
(and OpenAlex sends malformed JSON); liu2024cleanvid gets a malformed arXiv feed and a Crossref match at
another venue. wang2024adashield is a reviewed record.
"""

from __future__ import annotations

import http.server
import io
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from safetykb.core.validation import load_and_validate
from safetykb.metadata.model import Metadata
from safetykb.metadata.people import split_given_family
from safetykb.metadata.search import Searcher
from safetykb.refresh.answers import Answer, Lookup
from safetykb.refresh.cli import main
from safetykb.refresh.plan import plan_record
from tests.helpers import REPO, run_script

RECORDED = REPO / "tests" / "fixtures" / "refresh"
#: (words of the title asked for, file) per service; the first that occurs in the query wins.
ARXIV = [("Stealthy", "arxiv-match.xml"), ("Fixture Benchmark", "arxiv-year-change.xml"),
         ("Jailbreak Text", "arxiv-two-candidates.xml"), ("Purifying", "arxiv-no-match.xml"),
         ("Cleaning Trigger", "arxiv-malformed.xml"), ("AdaShield", "arxiv-reviewed.xml")]
ARXIV_IDS = {"2312.00021": "arxiv-year-change.xml"}
CROSSREF = [("Stealthy", "crossref-match.json"), ("Cleaning Trigger", "crossref-venue.json"),
            ("Purifying", "crossref-no-match.json"), ("AdaShield", "crossref-reviewed.json")]
OPENALEX = [("Stealthy", "openalex-match.json"), ("Fixture Benchmark", "openalex-year-change.json"),
            ("Purifying", "openalex-malformed.json")]
#: OpenAlex answers HTTP 429 (Retry-After: 1) to every other request for this title.
BUSY = "Fixture Benchmark"

TWIN = """\
id: doe2024twin
title: A Fixture Benchmark for Multimodal Jailbreak Attacks, Revisited
authors: [Ann Doe]
year: 2024
models: [vlm]
contribution: [evaluation]
evaluates: [jailbreak]
not_duplicate_of: [bench2024mm]
sources: [contributor]
status: auto
added: 2026-11-23
"""


class Recorded(http.server.BaseHTTPRequestHandler):
    requests: Counter[str] = Counter()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.unquote_plus(url.query)
        if url.path == "/arxiv/api/query" and "id_list=" in query:  # one paper by id
            Recorded.requests["arxiv-id"] += 1
            name = ARXIV_IDS.get(query.split("id_list=")[1].split("&")[0], "arxiv-empty.xml")
            self._send((RECORDED / name).read_bytes(), "application/atom+xml")
        elif url.path == "/arxiv/api/query":
            self._answer("arxiv", query, ARXIV, "arxiv-empty.xml", "application/atom+xml")
        elif url.path == "/crossref/works":
            self._answer("crossref", query, CROSSREF, "crossref-empty.json", "application/json")
        elif url.path == "/openalex/works":
            Recorded.requests["openalex:" + query] += 1
            if BUSY in query and Recorded.requests["openalex:" + query] % 2:
                self._send(b"slow down", "text/plain", 429, {"Retry-After": "1"})
                return
            self._answer("openalex", query, OPENALEX, "openalex-empty.json", "application/json")
        else:
            self._send(b"no such endpoint", "text/plain", 404)

    def _answer(self, service: str, query: str, table: list[tuple[str, str]], default: str, kind: str) -> None:
        Recorded.requests[service] += 1
        name = next((file for words, file in table if words in query), default)
        self._send((RECORDED / name).read_bytes(), kind)

    def _send(self, data: bytes, kind: str, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def service_env(base: str) -> dict[str, str]:
    return {"SAFETYKB_ARXIV_API": f"{base}/arxiv/api/query", "SAFETYKB_CROSSREF_API": f"{base}/crossref",
            "SAFETYKB_OPENALEX_API": f"{base}/openalex", "no_proxy": "127.0.0.1,localhost",
            **dict.fromkeys(("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"), "")}


@pytest.fixture()
def services(server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for key, value in service_env(server).items():
        if value:
            monkeypatch.setenv(key, value)
        else:
            monkeypatch.delenv(key, raising=False)
    return server


@pytest.fixture()
def kb(kb_copy: Path) -> Path:
    (kb_copy / "papers" / "2024" / "doe2024twin.yaml").write_text(TWIN, encoding="utf-8")
    return kb_copy


def refresh(root: Path, *args: str, sleeps: list[float] | None = None) -> tuple[int, str, str]:
    """Run refresh in-process with no pause between requests; Retry-After waits are recorded, not slept."""
    waits = sleeps if sleeps is not None else []
    searcher = Searcher(delays={}, sleep=waits.append)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--root", str(root)], searcher=searcher)
    return code, out.getvalue(), err.getvalue()


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def read(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def rows(review: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(record, field) -> (old, new, source) from the review table."""
    found = {}
    for line in review.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and " → " in cells[2] and cells[0] != "record":
            old, new = cells[2].split(" → ", 1)
            found[(cells[0], cells[1])] = (old, new, cells[3])
    return found


# ---------------------------------------------------------------- live services


def test_match_fills_ids_title_authors_date_from_all_three_services(kb: Path, services: str) -> None:
    code, out, err = refresh(kb)
    assert code == 0, err
    record = read(kb, "papers/2023/lee2023stealthy.yaml")
    assert record["links"] == {"arxiv": "2308.00011", "doi": "10.1109/iccv51070.2023.00011"}
    assert record["title"] == "Stealthy Clean-label Backdoors for Diffusion Models"  # arXiv's, as published
    assert record["authors"] == ["Eve Lee", "Yu Wang", "Tom Fixture"]
    assert record["date"] == "2023-08-02" and record["year"] == 2023
    assert record["venue"] == "ICCV" and "venue_year" not in record
    table = rows(out)
    assert table[("lee2023stealthy", "links.arxiv")] == ("—", "2308.00011", "arXiv 2308.00011")
    assert table[("lee2023stealthy", "links.doi")][2] == "Crossref 10.1109/iccv51070.2023.00011"
    assert table[("lee2023stealthy", "date")][:2] == ("2023-09-10", "2023-08-02")
    assert not load_and_validate(kb).problems


def test_two_candidates_are_reported_as_ambiguous_and_nothing_is_written(kb: Path, services: str) -> None:
    before = (kb / "papers/2023/smith2023ringjail.yaml").read_bytes()
    code, out, _err = refresh(kb)
    assert code == 0
    assert (kb / "papers/2023/smith2023ringjail.yaml").read_bytes() == before
    assert "`smith2023ringjail` **ambiguous**: arxiv ids 2305.00031 (arXiv 2305.00031), " \
           "2306.00032 (arXiv 2306.00032)" in out
    assert not [key for key in rows(out) if key[0] == "smith2023ringjail"]


def test_no_match_is_reported_with_the_nearest_candidate(kb: Path, services: str) -> None:
    before = (kb / "papers/2023/kim2023purify.yaml").read_bytes()
    code, out, _err = refresh(kb)
    assert code == 0 and (kb / "papers/2023/kim2023purify.yaml").read_bytes() == before
    line = next(line for line in out.splitlines() if line.startswith("- `kim2023purify`"))
    assert "**missing**" in line
    assert "nearest: arXiv 2309.00041 'Purifying Backdoored Vision Transformers': title differs" in line
    assert "failed: openalex: OpenAlex sent a malformed search answer (not JSON" in line  # malformed JSON


def test_malformed_xml_is_reported_and_the_other_services_still_answer(kb: Path, services: str) -> None:
    code, out, _err = refresh(kb)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("- `liu2024cleanvid`"))
    assert "failed: arxiv: the arXiv API sent a malformed search answer (not XML" in line
    record = read(kb, "papers/2024/liu2024cleanvid.yaml")
    assert record["links"] == {"doi": "10.1145/3664647.3680011"}  # Crossref issues DOIs: confirmed
    assert record["venue"] == "ACM MM" and "venue_year" not in record  # the 2024 edition, the record's year
    assert rows(out)[("liu2024cleanvid", "venue")][:2] == ("CVPR", "ACM MM")


def test_http_429_is_retried_after_retry_after(kb: Path, services: str) -> None:
    waits: list[float] = []
    before = Recorded.requests["openalex"]
    code, out, err = refresh(kb, "bench2024mm", "--services", "openalex", sleeps=waits)
    assert code == 0, err
    assert waits == [1.0]
    assert Recorded.requests["openalex"] - before == 1  # one answer served after the 429
    # OpenAlex alone names the arXiv id: not applied (arXiv or a second source must confirm it)
    assert "not applied: only OpenAlex W4000000021 names arxiv 2312.00021" in out
    assert (kb / "papers/2024/bench2024mm.yaml").exists()


def test_an_id_only_another_service_names_is_asked_of_its_issuer(kb: Path, services: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenAlex names arXiv 2312.00021, arXiv's title search misses it: the arXiv page of that id decides."""
    monkeypatch.setitem(globals(), "ARXIV", [])
    before = Recorded.requests["arxiv-id"]
    code, out, err = refresh(kb, "bench2024mm")
    assert code == 0, err
    assert Recorded.requests["arxiv-id"] - before == 1
    assert rows(out)[("bench2024mm", "links.arxiv")] == ("—", "2312.00021", "arXiv 2312.00021")
    assert read(kb, "papers/2023/bench2023fixture.yaml")["former_ids"] == ["bench2024mm"]


def test_year_change_renames_keeps_the_old_id_and_rewrites_references(kb: Path, services: str) -> None:
    code, out, err = refresh(kb)
    assert code == 0, err
    assert not (kb / "papers/2024/bench2024mm.yaml").exists()
    record = read(kb, "papers/2023/bench2023fixture.yaml")
    assert record["id"] == "bench2023fixture" and record["former_ids"] == ["bench2024mm"]
    assert record["year"] == 2023 and record["date"] == "2023-12-20"
    assert record["venue"] == "NeurIPS" and record["venue_year"] == 2024  # the edition the record named
    assert record["links"] == {"arxiv": "2312.00021"}
    assert read(kb, "taxonomy/benchmarks/mm-bench-safety.yaml")["introduced_in"] == "bench2023fixture"
    assert read(kb, "papers/2024/doe2024twin.yaml")["not_duplicate_of"] == ["bench2023fixture"]
    benchmark = (kb / "taxonomy/benchmarks/mm-bench-safety.yaml").read_text(encoding="utf-8")
    assert benchmark.splitlines()[3] == "introduced_in: bench2023fixture"  # the rest of the file untouched
    table = rows(out)
    assert table[("bench2024mm", "id")][:2] == ("bench2024mm", "bench2023fixture")
    assert table[("mm-bench-safety", "introduced_in")][:2] == ("bench2024mm", "bench2023fixture")
    assert "renamed (old addresses redirect): bench2024mm → bench2023fixture" in out
    assert not load_and_validate(kb).problems
    related = run_script("query.py", "--related", "bench2024mm", "--format", "ids", "--root", str(kb), "--no-cache")
    assert related.returncode == 0 and "papers related to bench2023fixture" in related.stderr


def test_dry_run_writes_nothing(kb: Path, services: str) -> None:
    before = snapshot(kb)
    code, out, _err = refresh(kb, "--dry-run")
    assert code == 0
    assert snapshot(kb) == before
    assert ("lee2023stealthy", "links.arxiv") in rows(out) and out.rstrip().endswith("Dry run: nothing written.")


def test_reviewed_record_keeps_its_fields_without_force(kb: Path, services: str) -> None:
    path = kb / "papers/2024/wang2024adashield.yaml"
    code, out, err = refresh(kb, "wang2024adashield")
    assert code == 0, err
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(record["authors"]) == 5  # arXiv's sixth author is withheld
    assert record["links"]["doi"] == "10.1007/978-3-031-72661-3_5"  # an empty field is filled
    old, new, source = rows(out)[("wang2024adashield", "authors")]
    assert new.endswith("Fixture Extra") and source.endswith("(withheld: reviewed record: --force to apply)")
    assert "withheld (reviewed records; --force applies them)" in out
    code, out, err = refresh(kb, "wang2024adashield", "--force")
    assert code == 0, err
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record["authors"][-1] == "Fixture Extra" and record["status"] == "reviewed"


def test_the_script_runs_against_the_services(kb: Path, server: str) -> None:
    """The real command line, as the weekly workflow runs it (pauses set to zero)."""
    result = run_script("refresh.py", "lee2023stealthy", "--delay", "0", "--root", str(kb),
                        "--review", str(kb / "review.md"), env=service_env(server))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## Metadata refresh (arxiv, crossref, openalex)")
    assert (kb / "review.md").read_text(encoding="utf-8") == result.stdout.rsplit("wrote", 1)[0]
    assert result.stdout.rstrip().endswith("wrote 1 file")


def test_offline_says_so_in_one_line(kb: Path) -> None:
    before = snapshot(kb)
    result = run_script("refresh.py", "--root", str(kb), "--delay", "0", env={
        "SAFETYKB_ARXIV_API": "http://127.0.0.1:9/api/query", "no_proxy": "127.0.0.1"})
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("refresh.py: cannot reach 127.0.0.1:9 (")
    assert lines[0].endswith("offline? use --from FILE")
    assert result.stdout == "" and snapshot(kb) == before


# ---------------------------------------------------------------- recorded answers


def test_recorded_answers_go_through_the_same_rules(kb: Path) -> None:
    code, out, err = refresh(kb, "--from", str(RECORDED / "answers.yaml"))
    assert code == 0, err
    assert read(kb, "papers/2023/lee2023stealthy.yaml")["links"] == {"arxiv": "2308.00011"}
    cleanvid = read(kb, "papers/2024/liu2024cleanvid.yaml")
    assert cleanvid["links"] == {"doi": "10.1145/3664647.3680011"} and cleanvid["venue"] == "ACM MM"
    assert "links" not in read(kb, "papers/2023/kim2023purify.yaml")
    assert "links" not in read(kb, "papers/2023/smith2023ringjail.yaml")
    assert "- recorded answers: 2 accepted, 2 rejected, 1 none (rejected: 1 title differs, 1 year too far, " \
           "1 evidence does not back the id)" in out
    assert "- lookups that found nothing: 1 (0 no acceptable match, 1 recorded as none); 0 failed" in out
    assert "- `bench2024mm` **none**: tests/fixtures/refresh/answers.yaml:41: only a workshop page without ids" in out
    assert "- `kim2023purify` **rejected**: tests/fixtures/refresh/answers.yaml:23 (crossref) 'Purifying Water with " \
           "Backdoored Filters': title differs; year 2019 is more than 1 from 2023" in out
    assert table_source(out, "lee2023stealthy", "links.arxiv").endswith("answers.yaml:2 (arxiv)")


def table_source(out: str, record: str, field: str) -> str:
    return rows(out)[(record, field)][2]


def test_recorded_ambiguity_writes_nothing(kb: Path) -> None:
    before = snapshot(kb)
    code, out, _err = refresh(kb, "--from", str(RECORDED / "answers-ambiguous.yaml"))
    assert code == 0 and snapshot(kb) == before
    assert "**ambiguous**" in out and "- recorded answers: 2 ambiguous" in out


def test_recorded_year_change_renames_too(kb: Path) -> None:
    code, _out, err = refresh(kb, "--from", str(RECORDED / "answers-year-change.yaml"))
    assert code == 0, err
    assert read(kb, "papers/2023/bench2023fixture.yaml")["former_ids"] == ["bench2024mm"]
    # a later answer naming the old id reaches the renamed record
    code, out, err = refresh(kb, "--from", str(RECORDED / "answers-year-change.yaml"), "--dry-run")
    assert code == 0 and "1 unchanged" in out, out + err


def test_a_stated_edition_wins_over_the_year_the_record_had(kb: Path, tmp_path: Path) -> None:
    """RoCLIP's record said NeurIPS 2024; its first version and its NeurIPS edition are both 2023. An answer
    that states the edition moves the record to 2023 with no venue_year (the edition is the year); without a
    stated edition the old year stays the edition (see the test above)."""
    answers = tmp_path / "a.yaml"
    answers.write_text(
        (RECORDED / "answers-year-change.yaml").read_text(encoding="utf-8")
        + "    venue: NeurIPS\n    venue_year: 2023\n", encoding="utf-8")
    code, _out, err = refresh(kb, "--from", str(answers))
    assert code == 0, err
    record = read(kb, "papers/2023/bench2023fixture.yaml")
    assert record["year"] == 2023 and record["venue"] == "NeurIPS" and "venue_year" not in record


def test_broken_answers_file_is_refused_with_lines(kb: Path) -> None:
    before = snapshot(kb)
    code, out, err = refresh(kb, "--from", str(RECORDED / "answers-broken.yaml"))
    assert code == 2 and out == "" and snapshot(kb) == before
    where = "tests/fixtures/refresh/answers-broken.yaml"
    assert err.splitlines() == [
        f"{where}:1: `found.arxiv` 2308.00011 is not an arXiv id like \"2311.05608\" (quote it)",
        f"{where}:9: `record` must be the record's id (like gong2023figstep)",
        f"{where}:11: `source` must be one of arxiv, crossref, openalex, acl-anthology, cvf, pmlr, openreview, "
        "other, none, not 'scholar'",
        "refresh.py: nothing done: fix the recorded answers",
    ]


def test_unknown_record_in_answers_is_a_usage_error(kb: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("- record: nobody2024none\n  source: none\n", encoding="utf-8")
    code, _out, err = refresh(kb, "--from", str(answers))
    assert code == 2 and "a.yaml:1: record 'nobody2024none' is no paper id" in err


# ---------------------------------------------------------------- casing


def test_casing_only_recases_titles_of_non_reviewed_records(kb: Path) -> None:
    path = kb / "papers/2024/zhang2024trojvlm.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Planting Trojans in Instruction-Tuned Vision-Language Models",
        "title: 'Badclip and llm trojans in a video clip'"), encoding="utf-8")
    reviewed = kb / "papers/2024/chen2024bathe.yaml"
    reviewed.write_text(reviewed.read_text(encoding="utf-8").replace("Multimodal Large Language Models",
                                                                      "multimodal llms"), encoding="utf-8")
    code, out, err = refresh(kb, "--casing-only")
    assert code == 0, err
    assert read(kb, "papers/2024/zhang2024trojvlm.yaml")["title"] == "BadCLIP and LLM trojans in a video clip"
    assert "multimodal llms" in read(kb, "papers/2024/chen2024bathe.yaml")["title"]
    assert rows(out)[("chen2024bathe", "title")][2].endswith("(withheld: reviewed record: --force to apply)")
    warnings = load_and_validate(kb).warnings
    assert len(warnings) == 1 and warnings[0].path.endswith("papers/2024/chen2024bathe.yaml")


# ---------------------------------------------------------------- planning, one record at a time


def answer(source: str = "arxiv", **facts) -> Answer:
    authors = facts.pop("authors", ["Eve Lee", "Yu Wang"])
    meta = Metadata(title=facts.pop("title", "Stealthy Clean-Label Backdoors for Diffusion Models"),
                    authors=[split_given_family(a) for a in authors], year=facts.pop("year", 2023),
                    where=f"{source} test", source=source, **facts)
    return Answer("lee2023stealthy", source, meta, where=meta.where)


LEE = {"id": "lee2023stealthy", "title": "Stealthy Clean-Label Backdoors for Diffusion Models",
       "authors": ["Eve Lee", "Yu Wang"], "year": 2023, "date": "2023-09-10", "venue": "ICCV",
       "models": ["dm"], "contribution": ["attack"], "sources": ["contributor"], "status": "auto",
       "added": "2026-11-23"}


def plan(record: dict, *answers, **kw):
    return plan_record(record, Lookup(record["id"], list(answers)), taken={record["id"]}, **kw)


def test_a_reviewed_record_keeps_its_year_and_date() -> None:
    reviewed = {**LEE, "status": "reviewed"}
    outcome = plan(reviewed, answer(arxiv="2212.00001", date="2022-12-30", first_version=True, year=2022))
    assert outcome.new_record is not None and outcome.new_record["year"] == 2023  # only the empty link is filled
    assert outcome.new_record["links"] == {"arxiv": "2212.00001"} and outcome.new_id == "lee2023stealthy"
    held = {c.field: (c.old, c.new) for c in outcome.changes if c.withheld}
    assert held == {"date": ("2023-09-10", "2022-12-30"), "year": (2023, 2022)}
    forced = plan(reviewed, answer(arxiv="2212.00001", date="2022-12-30", first_version=True, year=2022), force=True)
    assert forced.new_id == "lee2022stealthy" and forced.new_record["former_ids"] == ["lee2023stealthy"]
    assert forced.new_record["venue_year"] == 2023  # the ICCV edition the record named


def test_a_cut_list_from_a_source_stays_marked() -> None:
    outcome = plan(LEE, answer(authors=["Eve Lee", "Yu Wang", "Tom Fixture"], authors_complete=False))
    assert outcome.new_record["authors"][-1] == "Tom Fixture" and outcome.new_record["authors_complete"] is False
    marked = {**LEE, "authors_complete": False}
    outcome = plan(marked, answer(authors=["Eve Lee", "Yu Wang", "Tom Fixture"]))
    assert "authors_complete" not in outcome.new_record
    same = plan(marked, answer())  # the complete list is the one the record has: only the flag goes
    assert [(c.field, c.old, c.new) for c in same.changes] == [("authors_complete", False, None)]


def test_an_id_other_than_the_records_own_is_ambiguous() -> None:
    record = {**LEE, "links": {"arxiv": "2308.00011"}}
    outcome = plan(record, answer(arxiv="2308.99999", date="2023-08-02", first_version=True))
    assert outcome.status == "ambiguous" and outcome.new_record is None
    assert outcome.notes == ["the record has arxiv 2308.00011, arxiv test say 2308.99999"]


def test_an_id_needs_its_issuer_or_two_sources() -> None:
    alone = plan(LEE, answer("openalex", doi="10.1234/fixture.1"))
    assert "links" not in (alone.new_record or LEE)
    assert alone.notes == ["not applied: only openalex test names doi 10.1234/fixture.1 "
                           "(crossref or a second source must confirm it)"]
    both = plan(LEE, answer("openalex", doi="10.1234/fixture.1"), answer("arxiv", doi="10.1234/FIXTURE.1"))
    assert both.new_record["links"] == {"doi": "10.1234/fixture.1"}


def test_an_arxiv_doi_is_no_doi_link() -> None:
    outcome = plan(LEE, answer("openalex", doi="10.48550/arXiv.2308.00011"), answer(arxiv="2308.00011"))
    assert outcome.new_record["links"] == {"arxiv": "2308.00011"}


# ---------------------------------------------------------------- the metadata coverage report


def test_report_prints_coverage_per_source_list(kb: Path) -> None:
    import json

    path = kb / "papers/2023/kim2023purify.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("authors: [Finn Kim]\n",
                                                             "authors: [Finn Kim]\nauthors_complete: false\n"),
                    encoding="utf-8")
    before = run_script("report.py", "metadata", "--json", "--root", str(kb))
    assert before.returncode == 0, before.stderr
    rows_before = json.loads(before.stdout)["sources"]
    assert rows_before["contributor"] == rows_before["all papers"]  # every fixture paper is a contributor's
    assert {k: rows_before["all papers"][k] for k in ("papers", "arxiv", "doi", "arxiv_or_doi", "any_link",
                                                      "summary", "complete_authors")} == {
        "papers": 9, "arxiv": 3, "doi": 0, "arxiv_or_doi": 3, "any_link": 3, "summary": 0, "complete_authors": 8}
    assert refresh(kb, "--from", str(RECORDED / "answers.yaml"))[0] == 0
    text = run_script("report.py", "metadata", "--root", str(kb))
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[2].split() == ["source", "papers", "arXiv", "id", "DOI", "arXiv/DOI", "any", "link", "summary",
                                "full", "authors"]
    assert lines[-3].split() == ["all", "papers", "9", "4", "(44%)", "1", "(11%)", "5", "(56%)", "5", "(56%)",
                                 "0", "(0%)", "8", "(89%)"]
    assert lines[-1] == "arXiv ids whose year differs from the record's year: 0"


def test_an_arxiv_id_of_another_year_is_counted() -> None:
    from safetykb.refresh.coverage import arxiv_year_disagrees

    assert arxiv_year_disagrees({"year": 2024, "links": {"arxiv": "2312.00021"}})
    assert not arxiv_year_disagrees({"year": 2023, "links": {"arxiv": "2312.00021"}})
    assert not arxiv_year_disagrees({"year": 2019, "links": {"arxiv": "cs/0101001"}})  # old style: no year check


# ---------------------------------------------------------------- evidence and partial answers


@pytest.mark.parametrize(("evidence", "kind", "value", "backed"), [
    (["https://arxiv.org/abs/2311.05608v2"], "arxiv", "2311.05608", True),
    (["https://arxiv.org/html/2311.05608v1"], "arxiv", "2311.05608", True),
    (["https://huggingface.co/papers/2311.05608"], "arxiv", "2311.05608", True),
    (["https://arxiv.org/abs/2311.05609"], "arxiv", "2311.05608", False),
    (["https://github.com/qhduan/cn-chat-arxiv/blob/x/a.json#L2",
      "https://github.com/HuggingAGI/HuggingArxivLLM/blob/y/b.md#L7"], "arxiv", "2311.05608", True),
    (["https://github.com/daksim/NewAdversarialAttackPaper/blob/a/README.md#L84",
      "https://github.com/daksim/NewAdversarialAttackPaper/blob/b/README_LLM.md#L18"], "arxiv", "2311.05608", False),
    (["https://github.com/xingjunm/Awesome-Large-Model-Safety/blob/c/README.md#L9",
      "https://github.com/qhduan/cn-chat-arxiv/blob/x/a.json#L2"], "arxiv", "2311.05608", False),  # a seed list
    (["https://doi.org/10.1145/3576915.3623156"], "doi", "10.1145/3576915.3623156", True),
    (["https://dl.acm.org/doi/10.1145/3576915.3623156"], "doi", "10.1145/3576915.3623156", True),
    (["https://aclanthology.org/2023.acl-long.194"], "doi", "10.18653/v1/2023.acl-long.194", True),
    (["https://aclanthology.org/2023.acl-long.195"], "doi", "10.18653/v1/2023.acl-long.194", False),
    (["http://120.26.44.124:3004/details/1/1187482614"], "doi", "10.1109/tifs.2024.3422923", False),
])
def test_evidence_backs_an_id_by_its_own_page_or_two_sources(evidence: list[str], kind: str, value: str,
                                                             backed: bool) -> None:
    from safetykb.refresh.evidence import backs

    assert backs(evidence, kind, value) is backed


def test_a_recorded_answer_is_judged_on_the_facts_it_states(kb: Path, tmp_path: Path) -> None:
    """No title (the source shows the record's), no authors: the id still needs its evidence; an unknown
    venue is reported, not written."""
    answers = tmp_path / "partial.yaml"
    answers.write_text("""\
- record: smith2023ringjail
  source: arxiv
  evidence: [https://huggingface.co/papers/2305.00031]
  found:
    arxiv: "2305.00031"
    date: "2023-05"
- record: kim2023purify
  source: other
  evidence: [https://example.org/kim]
  found:
    venue: Cell Systems
    venue_year: 2023
""", encoding="utf-8")
    code, out, err = refresh(kb, "--from", str(answers))
    assert code == 0, err
    smith = read(kb, "papers/2023/smith2023ringjail.yaml")
    assert smith["links"] == {"arxiv": "2305.00031"} and smith["date"] == "2023-05"
    assert smith["title"] == "Prompts that Jailbreak Text-to-Image Models" and smith["authors"] == ["Dana Smith"]
    assert read(kb, "papers/2023/kim2023purify.yaml")["venue"] == "ACL"
    assert "venue 'Cell Systems' is not in the venue table (safetykb/metadata/venues.py): not applied" in out
