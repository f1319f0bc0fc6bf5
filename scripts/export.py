#!/usr/bin/env python3
"""Export the knowledge base: `scripts/export.py json|graphml|bib|csv OUT` (see --help)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.export.cli", "main", "export.py")
