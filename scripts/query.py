#!/usr/bin/env python3
"""Ask the knowledge base: `scripts/query.py "which defenses cover backdoors in VLMs"` (see --help)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.query.cli", "main", "query.py")
