#!/usr/bin/env python3
"""Thin entry point: see safetykb.importer.results_cli.import_main."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safetykb.importer.results_cli import import_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(import_main())
