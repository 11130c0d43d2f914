"""Every result is heard as well as seen: one player for all bench sounds.

No QtMultimedia in PySide6-Essentials, so the WAV files of resources/sounds/
(written by `python -m station.ui.tones`) are played by the platform: winsound
on Windows; on Linux paplay or aplay (a non-blocking subprocess), else ALSA's
own library directly (station.devices.alsa_sound: no player program needed),
and only without libasound the system beep. Tests inject a backend and read
`last` / `played`.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from station.core.messages import Tone
from station.devices.alsa_sound import AlsaSound
from station.paths import resource

log = logging.getLogger("station.ui.sound")

Backend = Callable[[Path], None]


def tone_file(tone: Tone) -> Path:
    return resource("sounds", f"{tone.value}.wav")


class _CommandBackend:
    """Plays a file with a command-line player, reaping finished players."""

    def __init__(self, command: str):
        self.command = command
        self._running: list[subprocess.Popen[bytes]] = []

    def __call__(self, path: Path) -> None:
        self._running = [p for p in self._running if p.poll() is None]
        self._running.append(
            subprocess.Popen(
                [self.command, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )


def _winsound_backend(path: Path) -> None:
    if sys.platform == "win32":  # the one platform that picks it (and where mypy checks it)
        import winsound

        winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)


def _beep_backend(_path: Path) -> None:
    QApplication.beep()


def platform_backend() -> Backend:
    if sys.platform == "win32":
        return _winsound_backend
    for command in ("paplay", "aplay"):
        found = shutil.which(command)
        if found:
            return _CommandBackend(found)
    try:
        return AlsaSound()
    except OSError as exc:
        log.warning("no paplay, aplay or libasound (%s): the bench only beeps", exc)
        return _beep_backend


class SoundPlayer:
    """Plays the sound of a result's tone, when sound is enabled."""

    def __init__(self, enabled: bool = True, backend: Backend | None = None):
        self.enabled = enabled
        self.backend = backend
        self.played: list[Tone] = []

    @property
    def last(self) -> Tone | None:
        return self.played[-1] if self.played else None

    def play(self, tone: Tone) -> None:
        if not self.enabled:
            return
        self.played.append(tone)
        if self.backend is None:
            self.backend = platform_backend()
        path = tone_file(tone)
        if not path.exists():
            log.warning("sound file %s is missing; run python -m station.ui.tones", path)
            QApplication.beep()
            return
        try:
            self.backend(path)
        except OSError as exc:
            log.warning("cannot play %s: %s", path, exc)
