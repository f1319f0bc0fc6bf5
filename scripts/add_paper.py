#!/usr/bin/env python3
"""Add a paper from an arXiv id or URL, a DOI or BibTeX: `scripts/add_paper.py SOURCE [flags]` (see --help)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.addpaper.cli", "main", "add_paper.py")
