"""Every script ends Ctrl-C with one line and status 130, never a traceback (safetykb.core.entry)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import FIXTURE_KB, REPO

SCRIPTS = ["add_paper.py", "build_pages.py", "export.py", "fetch_sources.py", "import_awesome.py", "query.py",
           "report.py", "validate.py"]


def test_every_script_starts_through_the_entry_guard() -> None:
    for name in SCRIPTS:
        text = (REPO / "scripts" / name).read_text(encoding="utf-8")
        assert "from safetykb.core.entry import script" in text and f'"{name}")' in text, name


def test_ctrl_c_at_a_prompt_or_while_reading_prints_no_traceback() -> None:
    """add_paper waiting for BibTeX on standard input, interrupted like a tired contributor would."""
    process = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "add_paper.py"), "-", "--models", "vlm", "--attacks", "jailbreak",
         "--root", str(FIXTURE_KB)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


@pytest.mark.parametrize("name", ["validate.py", "export.py"])
def test_interrupt_inside_the_command_is_one_line(name: str) -> None:
    code = ("import sys, runpy; sys.argv = sys.argv[1:]; import safetykb.core.validation as v\n"
            "def boom(*a, **k): raise KeyboardInterrupt\n"
            "v.load_and_validate = boom; v.load_kb = boom\n"
            "import safetykb.export.cli as e; e.load_kb_or_report = boom\n"
            "import safetykb.core.cli as c; c.load_and_validate = boom\n"
            "runpy.run_path(sys.argv[0], run_name='__main__')")
    args = [sys.executable, "-c", code, str(REPO / "scripts" / name)]
    if name == "export.py":
        args += ["json", "-"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == f"{name}: interrupted; nothing half-written is left behind"
