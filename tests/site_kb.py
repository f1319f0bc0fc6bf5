"""Test helpers for the site: knowledge bases to build (fixture + extra records) and a real mkdocs build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE_KB = REPO / "tests" / "fixtures" / "kb"
MKDOCS = [sys.executable, "-m", "mkdocs"]
#: The addresses the test builds publish under (as the Pages workflow sets them): fixed, so pages, sitemap,
#: feed and "edit this record" links are the same on every machine.
SITE_URL = "https://example.org/safetykb/"
REPO_URL = "https://github.com/example/safetykb"

FIGSTEP = """\
# yaml-language-server: $schema=../../safetykb/schemas/paper.schema.json
id: gong2023figstep
title: "FigStep: Jailbreaking Large Vision-language Models via Typographic Visual Prompts"
authors: [Yichen Gong, Delong Ran, Jinyuan Liu, Conglei Wang, Tianshuo Cong, Anyu Wang, Sisi Duan, Xiaoyun Wang]
year: 2023
date: 2023-11-09
venue: AAAI
links: {arxiv: "2311.05608", code: "https://github.com/ThuCCSLab/FigStep"}
models: [vlm]
contribution: [attack]
attacks: [jailbreak]
method: FigStep
threat_model: black-box
sources: [awesome-lvlm-safety]
status: reviewed
added: 2026-11-24
"""

#: A record whose every free-text field tries to inject HTML, Markdown or script.
HOSTILE_TITLE = "<script>alert(1)</script> Hostile <img src=x onerror=alert(2)> *title* [x](javascript:alert(3))"
HOSTILE = f"""\
id: evil2024script
title: '{HOSTILE_TITLE}'
authors: ['<b onmouseover=alert(4)>Mallory</b>', 'Eve :material-github: Doe']
year: 2024
date: 2024-12-31
venue: '<i>Venue</i>'
summary: 'Click [here](javascript:alert(5)) or <a href="javascript:alert(6)">here</a> | table | {{: .x }}'
models: [vlm]
contribution: [attack]
attacks: [jailbreak]
method: '<svg onload=alert(7)>'
sources: [contributor]
status: auto
added: 2026-11-25
"""


#: An evaluated system and a result set whose every free-text field tries to inject HTML, Markdown or script.
HOSTILE_SYSTEM = """\
id: evil-vl-1b
name: '<script>alert(8)</script> Evil-VL'
aliases: ['<img src=x onerror=alert(9)>']
family: vlm
size: '<b>1B</b>'
access: open
organization: '[Mallory Labs](javascript:alert(10)) *Corp*'
links: {url: 'https://example.org/"><script>alert(11)</script>', code: 'https://example.org/evil?a=1&b=<2>'}
"""
HOSTILE_RESULT = """\
id: evil2024script-mm-bench-safety-typo
source: evil2024script
benchmark: mm-bench-safety
setting: '<svg onload=alert(12)> TYPO'
setting_description: '| table | {: .x } <i>typo</i>'
metric: {name: '<b>ASR</b>', description: '<script>alert(13)</script>', unit: '%', better: higher}
categories: ['<img src=x onerror=alert(14)>', 'Plain']
aggregate: mean
values:
  - system: evil-vl-1b
    value: 50.00
    by_category: {'<img src=x onerror=alert(14)>': 60.00, Plain: 40.00}
    note: '<script>alert(15)</script> note'
  - system: alpha-vl-7b
    value: 10
    by_category: {'<img src=x onerror=alert(14)>': 10, Plain: 10}
source_note: '<a href="javascript:alert(16)">click</a>'
source_url: 'https://example.org/x"onmouseover="alert(17)'
license: '<i>CC</i>'
notes: '**bold** <script>alert(18)</script>'
"""


def make_kb(dest: Path) -> Path:
    """The fixture KB plus FigStep, a hostile paper, a hostile system and a hostile result set, copied to dest."""
    shutil.copytree(FIXTURE_KB, dest)
    (dest / "papers" / "2023" / "gong2023figstep.yaml").write_text(FIGSTEP, encoding="utf-8")
    (dest / "papers" / "2024" / "evil2024script.yaml").write_text(HOSTILE, encoding="utf-8")
    (dest / "taxonomy" / "systems" / "evil-vl-1b.yaml").write_text(HOSTILE_SYSTEM, encoding="utf-8")
    (dest / "results" / "evil2024script-mm-bench-safety-typo.yaml").write_text(HOSTILE_RESULT, encoding="utf-8")
    return dest


#: The record the "renamed" site's refresh moves from papers/2024/ to papers/2023/ (its first version is a year
#: earlier), and its new id.
RENAMED = ("bench2024mm", "bench2023fixture")


def make_renamed_kb(dest: Path) -> Path:
    """The fixture KB after scripts/refresh.py took a recorded answer that moves bench2024mm a year earlier
    (a new id, the old one kept in former_ids), with one author list a source cut (authors_complete: false)."""
    import contextlib
    import io

    from safetykb.refresh.cli import main as refresh

    make_kb(dest)
    with contextlib.redirect_stdout(io.StringIO()):
        code = refresh(["--from", str(REPO / "tests" / "fixtures" / "refresh" / "answers-year-change.yaml"),
                        "--root", str(dest)])
    assert code == 0 and (dest / "papers" / "2023" / f"{RENAMED[1]}.yaml").exists()
    cut = dest / "papers" / "2023" / "kim2023purify.yaml"
    cut.write_text(cut.read_text(encoding="utf-8").replace("authors: [Finn Kim]\n",
                                                           "authors: [Finn Kim]\nauthors_complete: false\n"),
                   encoding="utf-8")
    return dest


def build(root: Path, out: Path, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` of this checkout's mkdocs.yml over the records under root, into out."""
    env = {**os.environ, "SAFETYKB_ROOT": str(root), "NO_MKDOCS_2_WARNING": "1", "SAFETYKB_SITE_URL": SITE_URL,
           "SAFETYKB_REPO_URL": REPO_URL, "SAFETYKB_EDIT_URI": "edit/main/"}
    args = [*MKDOCS, "build", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)]
    if strict:
        args.append("--strict")
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


_BUILT: dict[str, Path] = {}


def built_site(which: str) -> Path:
    """The site built once per test session: 'fixture' (fixture KB + FigStep + hostile record), 'renamed'
    (the fixture after a refresh renamed a record) or 'real'."""
    if which not in _BUILT:
        import atexit
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix=f"safetykb-site-{which}-"))
        atexit.register(shutil.rmtree, tmp, True)
        makers = {"fixture": make_kb, "renamed": make_renamed_kb}
        root = makers[which](tmp / "kb") if which in makers else REPO
        result = build(root, tmp / "site")
        if result.returncode != 0:
            raise AssertionError(f"mkdocs build failed for the {which} KB:\n{result.stdout}\n{result.stderr}")
        _BUILT[which] = tmp / "site"
        _BUILT[which + ":root"] = root
    return _BUILT[which]


def root_of(which: str) -> Path:
    built_site(which)
    return _BUILT[which + ":root"]


