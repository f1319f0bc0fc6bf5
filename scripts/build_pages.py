#!/usr/bin/env python3
"""Write the generated site pages into a folder: `scripts/build_pages.py OUT [--root DIR] [--config FILE]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.site.cli", "main", "build_pages.py")
