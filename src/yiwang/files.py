"""Files the platform writes hold personal data (the SQLite database, uploads) or secrets
(signing keys): they are created readable by the service account only, whatever the umask
(0600 files, 0700 folders)."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Create ``path`` and any missing parents as 0700; folders that already exist keep
    their mode (an operator may have chosen a shared parent such as /srv)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # created concurrently by another request
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (created or truncated) with mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(data)


def touch_private(path: Path) -> None:
    """Create an empty 0600 file if there is none (before SQLite creates the database with
    the umask's mode; its -wal and -shm files copy the database file's mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
