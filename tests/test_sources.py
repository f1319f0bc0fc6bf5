"""Pinned seed lists (sources.yaml): finding them, fetching them from a pinned commit, refusing other bytes.

Downloads go to a 127.0.0.1 server standing in for raw.githubusercontent.com ($SAFETYKB_SOURCES_URL);
each test works on a copy of sources.yaml in a temporary root, so the real cache is never touched.
"""

from __future__ import annotations

import hashlib
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from safetykb.importer.sources import (
    SourcesMissing,
    downloaded,
    fetch_all,
    find_data,
    load_sources,
    vendored_mismatches,
)
from tests.helpers import REPO, run_script

FILES = {"awesome-lvlm-safety/README.md": b"# list one\n", "awesome-large-model-safety/README.md": b"# list two\n"}


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A root whose sources.yaml pins FILES under two fake repositories."""
    spec = {"sources": {}}
    for rel, body in FILES.items():
        name, path = rel.split("/", 1)
        spec["sources"][name] = {
            "title": name, "repository": f"owner/{name}", "commit": "a" * 40, "date": "2026-01-01",
            "license": "MIT", "license_url": "https://example.org/license", "companion_of": "a survey",
            "files": {path: hashlib.sha256(body).hexdigest()},
        }
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return tmp_path


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Serves /owner/<name>/<commit>/<path>; tests may change the served bytes."""
    served = {f"/owner/{rel.split('/', 1)[0]}/{'a' * 40}/{rel.split('/', 1)[1]}": body for rel, body in FILES.items()}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = served.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("SAFETYKB_SOURCES_URL", f"http://127.0.0.1:{httpd.server_port}")
    monkeypatch.delenv("SAFETYKB_SOURCES", raising=False)
    yield served
    httpd.shutdown()


def test_repository_pins_both_lists_with_licences() -> None:
    sources = load_sources(REPO)
    assert set(downloaded(sources)) == {"awesome-lvlm-safety", "awesome-large-model-safety"}
    assert sources["awesome-lvlm-safety"].license == "CC BY-NC 4.0"
    assert sources["awesome-large-model-safety"].license == "MIT"
    for source in sources.values():
        assert len(source.commit) == 40 and all(len(d) == 64 for d in source.files.values())


def test_vendored_evaluation_is_pinned_with_its_origin() -> None:
    """The survey's evaluation lives in the repository (it works without any download): every vendored
    file matches its sha256, and the two table images it was transcribed from are named with theirs."""
    source = load_sources(REPO)["lvlm-survey-evaluation"]
    assert source.vendored == "sources/lvlm-survey-evaluation" and source.license == "CC BY-NC 4.0"
    assert source.commit.startswith("bcbd139")
    assert set(source.files) == {"README.md", "siuo.csv", "mm-safetybench.csv"}
    assert source.origin_files == {
        "assets/Januspro_SIUO.png": "71aec97e81d74c44a443cb76542e78da4356f529b559191e838b1a4aa58ffa75",
        "assets/Januspro_MMSafetyBench.png": "336371465d46e943d51e0765fd499f4d2fe6207209c7a9b11bf2cb74307c4252",
    }
    assert vendored_mismatches(REPO) == []
    assert source.origin_url("assets/Januspro_SIUO.png") == (
        "https://github.com/XuankunRong/Awesome-LVLM-Safety/blob/bcbd139248b42be7d4c1d3aea8ec0d86ddc69566/"
        "assets/Januspro_SIUO.png")


def test_vendored_file_changed_is_named(tmp_path: Path) -> None:
    shutil.copy2(REPO / "sources.yaml", tmp_path / "sources.yaml")
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    assert vendored_mismatches(tmp_path) == []
    csv_file = tmp_path / "sources" / "lvlm-survey-evaluation" / "siuo.csv"
    csv_file.write_text(csv_file.read_text().replace("84.43", "84.44"))
    (tmp_path / "sources" / "lvlm-survey-evaluation" / "README.md").unlink()
    assert vendored_mismatches(tmp_path) == [
        "sources/lvlm-survey-evaluation/README.md missing",
        "sources/lvlm-survey-evaluation/siuo.csv differs from its sha256 in sources.yaml",
    ]


def test_vendored_sources_are_never_fetched(root: Path, server: dict[str, bytes]) -> None:
    spec = yaml.safe_load((root / "sources.yaml").read_text())
    spec["sources"]["vendored-one"] = {**spec["sources"]["awesome-lvlm-safety"], "vendored": "sources/v",
                                       "files": {"x.csv": "0" * 64}}
    (root / "sources.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert sorted(fetch_all(root)) == sorted(FILES)  # the vendored entry is neither downloaded nor required
    assert find_data(None, root) == root / ".cache" / "sources"


def test_fetch_fills_the_cache_then_find_data_uses_it(root: Path, server: dict[str, bytes]) -> None:
    with pytest.raises(SourcesMissing, match="make sources"):
        find_data(None, root)
    assert sorted(fetch_all(root)) == sorted(FILES)
    assert find_data(None, root) == root / ".cache" / "sources"
    assert (root / ".cache" / "sources" / "awesome-lvlm-safety" / "README.md").read_bytes() == b"# list one\n"
    assert fetch_all(root) == []  # already there and checked: nothing downloaded again


def test_fetch_refuses_other_bytes_and_writes_nothing(root: Path, server: dict[str, bytes]) -> None:
    key = next(k for k in server if "lvlm" in k)
    server[key] = b"# tampered\n"
    with pytest.raises(OSError, match="sha256 differs"):
        fetch_all(root)
    assert not (root / ".cache" / "sources" / "awesome-lvlm-safety" / "README.md").exists()


def test_fetch_offline_says_so(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETYKB_SOURCES_URL", "http://127.0.0.1:9")  # discard port: connection refused
    with pytest.raises(OSError, match="cannot download http://127.0.0.1:9/owner/"):
        fetch_all(root, timeout=5)


def test_environment_folder_must_match_the_pins(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lists"
    for rel, body in FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(body)
    monkeypatch.setenv("SAFETYKB_SOURCES", str(folder))
    assert find_data(None, root) == folder.resolve()
    (folder / "awesome-lvlm-safety" / "README.md").write_bytes(b"# newer list\n")
    with pytest.raises(SourcesMissing, match="awesome-lvlm-safety/README.md differs from commit aaaaaaa"):
        find_data(None, root)
    assert find_data(tmp_path, root) == tmp_path.resolve()  # an explicit --data folder is taken as given


def test_import_without_lists_fails_with_one_line(tmp_path: Path) -> None:
    """A clone with no neighbours and no cache: the importer says how to provide the lists, no traceback."""
    clone = tmp_path / "clone"
    shutil.copytree(REPO, clone, ignore=shutil.ignore_patterns(".git", ".venv", ".cache", "site", "__pycache__"))
    env_free = run_script("import_awesome.py", "--dry-run", cwd=clone, env={"SAFETYKB_SOURCES": ""},
                          script_root=clone)
    assert env_free.returncode == 2
    assert env_free.stderr.strip().splitlines() == [
        "error: seed lists not found: run `make sources` (downloads the pinned commits of sources.yaml) or set "
        "SAFETYKB_SOURCES to a folder holding awesome-lvlm-safety/README.md and awesome-large-model-safety/README.md"
    ]


def test_no_machine_paths_in_the_repository() -> None:
    """No tracked file names a folder of one machine (home folders, this workplace, a Windows drive)."""
    patterns = ["/" + "work/", "/" + "home/", "/" + "root/", "/" + "Users/", "C:" + "\\\\"]
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    hits = []
    for name in tracked.decode().split("\0"):
        path = REPO / name
        if not name or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        hits += [f"{name}: {p}" for p in patterns if p in text]
    assert hits == []


@pytest.mark.parametrize(("field", "value", "what"), [
    ("files", {"../../scripts/validate.py": "0" * 64}, "file path"),
    ("files", {"/etc/cron.d/x": "0" * 64}, "file path"),
    ("repository", "owner/../../evil", "repository"),
    ("commit", "main", "commit"),
])
def test_a_pin_that_leaves_the_cache_is_refused(root: Path, server: dict[str, bytes], field: str, value: object,
                                                 what: str) -> None:
    """A pull request editing sources.yaml could make `make sources` write a served file anywhere
    (../../scripts/validate.py, run next by `make test`)."""
    spec = yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))
    spec["sources"]["awesome-lvlm-safety"][field] = value
    (root / "sources.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    with pytest.raises(SourcesMissing, match=f"is not a valid {what}"):
        fetch_all(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_sources_yaml_with_a_key_written_twice_is_refused(root: Path) -> None:
    text = (root / "sources.yaml").read_text(encoding="utf-8")
    (root / "sources.yaml").write_text(text + "sources: {}\n", encoding="utf-8")
    with pytest.raises(SourcesMissing, match="key 'sources' appears twice"):
        load_sources(root)
