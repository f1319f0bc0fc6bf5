#!/usr/bin/env python3
"""Write the search index (Pagefind) into a built site folder: `scripts/index_site.py SITE_DIR`.

`mkdocs build` and `make serve` do this themselves (a hook); use this after a build by a tool that
ignores mkdocs hooks, e.g. Zensical over the folder scripts/build_pages.py writes.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykb.site.search_index import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
