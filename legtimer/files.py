"""Reading a file the runner hands over (a template, a backup) without trusting what it is.

The size comes from reading, not from the file system's word for it: a device such as
/dev/zero reports 0 bytes and never ends, so at most `limit + 1` bytes are read. Only regular
files are read at all; a named pipe would block until someone writes to it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileProblem(ValueError):
    """Why a file cannot be read, in words for the runner."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def _size_words(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The file's bytes; FileProblem if it is not a regular file, is larger than `limit`, or
    cannot be read."""
    p = Path(path)
    try:
        info = os.stat(p)  # through a symbolic link, to what it points at
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"{p.name} is not a regular file (a folder, a device or a pipe)")
        with open(p, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise FileProblem(f"cannot read {p}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise FileProblem(f"{p.name} is larger than {_size_words(limit)}", too_large=True)
    return data
