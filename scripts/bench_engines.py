#!/usr/bin/env python3
"""The site's build time with mkdocs, ProperDocs and Zensical: `scripts/bench_engines.py [--papers N] [--repeat N]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.bench.engines import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
