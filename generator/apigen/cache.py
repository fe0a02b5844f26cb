"""apigen's cache folder (`APIGEN_CACHE_DIR`, else the XDG cache): validation results and the
digests of sources that compiled. Entries are written atomically, so a concurrent reader never
sees half a file, and an unwritable folder only costs time on the next run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    env = os.environ.get("APIGEN_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "apigen"


def write_entry(target: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace `target` with `text` (temp file + rename); a failure leaves the old entry."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding=encoding) as fh:
                fh.write(text)
            os.replace(tmp, target)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        return
