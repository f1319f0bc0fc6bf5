#!/usr/bin/env python3
"""Measure the pipeline against the budgets of DESIGN 7: `scripts/bench.py [--json] [--quick]` (see --help)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.bench.harness import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
