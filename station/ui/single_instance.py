"""One window per data folder: a second launch asks the first to come forward.

The data folder's InstanceLock decides who is primary, so two launches at the
same moment cannot both win. The primary listens on a local socket (a named
pipe on Windows) whose name is derived from the user and the data folder; a
second launch connects, sends "activate" and should then exit. The primary
emits `activate_requested`, and the window raises itself.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from station.instance_lock import InstanceLock

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
TIMEOUT_MS = 1000


def server_name(data_dir: Path) -> str:
    """The same name for the same user and folder, short enough for a socket path."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    key = f"{user}\0{Path(data_dir).resolve()}".encode()
    return f"PackingStation-{hashlib.sha256(key).hexdigest()[:20]}"


class SingleInstance(QObject):
    """Create once at start, before the window; keep it for the process lifetime."""

    activate_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.lock = InstanceLock(Path(data_dir))
        self._server: QLocalServer | None = None
        self._primary = self.lock.acquire()
        if self._primary:
            self._listen()
        else:
            self.notified = self._notify_primary()

    def is_primary(self) -> bool:
        return self._primary

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self.lock.release()

    def _listen(self) -> None:
        # A socket left by a crashed primary would block listen(); we hold the
        # lock, so no live primary owns it.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("second launches cannot reach this window: %s", server.errorString())
            return
        server.newConnection.connect(self._accept)
        self._server = server

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            if socket.bytesAvailable():
                self._answer(socket)

    def _read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._answer(socket)

    def _answer(self, socket: QLocalSocket) -> None:
        """One message per connection: read it, then let the socket go."""
        socket.readyRead.disconnect(self._read)
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            log.info("another launch asked this window to come forward")
            self.activate_requested.emit()
        socket.disconnectFromServer()
        socket.deleteLater()

    def _notify_primary(self) -> bool:
        """Tell the primary to come forward; False if it could not be reached."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(TIMEOUT_MS):
            log.warning("the running station did not answer: %s", socket.errorString())
            return False
        socket.write(ACTIVATE)
        sent = socket.waitForBytesWritten(TIMEOUT_MS)
        socket.disconnectFromServer()
        return sent
