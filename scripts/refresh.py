#!/usr/bin/env python3
"""Thin entry point: see safetykb.refresh.cli."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safetykb.refresh.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
