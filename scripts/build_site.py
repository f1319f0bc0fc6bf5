#!/usr/bin/env python3
"""Build the site with one engine: `scripts/build_site.py [--engine mkdocs|properdocs|zensical] [--out DIR]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.site.engines import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
