#!/usr/bin/env python3
"""Download the seed lists pinned in sources.yaml into .cache/sources/ (see safetykb.importer.cli.fetch_main)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.importer.cli", "fetch_main", "fetch_sources.py")
