"""Output files of a command: checked before any work, written all or nothing.

Every output a command will write is checked first (a folder where a file should be, a parent
that is a file, a place nobody can write such as ``/proc``), so bad paths stop the command with
exit 2 before anything is computed. The files are then written to temporary siblings and
renamed onto their names only when every one of them was written: a failure leaves none behind,
not the first of three.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

Output = tuple[str, Path]
"""An option name (``--out``) and the path it names."""


def _nearest_existing(p: Path) -> Path:
    for parent in p.parents:
        if parent.exists() or parent.is_symlink():
            return parent
    return Path(".")


def _probe(folder: Path) -> str | None:
    """Why nothing can be written in ``folder`` (None when a file can be created there)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".penempatan-probe-")
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    os.unlink(name)
    return None


def problems(outputs: Sequence[Output]) -> list[str]:
    """One line per output that cannot be written, naming the option and the path."""
    lines: list[str] = []
    seen: dict[Path, str] = {}
    for option, path in outputs:
        where = f"{option} {path}"
        resolved = path.resolve()
        if resolved in seen:
            lines.append(f"{where}: the same file as {seen[resolved]}; name another file")
            continue
        seen[resolved] = option
        if path.is_dir():
            lines.append(f"{where}: is a folder; name a file to write")
            continue
        if path.exists() and not path.is_file():
            lines.append(f"{where}: is not a regular file; name a file to write")
            continue
        base = path.parent if path.parent.exists() else _nearest_existing(path)
        if not base.is_dir():
            lines.append(f"{where}: {base} is a file, not a folder")
            continue
        why = _probe(base)
        if why is not None:
            lines.append(f"{where}: cannot write in {base} ({why})")
    return lines


@contextmanager
def all_or_nothing(outputs: Sequence[Output]) -> Iterator[Callable[[Path], Path]]:
    """Yields ``tmp(path)``: the temporary sibling to write instead of ``path``. When the block
    ends without error every temporary file is renamed onto its name; otherwise all are removed.
    """
    pending: dict[Path, Path] = {}

    def tmp(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        t = path.with_name(f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}{path.suffix}")
        pending[path] = t
        return t

    try:
        yield tmp
        for final, t in pending.items():
            os.replace(t, final)
    finally:
        for t in pending.values():
            t.unlink(missing_ok=True)
