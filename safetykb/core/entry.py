"""How every script in scripts/ starts and ends: Ctrl-C and a closed pipe end with one line, never a traceback.

A script imports only this module, then `script()` imports the command's module and runs it, so an
interrupt while the package loads is handled like one while it works. Files are written whole or not
at all (`safetykb.core.fileio`), so an interrupted command leaves no half-written file behind.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from typing import NoReturn


def script(module: str, function: str, prog: str) -> NoReturn:
    """Run `module.function()` as the command `prog` and exit with its status; 130 after Ctrl-C."""
    try:
        main = getattr(importlib.import_module(module), function)
        status = main()
    except KeyboardInterrupt:
        _quiet_print(f"\n{prog}: interrupted; nothing half-written is left behind")
        status = 130
    except BrokenPipeError:  # `... | head`: the reader has what it wanted
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    sys.exit(status)


def _quiet_print(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr)
