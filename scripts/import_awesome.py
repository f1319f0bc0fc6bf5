#!/usr/bin/env python3
"""Thin entry point: see safetykb.importer.cli.import_main."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.importer.cli", "import_main", "import_awesome.py")
