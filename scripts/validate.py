#!/usr/bin/env python3
"""Check every record of the knowledge base: `scripts/validate.py [PATHS...]` (see --help)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.core.entry import script  # noqa: E402 - imports nothing heavy

if __name__ == "__main__":
    script("safetykb.core.cli", "main", "validate.py")
