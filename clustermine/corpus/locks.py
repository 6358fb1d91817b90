"""Who holds a corpus lock, and whether that is a run still going or the leftovers of a killed one.

clustermine's locks are ``flock`` locks on files in the corpus home (``write.lock``, ``index/LOCK``). The kernel
drops such a lock when the last process holding its file open ends, so a crashed run never leaves a lock behind
by itself. But reader processes are forked while the lock is held and inherit it: when the main process is
killed (``kill -9``, the OOM killer) a worker busy with a long file keeps the corpus locked until it is done,
and nobody is left to stop it at its time limit. ``/proc/locks`` still names the process that took the lock;
when that process is gone, the lock is stale, and the processes holding the file are the orphaned workers.

Linux only (``/proc``); elsewhere :func:`inspect_lock` answers "unknown" and nothing is ever killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LockState:
    """``state`` is ``free``, ``held`` (by a live run), ``stale`` (its owner is gone) or ``unknown``."""

    path: str
    state: str
    owner: int | None = None
    holders: tuple[int, ...] = field(default_factory=tuple)


def inspect_lock(path: Path) -> LockState:
    """Try the lock without waiting; when it is taken, find out by whom."""
    if not path.exists():
        return LockState(str(path), "free")
    try:
        handle = open(path, "a+")  # noqa: SIM115 - closed below, the probe must not keep the lock
    except OSError:
        return LockState(str(path), "unknown")
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass
        else:
            fcntl.flock(handle, fcntl.LOCK_UN)
            return LockState(str(path), "free")
    owner = _owner(path)
    holders = _holders(path)
    if owner is None:
        return LockState(str(path), "unknown" if not holders else "held", None, holders)
    state = "held" if _alive(owner) else "stale"
    return LockState(str(path), state, owner, holders)


def release_stale(lock: LockState, *, grace: float = 5.0) -> list[int]:
    """End the orphaned processes that keep a stale lock (TERM, then KILL after ``grace`` seconds).

    Only processes that hold the lock file open and run Python are touched: the forked readers of a killed
    clustermine run. Returns their process ids.
    """
    if lock.state != "stale":
        return []
    victims = [pid for pid in lock.holders if pid != os.getpid() and _is_python(pid)]
    for pid in victims:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(pid) for pid in victims):
        time.sleep(0.1)
    for pid in victims:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return victims


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _owner(path: Path) -> int | None:
    """The process ``/proc/locks`` names for a lock on ``path`` (the one that took it, maybe gone since)."""
    inode = _inode(path)
    if inode is None:
        return None
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a waiter, not the holder
            continue
        try:
            pid = int(parts[4])
            _major, _minor, number = parts[5].split(":")
        except (IndexError, ValueError):
            continue
        if int(number) == inode[1] and parts[1] == "FLOCK":
            return pid
    return None


def _holders(path: Path) -> tuple[int, ...]:
    """Processes with the lock file open (scanning ``/proc/*/fd``; processes of other users are not visible)."""
    inode = _inode(path)
    if inode is None or not Path("/proc").is_dir():
        return ()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    info = fd.stat()
                    if (info.st_dev, info.st_ino) == inode:
                        found.append(int(entry.name))
                        break
    return tuple(sorted(found))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has ended; only its parent has not collected it yet
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _is_python(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return b"python" in os.path.basename(command).lower() or b"clustermine" in command.lower()


__all__ = ["LockState", "inspect_lock", "release_stale"]
