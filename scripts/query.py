#!/usr/bin/env python3
"""Ask the knowledge base: `scripts/query.py "which defenses cover backdoors in VLMs"` (see --help)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.query.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
