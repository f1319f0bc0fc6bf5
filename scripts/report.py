#!/usr/bin/env python3
"""Thin entry point: see safetykb.importer.cli.report_main."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safetykb.importer.cli import report_main  # noqa: E402

if __name__ == "__main__":
    sys.exit(report_main())
