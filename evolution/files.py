"""Reading and writing a run's files: JSON, CSV and npz, never pickle.

Every file is written to a temporary name and renamed into place, so a crash never leaves a
half-written file behind; every reader turns a missing, truncated or foreign file into a
``ValueError`` that names the file.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, allow_nan=True) + "\n"))


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic_write(path, lambda p: frame.to_csv(p, index=False))


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    def write(p: Path) -> None:
        with open(p, "wb") as fh:
            np.savez(fh, **arrays)

    atomic_write(path, write)


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ValueError(f"{path}: missing; not a basemesa run directory") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None


def read_csv(path: Path) -> pd.DataFrame:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                raise ValueError(f"{path}: empty; truncated or not a basemesa table")
            fh.seek(-1, os.SEEK_END)
            # Every table is written whole, ending in a newline: without one the file was cut short.
            if fh.read(1) != b"\n":
                raise ValueError(f"{path}: truncated (no final newline)")
        return pd.read_csv(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: missing; not a basemesa run directory") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV table ({exc})") from None


def read_npz(path: Path, keys: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The named arrays of an npz file (``keys=None``: all of them); never unpickles (an object array
    is refused)."""
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{path}: a single array, not an npz archive")
        with data:
            keys = data.files if keys is None else keys
            missing = [k for k in keys if k not in data.files]
            if missing:
                raise ValueError(f"{path}: missing arrays {missing}")
            arrays = {k: data[k] for k in keys}
    except FileNotFoundError:
        raise ValueError(f"{path}: missing; not a basemesa run directory") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValueError(f"{path}: truncated or corrupted ({exc})") from None
    except ValueError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise ValueError(f"{path}: unreadable ({exc})") from None
    for k, a in arrays.items():
        if a.dtype.kind not in "fiub":
            raise ValueError(f"{path}: array {k!r} holds {a.dtype} data, expected numbers")
    return arrays


