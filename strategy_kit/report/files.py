"""Writing the report's files so that a failure never leaves half of one.

A file or folder is written under a fresh hidden name beside its final place, then moved over the
old one in one step (:func:`os.replace`, or a rename for a folder), so a reader sees the old
version or the new one, never a partial one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import uuid
from pathlib import Path


def unused_name(folder: Path, stem: str) -> Path:
    """A fresh hidden name in ``folder`` for a file or folder being written (created with the
    usual permissions, unlike mkstemp's private ones)."""
    return folder / f"{stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"


REPLACE_ATTEMPTS = 50  # each lost attempt means another run's version went in: someone always wins


def replace_folder(staging: Path, final: Path) -> None:
    """Put ``staging`` in place of ``final`` (the old one is removed only once the new one is there).

    The old folder is moved aside under a fresh name of its own, so two runs finishing at the same
    moment do not trip over each other's (a fixed ``.notebooks.old`` failed the second one with
    "directory not empty"): the last one to finish wins, as with a file."""
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        old = unused_name(final.parent, f".{final.name}.old")
        with contextlib.suppress(FileNotFoundError):  # no old version, or another run moved it aside
            final.rename(old)
        try:
            staging.rename(final)
            return
        except OSError as exc:  # another run put its version in place in between: move it aside too
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or attempt == REPLACE_ATTEMPTS:
                raise
        finally:
            shutil.rmtree(old, ignore_errors=True)


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target``: the old file stays whole until the new one replaces it."""
    temporary = unused_name(target.parent, f".{target.name}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
