#!/usr/bin/env python3
"""Download the seed lists pinned in sources.yaml into .cache/sources/ (see safetykb.importer.cli.fetch_main)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.importer.cli import fetch_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(fetch_main())
