"""A cached kernel is never run after the compiled code it depends on has changed."""

from __future__ import annotations

import re
from pathlib import Path

from organisms import compiled_cache


def fake_checkout(tmp_path: Path) -> Path:
    for package in compiled_cache.PACKAGES:
        (tmp_path / package / "__pycache__").mkdir(parents=True)
        (tmp_path / package / "kernel.py").write_text("x = 1\n")
        (tmp_path / package / "__pycache__" / "kernel.f-1.py311.nbi").write_bytes(b"index")
        (tmp_path / package / "__pycache__" / "kernel.f-1.py311.1.nbc").write_bytes(b"code")
        (tmp_path / package / "__pycache__" / "kernel.cpython-311.pyc").write_bytes(b"bytecode")
    return tmp_path


def cached(root: Path) -> list[str]:
    return sorted(p.name for package in compiled_cache.PACKAGES
                  for p in (root / package / "__pycache__").glob("*.nb*"))


def test_a_cache_of_unknown_sources_is_cleared_once_then_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    root = fake_checkout(tmp_path)
    assert compiled_cache.invalidate_stale_cache(root) is True
    assert cached(root) == []
    assert (root / "organisms" / "__pycache__" / "kernel.cpython-311.pyc").exists()  # bytecode is not numba's
    # Numba writes its cache again; with unchanged sources it is kept.
    (root / "organisms" / "__pycache__" / "kernel.f-1.py311.nbi").write_bytes(b"index")
    assert compiled_cache.invalidate_stale_cache(root) is False
    assert cached(root) == ["kernel.f-1.py311.nbi"]


def test_an_edit_in_any_compiled_module_clears_every_package_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    root = fake_checkout(tmp_path)
    compiled_cache.invalidate_stale_cache(root)
    for package in compiled_cache.PACKAGES:
        (root / package / "__pycache__" / "kernel.f-1.py311.nbi").write_bytes(b"index")
    # A callee in another file changes (say, a kind's step): the callers' caches must go too.
    (root / "organisms" / "planner.py").write_text("x = 2\n")
    assert compiled_cache.invalidate_stale_cache(root) is True
    assert cached(root) == []


def test_an_edit_outside_the_compiled_packages_keeps_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    root = fake_checkout(tmp_path)
    (root / "scenarios" / "engine").mkdir(parents=True)
    (root / "scenarios" / "engine" / "world.py").write_text("x = 1\n")
    compiled_cache.invalidate_stale_cache(root)
    (root / "organisms" / "__pycache__" / "kernel.f-1.py311.nbi").write_bytes(b"index")
    (root / "scenarios" / "engine" / "world.py").write_text("x = 2\n")
    assert compiled_cache.invalidate_stale_cache(root) is False
    assert cached(root) == ["kernel.f-1.py311.nbi"]


def test_every_compiled_module_is_in_a_hashed_package():
    # The protection holds only if no module outside PACKAGES compiles code numba would cache.
    root = Path(compiled_cache.__file__).resolve().parents[1]
    hashed = [root / p for p in compiled_cache.PACKAGES]
    compiling = [path for package in ("organisms", "scenarios", "evolution", "plots")
                 for path in (root / package).rglob("*.py")
                 if re.search(r"\b(njit|jit|vectorize|guvectorize|cfunc)\(", path.read_text())]
    assert compiling, "found no compiled module at all: the scan itself is broken"
    outside = [str(p.relative_to(root)) for p in compiling if not any(h in p.parents for h in hashed)]
    assert outside == []


def test_numba_cache_dir_is_honoured(tmp_path, monkeypatch):
    root = fake_checkout(tmp_path / "repo")
    user = tmp_path / "numba-cache"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(user))
    folders = compiled_cache.cache_folders(root)
    for folder in folders:
        folder.mkdir(parents=True)
        (folder / "kernel.f-1.py311.nbi").write_bytes(b"index")
    assert compiled_cache.invalidate_stale_cache(root) is True
    assert all(not list(f.glob("*.nbi")) for f in folders)
    assert all(str(f).startswith(str(user)) for f in folders)
