"""Keep numba's on-disk cache honest across edits of the compiled code.

Kernels are compiled with ``cache=True``. Numba checks a cached function against its own source
file only, so when a function it inlines or calls from another file changes (a kind's ``step`` in
``organisms/planner.py``, called by the episode kernel in ``organisms/kernels.py``), the stale
cached kernel would be loaded and would run the old code, silently. So before anything compiled is
loaded, the sources of every package with compiled code are hashed together; when the hash differs
from the one recorded beside the cache, the cache files of those packages are removed and numba
compiles afresh (a minute, once). This runs when ``organisms`` is first imported.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGES = ("organisms",)
"""Folders (relative to the repository root) whose modules hold ``@njit(cache=True)`` functions. Only
these are hashed: an edit elsewhere (the scenario engine, say) changes no compiled code and keeps the
cache (a test checks that no module outside them compiles anything)."""
STAMP = "numba-sources.sha256"


def source_hash(root: Path) -> str:
    """One hash of every module of the compiled packages (names and contents)."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_folders(root: Path) -> list[Path]:
    """Where numba keeps the packages' cache: ``__pycache__`` beside the sources, or under
    ``NUMBA_CACHE_DIR`` when that is set."""
    user = os.environ.get("NUMBA_CACHE_DIR")
    if user:
        return [Path(user) / str((root / p).resolve()).lstrip(os.sep) for p in PACKAGES]
    return [root / p / "__pycache__" for p in PACKAGES]


def invalidate_stale_cache(root: Path | None = None) -> bool:
    """Remove the compiled packages' numba cache if their sources changed since it was written.

    Returns:
        Whether anything was removed. Best effort: a read-only checkout is left alone.
    """
    root = Path(__file__).resolve().parents[1] if root is None else root
    try:
        current = source_hash(root)
        folders = cache_folders(root)
        stamp = folders[0] / STAMP
        if stamp.exists() and stamp.read_text().strip() == current:
            return False
        removed = False
        for folder in folders:
            for path in list(folder.glob("*.nbi")) + list(folder.glob("*.nbc")):
                path.unlink(missing_ok=True)
                removed = True
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
        return removed
    except OSError:
        return False


invalidate_stale_cache()
