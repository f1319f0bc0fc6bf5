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


def make_kb(dest: Path) -> Path:
    """The fixture KB plus FigStep and a hostile record, copied to dest."""
    shutil.copytree(FIXTURE_KB, dest)
    (dest / "papers" / "2023" / "gong2023figstep.yaml").write_text(FIGSTEP, encoding="utf-8")
    (dest / "papers" / "2024" / "evil2024script.yaml").write_text(HOSTILE, encoding="utf-8")
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
    """The site built once per test session: 'fixture' (fixture KB + FigStep + hostile record) or 'real'."""
    if which not in _BUILT:
        import atexit
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix=f"safetykb-site-{which}-"))
        atexit.register(shutil.rmtree, tmp, True)
        root = make_kb(tmp / "kb") if which == "fixture" else REPO
        result = build(root, tmp / "site")
        if result.returncode != 0:
            raise AssertionError(f"mkdocs build failed for the {which} KB:\n{result.stdout}\n{result.stderr}")
        _BUILT[which] = tmp / "site"
        _BUILT[which + ":root"] = root
    return _BUILT[which]


def root_of(which: str) -> Path:
    built_site(which)
    return _BUILT[which + ":root"]


