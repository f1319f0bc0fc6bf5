"""add_paper end to end against a local HTTP server serving recorded arXiv and Crossref answers.

The server (127.0.0.1, a free port, a thread) stands in for export.arxiv.org and
api.crossref.org through $SAFETYKB_ARXIV_API / $SAFETYKB_CROSSREF_API; the KB is
a tmp_path copy of tests/fixtures/kb.
"""

from __future__ import annotations

import http.server
import io
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from safetykb.addpaper.cli import main
from safetykb.addpaper.draft import EDITOR_HINT
from safetykb.core.schema import field_names
from safetykb.core.validation import load_and_validate
from tests.helpers import REPO, run_script

RECORDED = REPO / "tests" / "fixtures" / "addpaper"
ARXIV = {
    "2311.05608": "arxiv-2311.05608.xml",
    "2402.00001": "arxiv-2402.00001.xml",
    "2501.00001": "arxiv-2501.00001.xml",
    "2312.99999": "arxiv-empty.xml",
    "2312.00000": "arxiv-error.xml",
    "2401.00002": "arxiv-malformed.xml",
}
CROSSREF = {
    "10.1145/3576915.3623156": "crossref-10.1145-3576915.3623156.json",
    "10.1234/cut": "crossref-malformed.json",
}
SLOW_SECONDS = 1.5


class Recorded(http.server.BaseHTTPRequestHandler):
    """Serves the recorded answers; id 2401.99999 and DOI 10.1234/slow answer after SLOW_SECONDS."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Recorded.requests.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/arxiv/api/query":
            wanted = urllib.parse.parse_qs(url.query).get("id_list", [""])[0]
            if wanted == "2401.99999":
                time.sleep(SLOW_SECONDS)
            self._send(ARXIV.get(wanted, "arxiv-empty.xml"), "application/atom+xml")
        elif url.path.startswith("/crossref/works/"):
            doi = urllib.parse.unquote(url.path.removeprefix("/crossref/works/"))
            if doi == "10.1234/slow":
                time.sleep(SLOW_SECONDS)
            if doi.lower() in CROSSREF:
                self._send(CROSSREF[doi.lower()], "application/json")
            else:
                self._send(None, "text/plain", 404, b"Resource not found.")
        else:
            self._send(None, "text/plain", 404, b"no such endpoint")

    def _send(self, name: str | None, kind: str, status: int = 200, body: bytes = b"") -> None:
        data = (RECORDED / name).read_bytes() if name else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

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


@pytest.fixture()
def services(server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SAFETYKB_ARXIV_API", f"{server}/arxiv/api/query")
    monkeypatch.setenv("SAFETYKB_CROSSREF_API", f"{server}/crossref")
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return server


def add(root: Path, *args: str, stdin: str = "", interactive: bool = False,
        answers: list[str] | None = None) -> tuple[int, str, str]:
    """Run add_paper in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    replies = iter(answers or [])

    def ask(prompt: str) -> str:
        out.write(prompt)
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    code = main([*args, "--root", str(root)], stdin=io.StringIO(stdin), stdout=out, stderr=err,
                interactive=interactive, ask=ask)
    return code, out.getvalue(), err.getvalue()


def paper_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "papers").rglob("*.yaml")}


def read(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


ATTACK_FLAGS = ("--models", "LVLM", "--attacks", "jailbreak", "--method", "FigStep")


# ---------------------------------------------------------------- success

def test_arxiv_id_drafts_a_valid_record(kb_copy: Path, services: str) -> None:
    before = paper_files(kb_copy)
    code, out, err = add(kb_copy, "2311.05608", *ATTACK_FLAGS, "--code", "https://github.com/thuccslab/figstep")
    assert code == 0, err
    target = kb_copy / "papers" / "2023" / "gong2023figstep.yaml"
    assert paper_files(kb_copy) - before == {"papers/2023/gong2023figstep.yaml"}
    assert "added" in out and "gong2023figstep" in out
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == EDITOR_HINT
    record = read(target)
    order = field_names("paper")
    assert list(record) == sorted(record, key=order.index), "keys in DESIGN order"
    assert record["title"] == "FigStep: Jailbreaking Large Vision-language Models via Typographic Visual Prompts"
    assert record["authors"][:2] == ["Yichen Gong", "Delong Ran"] and len(record["authors"]) == 8
    assert record["year"] == 2023 and str(record["date"]) == "2023-11-09"
    assert record["venue"] == "AAAI"  # from arXiv's journal reference, a known venue
    assert record["links"] == {"arxiv": "2311.05608", "code": "https://github.com/thuccslab/figstep"}
    assert record["models"] == ["vlm"]  # the alias LVLM resolved
    assert record["contribution"] == ["attack"]  # implied by --attacks
    assert record["attacks"] == ["jailbreak"] and record["method"] == "FigStep"
    assert record["sources"] == ["contributor"] and record["status"] == "reviewed"
    assert load_and_validate(kb_copy).ok


def test_arxiv_url_with_version_and_dry_run(kb_copy: Path, services: str) -> None:
    before = paper_files(kb_copy)
    code, out, err = add(kb_copy, "https://arxiv.org/pdf/2311.05608v2", *ATTACK_FLAGS, "--dry-run")
    assert code == 0, err
    assert paper_files(kb_copy) == before, "--dry-run writes nothing"
    assert out.count(EDITOR_HINT) == 1 and "id: gong2023figstep" in out and "arxiv: '2311.05608'" in out
    assert any("id_list=2311.05608" in r for r in Recorded.requests), "asked for the id without version"


@pytest.mark.parametrize("source", ["arXiv:2311.05608v3", "https://arxiv.org/abs/2311.05608", "2311.05608v1",
                                    "https://doi.org/10.48550/arXiv.2311.05608"])
def test_arxiv_forms(kb_copy: Path, services: str, source: str) -> None:
    code, out, err = add(kb_copy, source, *ATTACK_FLAGS, "--dry-run")
    assert code == 0, err
    assert "id: gong2023figstep" in out


@pytest.mark.parametrize("source", ["10.1145/3576915.3623156", "https://doi.org/10.1145/3576915.3623156",
                                    "doi:10.1145/3576915.3623156"])
def test_doi_from_crossref(kb_copy: Path, services: str, source: str) -> None:
    code, out, err = add(kb_copy, source, "--models", "llm", "--contribution", "evaluation",
                         "--evaluates", "jailbreak")
    assert code == 0, err
    record = read(kb_copy / "papers" / "2023" / "perez2023fixture.yaml")
    assert record["authors"] == ["Ana Pérez", "Bo Li"]
    assert record["title"] == "Fixture Study: Probing Jailbreak Prompts of Large Language Models"  # <i> dropped
    assert record["venue"] == "CCS" and str(record["date"]) == "2023-11-15"
    assert record["links"] == {"doi": "10.1145/3576915.3623156"}
    assert record["evaluates"] == ["jailbreak"] and record["contribution"] == ["evaluation"]
    assert load_and_validate(kb_copy).ok


def test_particles_accents_and_stopwords_in_the_id(kb_copy: Path, services: str) -> None:
    code, out, err = add(kb_copy, "2501.00001", "--models", "vlm", "--defenses", "safety alignment",
                         "--counters", "jailbreaks")
    assert code == 0, err
    record = read(kb_copy / "papers" / "2025" / "vanderberg2025shielding.yaml")
    assert record["authors"] == ["Zoë van der Berg", "Jürgen Ødegård"]
    assert record["title"] == "Towards the Shielding of Multimodal Models against Image <Jailbreaks>"
    assert record["venue"] == "arXiv" and record["links"]["doi"] == "10.5555/Fixture.2025.1"
    assert record["defenses"] == ["safety-alignment"] and record["counters"] == ["jailbreak"]
    assert record["contribution"] == ["defense"]


# ---------------------------------------------------------------- failures: clear message, exit 1, nothing written

@pytest.mark.parametrize(("source", "words"), [
    ("2312.99999", "arXiv has no paper 2312.99999"),
    ("2312.00000", "arXiv refuses the id 2312.00000"),
    ("10.1234/unknown", "Crossref has no DOI 10.1234/unknown"),
])
def test_not_found(kb_copy: Path, services: str, source: str, words: str) -> None:
    before = paper_files(kb_copy)
    code, out, err = add(kb_copy, source, *ATTACK_FLAGS)
    assert code == 1
    assert words in err and "nothing written" in err and "Traceback" not in err
    assert paper_files(kb_copy) == before


@pytest.mark.parametrize(("source", "words"), [
    ("2401.00002", "the arXiv API sent a malformed answer for 2401.00002"),
    ("10.1234/cut", "Crossref sent a malformed answer for 10.1234/cut"),
])
def test_malformed_answer(kb_copy: Path, services: str, source: str, words: str) -> None:
    before = paper_files(kb_copy)
    code, _out, err = add(kb_copy, source, *ATTACK_FLAGS)
    assert code == 1 and words in err and "Traceback" not in err
    assert paper_files(kb_copy) == before


@pytest.mark.parametrize("source", ["2401.99999", "10.1234/slow"])
def test_timeout(kb_copy: Path, services: str, source: str) -> None:
    started = time.monotonic()
    code, _out, err = add(kb_copy, source, *ATTACK_FLAGS, "--timeout", "0.3")
    assert time.monotonic() - started < SLOW_SECONDS
    assert code == 1
    assert "no answer from 127.0.0.1" in err and "within 0.3 s" in err and "--timeout" in err


def test_offline(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("SAFETYKB_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    code, _out, err = add(kb_copy, "2311.05608", *ATTACK_FLAGS)
    assert code == 1
    assert "cannot reach 127.0.0.1" in err and "offline" in err and "BibTeX" in err


def test_script_reports_without_traceback(kb_copy: Path, tmp_path: Path) -> None:
    """The real script, as a fresh process, offline: one clear line, exit 1."""
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SAFETYKB_CROSSREF_API": f"http://127.0.0.1:{port}", "no_proxy": "127.0.0.1"}
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "add_paper.py"), "10.1145/3576915.3623156",
                           "--models", "llm", "--contribution", "analysis", "--root", str(kb_copy)],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("add_paper.py: DOI 10.1145/3576915.3623156: cannot reach")


# ---------------------------------------------------------------- duplicates and existing files

def test_duplicate_by_arxiv_id_names_the_record(kb_copy: Path, services: str) -> None:
    before = paper_files(kb_copy)
    code, _out, err = add(kb_copy, "2402.00001v2", "--models", "vlm", "--attacks", "backdoor")
    assert code == 1
    assert "already in the knowledge base as zhang2024trojvlm" in err
    assert "papers/2024/zhang2024trojvlm.yaml" in err and "the same arXiv id 2402.00001" in err
    assert paper_files(kb_copy) == before


def test_duplicate_by_doi_ignores_case(kb_copy: Path, services: str) -> None:
    assert add(kb_copy, "10.1145/3576915.3623156", "--models", "llm", "--contribution", "analysis")[0] == 0
    code, _out, err = add(kb_copy, "10.1145/3576915.3623156".upper(), "--models", "llm",
                          "--contribution", "analysis")
    assert code == 1 and "already in the knowledge base as perez2023fixture" in err
    assert "the same DOI 10.1145/3576915.3623156" in err


def test_existing_file_is_never_overwritten(kb_copy: Path, services: str) -> None:
    """A file at the drafted path (here one the validator cannot even read) keeps its bytes; the new
    record takes the next free id."""
    folder = kb_copy / "papers" / "2023"
    occupied = folder / "gong2023figstep.yaml"
    occupied.write_text("id: gong2023figstep\ntitle: [half-written\n", encoding="utf-8")
    original = occupied.read_bytes()
    code, out, err = add(kb_copy, "2311.05608", *ATTACK_FLAGS)
    assert code == 0, err
    assert occupied.read_bytes() == original
    assert read(folder / "gong2023figstepb.yaml")["id"] == "gong2023figstepb"
    assert "gong2023figstepb" in out


def test_write_new_refuses_an_existing_path(tmp_path: Path) -> None:
    from safetykb.core.fileio import write_new

    target = tmp_path / "papers" / "2024" / "x2024y.yaml"
    write_new(target, "first\n")
    with pytest.raises(FileExistsError):
        write_new(target, "second\n")
    assert target.read_text() == "first\n"
    assert [p.name for p in target.parent.iterdir()] == ["x2024y.yaml"], "no temporary file left behind"


# ---------------------------------------------------------------- BibTeX

def test_bibtex_file_with_several_entries(kb_copy: Path, services: str) -> None:
    before = paper_files(kb_copy)
    code, out, err = add(kb_copy, str(RECORDED / "several.bib"), "--models", "vlm", "--attacks", "jailbreak")
    assert code == 1, "one entry is broken and one a duplicate"
    assert paper_files(kb_copy) - before == {"papers/2024/muller2024shieldguard.yaml",
                                             "papers/2024/ortiz2024lure.yaml"}
    assert "already in the knowledge base as kim2023purify" in err and "several.bib:11 (kim2023again)" in err
    assert "broken entry at line 18" in err and "(broken2024)" in err
    assert "4 entries: 2 added, 1 duplicate, 1 broken, 0 invalid" in out
    shield = read(kb_copy / "papers" / "2024" / "muller2024shieldguard.yaml")
    assert shield["title"] == "ShieldGuard: Guarding Vision-Language Models against Typographic Attacks"
    assert shield["authors"] == ["Jörg Müller", "Lucía García"]  # LaTeX decoded, 'and others' dropped
    assert shield["venue"] == "CVPR" and str(shield["date"]) == "2024-06"
    assert shield["links"] == {"url": "https://openaccess.thecvf.com/fixture"}
    lure = read(kb_copy / "papers" / "2024" / "ortiz2024lure.yaml")
    assert lure["venue"] == "arXiv" and lure["links"] == {"arxiv": "2405.01234"}
    assert load_and_validate(kb_copy).ok


def test_bibtex_on_stdin_and_as_argument(kb_copy: Path) -> None:
    entry = "@misc{x, title={Typographic Tricks for {VLMs}}, author={Nakamura, Aiko}, year=2024, month={3}}"
    code, out, err = add(kb_copy, "-", "--models", "vlm", "--attacks", "jailbreak", "--dry-run", stdin=entry)
    assert code == 0, err
    assert "id: nakamura2024typographic" in out and "date: 2024-03" in out
    code, out, err = add(kb_copy, entry, "--models", "vlm", "--attacks", "jailbreak")
    assert code == 0, err
    assert (kb_copy / "papers" / "2024" / "nakamura2024typographic.yaml").is_file()


def test_bibtex_entries_in_one_file_collide_and_get_suffixes(kb_copy: Path) -> None:
    text = ("@misc{a, title={Jailbreak One}, author={Wu, Li}, year=2024}\n"
            "@misc{b, title={Jailbreak Two}, author={Wu, Li}, year=2024}\n")
    code, _out, err = add(kb_copy, "-", "--models", "llm", "--attacks", "jailbreak", stdin=text)
    assert code == 0, err
    assert {"papers/2024/wu2024jailbreak.yaml", "papers/2024/wu2024jailbreakb.yaml"} <= paper_files(kb_copy)


# ---------------------------------------------------------------- classification

def test_missing_classification_without_terminal(kb_copy: Path, services: str) -> None:
    Recorded.requests.clear()
    code, _out, err = add(kb_copy, "2311.05608", "--attacks", "jailbreak")
    assert code == 2
    assert "no terminal" in err and "--models" in err
    assert Recorded.requests == [], "nothing is fetched for a run that cannot finish"


def test_defense_needs_counters(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, "-", "--models", "vlm", "--defenses", "safety-alignment",
                          stdin="@misc{a, title={T}, author={A, B}, year=2024}")
    assert code == 2 and "--counters" in err


def test_general_defense_with_counters_none(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, "-", "--models", "llm", "--defenses", "safety-alignment", "--counters", "none",
                          stdin="@misc{a, title={Learning from Preferences}, author={Amodei, Dario}, year=2024}")
    assert code == 0, err
    record = read(kb_copy / "papers" / "2024" / "amodei2024learning.yaml")
    assert record["defenses"] == ["safety-alignment"] and "counters" not in record
    assert run_script("validate.py", "--root", ".", "--strict", cwd=kb_copy).returncode == 0, "no warning either"


def test_counters_none_needs_a_general_defense_type(kb_copy: Path) -> None:
    before = paper_files(kb_copy)
    code, _out, err = add(kb_copy, "-", "--models", "llm", "--defenses", "backdoor-removal", "--counters", "None",
                          stdin="@misc{a, title={T}, author={A, B}, year=2024}")
    assert code == 2
    assert ("'--counters none' is for a general defense, and backdoor-removal is not a general defense type "
            "(safety-alignment are): name the attack types it defends against") in err
    assert paper_files(kb_copy) == before


def test_prompt_accepts_none_for_a_general_defense_only(kb_copy: Path) -> None:
    answers = ["llm", "defense", "backdoor removal, safety alignment", "none", "", "", "", ""]
    code, out, err = add(kb_copy, "@misc{k, title={Aligning Models}, author={Lee, Ann}, year=2024}",
                         interactive=True, answers=answers)
    assert code == 0, err
    assert "'none' for a general defense" in out
    record = read(kb_copy / "papers" / "2024" / "lee2024aligning.yaml")
    assert record["defenses"] == ["backdoor-removal", "safety-alignment"] and "counters" not in record
    answers = ["llm", "defense", "backdoor removal", "none", "backdoor", "", "", "", ""]
    code, out, err = add(kb_copy, "@misc{k, title={Pruning Triggers}, author={Lee, Ann}, year=2024}",
                         interactive=True, answers=answers)
    assert code == 0, err
    assert "backdoor-removal is not a general defense type" in out
    assert read(kb_copy / "papers" / "2024" / "lee2024pruning.yaml")["counters"] == ["backdoor"]


def test_unknown_term_suggests(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, "-", "--models", "vlm", "--attacks", "jailbrek",
                          stdin="@misc{a, title={T}, author={A, B}, year=2024}")
    assert code == 2 and "unknown attack type 'jailbrek'; did you mean 'jailbreak'?" in err


def test_invalid_record_is_not_written(kb_copy: Path) -> None:
    before = paper_files(kb_copy)
    code, _out, err = add(kb_copy, "-", "--models", "vlm", "--attacks", "jailbreak", "--code", "ftp://example.org/x",
                          stdin="@misc{a, title={T}, author={A, B}, year=2024}")
    assert code == 1
    assert "would not validate" in err and "papers/2024/a2024t.yaml:" in err and "http(s) URL" in err
    assert paper_files(kb_copy) == before


def test_prompts_offer_choices_and_accept_aliases(kb_copy: Path) -> None:
    answers = ["LVLM, video-llm", "", "defense", "safety alignment", "jailbrek", "jailbreak",
               "BaShield", "gray", "gray-box", "", "Aligns the model so that jailbreaks are refused."]
    code, out, err = add(kb_copy, "@misc{k, title={Backdoor-Style Shields}, author={Lee, Ann}, year=2024}",
                         interactive=True, answers=answers)
    assert code == 0, err
    assert "vlm" in out and "Vision-language models" in out, "the choices are listed with names"
    assert "contribution is required" in out
    assert "did you mean 'jailbreak'" in out and "is not one of" in out
    record = read(kb_copy / "papers" / "2024" / "lee2024backdoorstyle.yaml")
    assert record["models"] == ["vlm", "video-llm"] and record["contribution"] == ["defense"]
    assert record["defenses"] == ["safety-alignment"] and record["counters"] == ["jailbreak"]
    assert record["method"] == "BaShield" and record["threat_model"] == "gray-box"
    assert record["summary"].startswith("Aligns") and record["status"] == "reviewed"


def test_prompt_cancelled_writes_nothing(kb_copy: Path) -> None:
    before = paper_files(kb_copy)
    code, _out, err = add(kb_copy, "@misc{k, title={T}, author={Lee, Ann}, year=2024}", interactive=True,
                          answers=["vlm"])
    assert code == 1 and "cancelled" in err
    assert paper_files(kb_copy) == before


def test_status_auto_for_blanket_classification(kb_copy: Path) -> None:
    code, out, _err = add(kb_copy, "-", "--models", "vlm", "--contribution", "survey", "--status", "auto",
                          "--dry-run", stdin="@misc{a, title={A Survey}, author={A, B}, year=2024}")
    assert code == 0 and "status: auto" in out


# ---------------------------------------------------------------- source forms and the id rule

@pytest.mark.parametrize(("text", "kind", "value"), [
    ("2311.05608", "arxiv", "2311.05608"),
    ("2311.05608v2", "arxiv", "2311.05608"),
    ("arXiv:2311.05608", "arxiv", "2311.05608"),
    ("https://arxiv.org/abs/2311.05608v3", "arxiv", "2311.05608"),
    ("http://arxiv.org/pdf/2311.05608v1.pdf", "arxiv", "2311.05608"),
    ("https://arxiv.org/abs/cs/0112017", "arxiv", "cs/0112017"),
    ("10.1145/3576915.3623156", "doi", "10.1145/3576915.3623156"),
    ("https://doi.org/10.1145/3576915.3623156", "doi", "10.1145/3576915.3623156"),
    ("https://doi.org/10.48550/arXiv.2311.05608", "arxiv", "2311.05608"),
])
def test_parse_source(text: str, kind: str, value: str) -> None:
    from safetykb.addpaper.cli import parse_source

    source = parse_source(text, io.StringIO())
    assert (source.kind, source.value) == (kind, value)


def test_unreadable_source_is_a_usage_error(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, "not-a-paper", "--models", "vlm", "--contribution", "survey")
    assert code == 2 and "not an arXiv id" in err and "examples:" in err


@pytest.mark.parametrize(("family", "year", "title", "expected"), [
    ("Gong", 2023, "FigStep: Jailbreaking Large Vision-language Models", "gong2023figstep"),
    ("Madry", 2018, "Towards Deep Learning Models Resistant to Adversarial Attacks", "madry2018deep"),
    ("van der Berg", 2025, "On the Robustness of X", "vanderberg2025robustness"),
    ("Müller", 2024, "(Ab)using Images", "muller2024abusing"),
    ("Ødegård", 2024, "The 3D Attack", "odegard20243d"),
    ("Liu", 2024, "Vision-Language Attacks / Defenses", "liu2024visionlanguage"),
])
def test_id_rule(family: str, year: int, title: str, expected: str) -> None:
    from safetykb.metadata.ids import base_id, unique_id

    assert base_id(family, year, title) == expected
    assert unique_id(expected, {expected, expected + "b"}) == expected + "c"


def test_help_runs() -> None:
    proc = run_script("add_paper.py", "--help")
    assert proc.returncode == 0 and "--models" in proc.stdout and "examples:" in proc.stdout


def test_near_identical_title_can_be_declared_different(kb_copy: Path) -> None:
    entry = "@misc{a, title={Purifying Backdoored Language Model}, author={Kim, Finn}, year=2024}"
    code, _out, err = add(kb_copy, "-", "--models", "llm", "--contribution", "analysis", stdin=entry)
    assert code == 1 and "a near-identical title" in err and "--not-duplicate-of kim2023purify" in err
    code, _out, err = add(kb_copy, "-", "--models", "llm", "--contribution", "analysis",
                          "--not-duplicate-of", "kim2023purify", stdin=entry)
    assert code == 0, err
    assert read(kb_copy / "papers" / "2024" / "kim2024purifying.yaml")["not_duplicate_of"] == ["kim2023purify"]
    assert load_and_validate(kb_copy).ok


def test_not_duplicate_of_accepts_a_former_id(kb_copy: Path) -> None:
    """A renamed paper (former_ids) is still named by its old id."""
    old = kb_copy / "papers" / "2023" / "kim2023purify.yaml"
    moved = kb_copy / "papers" / "2022" / "kim2022purify.yaml"
    moved.parent.mkdir(parents=True, exist_ok=True)
    moved.write_text(old.read_text(encoding="utf-8").replace("id: kim2023purify", "id: kim2022purify\n"
                     "former_ids: [kim2023purify]").replace("year: 2023", "year: 2022"), encoding="utf-8")
    old.unlink()
    entry = "@misc{a, title={Purifying Backdoored Language Model}, author={Kim, Finn}, year=2024}"
    code, _out, err = add(kb_copy, "-", "--models", "llm", "--contribution", "analysis",
                          "--not-duplicate-of", "kim2023purify", stdin=entry)
    assert code == 0, err
    assert read(kb_copy / "papers" / "2024" / "kim2024purifying.yaml")["not_duplicate_of"] == ["kim2022purify"]
    assert load_and_validate(kb_copy).ok

# ---------------------------------------------------------------- hostile or unusual BibTeX

def test_bibtex_concatenation_and_macros_are_resolved() -> None:
    from safetykb.addpaper.bib import read_bibtex

    items = read_bibtex('@string{conf = "NeurIPS"}\n@string{full = conf # " 2024"}\n'
                        '@inproceedings{a, title = "Part one" # { and two}, author = {A B}, year = 2024, '
                        'booktitle = full, month = mar}\n')
    meta = items[0].meta
    assert items[0].error is None and meta is not None
    assert meta.title == "Part one and two" and meta.venue == "NeurIPS" and meta.date == "2024-03"


def test_undefined_macro_is_an_error_not_a_title(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, "-", "--models", "vlm", "--attacks", "jailbreak", "--dry-run",
                          stdin="@misc{a, title = undefinedmacro, author = {A B}, year = 2024}\n"
                                "@misc{b, title = {T} # nope, author = {A B}, year = 2024}")
    assert code == 1
    assert ("broken entry at line 1 of <stdin> (a): `title`: undefined @string macro 'undefinedmacro': define it "
            "with @string{undefinedmacro = {...}} or put the text in braces") in err
    assert "(b): `title`: undefined @string macro 'nope'" in err


def test_missing_year_comes_from_biblatex_date_or_the_arxiv_id() -> None:
    from safetykb.addpaper.bib import read_bibtex

    dated, arxiv, none = read_bibtex(
        "@article{a, title={Dated}, author={A B}, date={2023-05-01}}\n"
        "@misc{b, title={Preprint}, author={A B}, eprint={2311.05608}, archiveprefix={arXiv}}\n"
        "@misc{c, title={Nothing}, author={A B}}\n")
    assert dated.meta is not None and (dated.meta.year, dated.meta.date) == (2023, "2023-05-01")
    assert arxiv.meta is not None and (arxiv.meta.year, arxiv.meta.date) == (2023, "2023-11")
    assert arxiv.meta.notes == ["no year or date in the entry: 2023 is taken from the arXiv id"]
    assert none.error == "no year: add `year = {YYYY}` (or biblatex's `date = {YYYY-MM-DD}`)"


def test_huge_bibtex_is_refused_before_it_is_decoded(kb_copy: Path, tmp_path: Path) -> None:
    """Decoding LaTeX is slow: a 10 MB title took over 300 s. Input, fields and decoding are capped."""
    big = tmp_path / "big.bib"
    big.write_text("@article{a, title = {" + "x" * 2_000_000 + "}, author = {A B}, year = 2024}\n")
    result = run_script("add_paper.py", str(big), "--models", "vlm", "--attacks", "jailbreak", "--dry-run",
                        "--root", str(kb_copy), timeout=30)
    assert result.returncode == 2 and "more than 1,024 KiB of BibTeX" in result.stderr
    code, _out, err = add(kb_copy, "-", "--models", "vlm", "--attacks", "jailbreak", "--dry-run",
                          stdin="@article{a, title = {" + "\\'e" * 100_000 + "}, author = {A B}, year = 2024}")
    assert code == 1
    assert "`title` is 300,000 characters long; at most 1,000 are read" in err
    from safetykb.addpaper.bib import read_bibtex

    heavy = "".join(f"@misc{{k{i}, title={{T{i}}}, author={{" + "M{\\\"u}ller and " * 600 + "A B}, year=2024}\n"
                    for i in range(10))
    errors = [item.error for item in read_bibtex(heavy)]
    assert errors[:5] == [None] * 5 and "too much LaTeX markup to decode in one run" in str(errors[-1])


def test_control_characters_from_a_source_never_reach_a_record(kb_copy: Path) -> None:
    code, out, err = add(kb_copy, "-", "--models", "vlm", "--attacks", "jailbreak", "--dry-run",
                         stdin='@misc{a, title = {Evil \x1b[31mred\u202e title}, author = {A\x07 B}, year = 2024}')
    assert code == 0, err
    assert "title: Evil [31mred title" in out and "\x1b" not in out and "\u202e" not in out and "\x07" not in out


def test_a_title_with_an_added_prefix_is_a_known_paper(kb_copy: Path) -> None:
    """lee2023stealthy is 'Stealthy Clean-Label Backdoors for Diffusion Models': 'Towards ...' was accepted."""
    entry = ("@misc{a, title={Towards Stealthy Clean-Label Backdoors for Diffusion Models}, author={Lee, Eve}, "
             "year=2024}")
    code, _out, err = add(kb_copy, "-", "--models", "dm", "--attacks", "backdoor", "--dry-run", stdin=entry)
    assert code == 1
    assert "is already in the knowledge base as lee2023stealthy (" in err
    assert ("papers/2023/lee2023stealthy.yaml): the same title but for the prefix 'Towards'; nothing written (if "
            "it is a different paper, pass --not-duplicate-of lee2023stealthy)") in err
    code, _out, err = add(kb_copy, "-", "--models", "dm", "--attacks", "backdoor", "--dry-run",
                          "--not-duplicate-of", "lee2023stealthy", stdin=entry)
    assert code == 0, err


def test_core_title_keeps_generic_subtitles_apart() -> None:
    from safetykb.core.duplicates import core_title, normalise_title

    assert core_title("FigStep: Jailbreaking Large Vision-Language Models") == normalise_title(
        "Jailbreaking Large Vision-Language Models")
    assert core_title("Towards Robust Models") is None  # too little left to compare
    assert core_title("SafeBench: A Survey") is None and core_title("No Prefix Here At All") is None
    assert core_title("A rather long main title with many words: and its subtitle here") is None


# ---------------------------------------------------------------- prompts: only what is missing, checked as typed

ENTRY = "@misc{k, title={Shields Up for Models}, author={Lee, Ann}, year=2024}"


def test_flags_that_say_enough_are_never_asked_again(kb_copy: Path) -> None:
    code, out, err = add(kb_copy, ENTRY, "--models", "vlm", "--attacks", "jailbreak", "--dry-run", interactive=True,
                         answers=[])
    assert code == 0, err
    assert "Classify:" not in out and ": " not in out.split("---")[0], "no question was asked"


def test_only_the_missing_fields_are_asked(kb_copy: Path) -> None:
    code, out, err = add(kb_copy, ENTRY, "--models", "vlm", "--defenses", "safety-alignment", "--method", "Up",
                         "--dry-run", interactive=True, answers=["jailbreak", "", "", ""])
    assert code == 0, err
    for given in ("models (required): ", "contribution (", "defenses (required): ", "method (short name)"):
        assert given not in out, f"asked again: {given}"
    for missing in ("counters (required): ", "threat_model (", "code (repository URL)", "summary ("):
        assert missing in out


def test_each_answer_is_checked_as_it_is_typed(kb_copy: Path) -> None:
    answers = ["vlm", "defence", "safety-alignment", "jailbreak", "", "grey", "grey-box",
               "ftp://example.org/code", "https://github.com/a/b", "Rings \x07 the bell.", "Refuses jailbreaks."]
    code, out, err = add(kb_copy, ENTRY, "--dry-run", interactive=True, answers=answers)
    assert code == 0, err
    assert "'gray' is not one of white-box, gray-box, black-box; did you mean 'gray-box'?" in out
    assert "'ftp://example.org/code' is not an http(s) URL: write it as https://..." in out
    assert "the character U+0007 (BEL) is not allowed: type it again without it" in out
    assert "contribution:\n- defense" in out and "threat_model: gray-box" in out
    assert "code: https://github.com/a/b" in out and "summary: Refuses jailbreaks." in out


def test_a_benchmark_paper_is_asked_what_it_introduces_and_the_record_must_agree(kb_copy: Path) -> None:
    (kb_copy / "taxonomy" / "datasets" / "shieldset.yaml").write_text(
        "id: shieldset\nname: ShieldSet\nintroduced_in: lee2024shields\nmodels: [vlm]\n")
    answers = ["vlm", "benchmark", "mm-bench-safety", "advset", "shieldset", "jailbreak", "", "", "", ""]
    code, out, err = add(kb_copy, ENTRY, interactive=True, answers=answers)
    assert code == 0, err
    assert "'mm-bench-safety' was introduced in 'bench2024mm' (taxonomy/benchmarks/mm-bench-safety.yaml)" in out
    assert "'advset' does not say where it was introduced: add `introduced_in: lee2024shields`" in out
    assert read(kb_copy / "papers" / "2024" / "lee2024shields.yaml")["introduces"] == ["shieldset"]
    assert load_and_validate(kb_copy).ok


def test_without_a_terminal_a_benchmark_paper_needs_introduces(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, ENTRY, "--models", "vlm", "--contribution", "benchmark")
    assert code == 2 and "--introduces" in err
    code, _out, err = add(kb_copy, ENTRY, "--models", "vlm", "--contribution", "benchmark",
                          "--introduces", "mm-bench-safety")
    assert code == 1
    assert "'mm-bench-safety' is introduced here but its record does not point back: " in err
    assert f"{kb_copy}/taxonomy/benchmarks/mm-bench-safety.yaml says it was introduced in 'bench2024mm'" in err
    assert "safetykb-add-" not in err, "the scratch copy is never named"


def test_a_cancelled_run_gives_the_answers_back_as_flags(kb_copy: Path) -> None:
    code, _out, err = add(kb_copy, ENTRY, "--venue", "CVPR", interactive=True, answers=["LVLM", "attack"])
    assert code == 1 and "cancelled (no answer on the terminal)" in err
    assert "scripts/add_paper.py '@misc{k, title={Shields Up for Models}, author={Lee, Ann}, year=2024}' " \
           "--models vlm --contribution attack" in err


def test_british_spellings_and_swapped_letters_are_understood(kb_copy: Path) -> None:
    code, out, err = add(kb_copy, ENTRY, "--models", "vlm", "--contribution", "Defence", "--defenses",
                         "safety-alignment", "--counters", "jailbreak", "--threat-model", "grey-box", "--dry-run")
    assert code == 0, err
    assert "- defense" in out and "threat_model: gray-box" in out
    for typed, meant in (("vml", "vlm"), ("LVML", "vlm")):
        code, _out, err = add(kb_copy, ENTRY, "--models", typed, "--attacks", "jailbreak", "--dry-run")
        assert code == 2 and f"unknown model family '{typed}'; did you mean '{meant}'?" in err, err
