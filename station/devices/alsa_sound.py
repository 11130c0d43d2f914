"""Plays the bench's WAV sounds through ALSA's own library (libasound.so.2), with ctypes.

The sounds need no player program: a Linux PC without paplay or aplay (a minimal
install, a kiosk image) still has libasound, which every desktop sound stack
(PulseAudio, PipeWire) also serves through ALSA's "default" device. Sounds play
one after another on a worker thread, so the GUI thread never waits for a sound;
when results come faster than their sounds, only the newest waiting one plays.
"""

from __future__ import annotations

import ctypes
import logging
import queue
import threading
import wave
from pathlib import Path

log = logging.getLogger("station.devices.alsa_sound")

LIBRARY = "libasound.so.2"
_PLAYBACK = 0
_ACCESS_RW_INTERLEAVED = 3
_FORMATS = {1: 1, 2: 2}  # sample width in bytes -> SND_PCM_FORMAT_U8, SND_PCM_FORMAT_S16_LE
_LATENCY_US = 100_000


class AlsaError(OSError):
    """ALSA refused: no such device, device busy, a format it cannot play."""


class AlsaSound:
    """A sound backend: `player(path)` queues a WAV file and returns at once."""

    def __init__(self, device: str = "default", library: str = LIBRARY):
        self.lib = _load(library)
        self.device = device
        self._waiting: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._failed_before = False

    def __call__(self, path: Path) -> None:
        self._waiting.put(path)
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="alsa-sound", daemon=True)
            self._worker.start()

    def play(self, path: Path) -> None:
        """Play one file to its end (blocking). Raises AlsaError, or wave.Error for a
        file that is no WAV."""
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.getnframes()
            data = wav.readframes(frames)
        if width not in _FORMATS:
            raise AlsaError(f"{path.name}: {8 * width}-bit samples cannot be played.")
        pcm = ctypes.c_void_p()
        self._check(
            self.lib.snd_pcm_open(ctypes.byref(pcm), self.device.encode(), _PLAYBACK, 0),
            f"cannot open sound device {self.device!r}",
        )
        try:
            self._check(
                self.lib.snd_pcm_set_params(
                    pcm, _FORMATS[width], _ACCESS_RW_INTERLEAVED, channels, rate, 1, _LATENCY_US
                ),
                f"sound device {self.device!r} cannot play {path.name}",
            )
            buffer = ctypes.create_string_buffer(data, len(data))
            written = self.lib.snd_pcm_writei(pcm, buffer, frames)
            if written < 0:
                self._check(self.lib.snd_pcm_recover(pcm, written, 1), "sound interrupted")
                written = self.lib.snd_pcm_writei(pcm, buffer, frames)
            self._check(written, f"could not play {path.name}")
            self.lib.snd_pcm_drain(pcm)
        finally:
            self.lib.snd_pcm_close(pcm)

    def _run(self) -> None:
        while True:
            try:
                path = self._waiting.get(timeout=5)
            except queue.Empty:
                return
            while not self._waiting.empty():  # behind: only the newest result is heard
                path = self._waiting.get()
            try:
                self.play(path)
            except (OSError, wave.Error, EOFError) as exc:
                # Said once: a PC without a sound device would say it at every scan.
                level = logging.DEBUG if self._failed_before else logging.WARNING
                log.log(level, "cannot play %s: %s", path, exc)
                self._failed_before = True

    def _check(self, code: int, what: str) -> None:
        if code < 0:
            raise AlsaError(f"{what}: {self.lib.snd_strerror(code).decode(errors='replace')}")


# libasound's error handler: void (const char *file, int line, const char *function,
# int err, const char *fmt, ...). Ours says nothing (the errors are raised and logged
# here); it must outlive the library's use of it.
_ERROR_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_QUIET = _ERROR_HANDLER(lambda *args: None)


def _load(library: str) -> ctypes.CDLL:
    """libasound with the signatures used here, its own messages to stderr silenced.
    Raises OSError when it is not there."""
    lib = ctypes.CDLL(library)
    lib.snd_lib_error_set_handler.argtypes = [_ERROR_HANDLER]
    lib.snd_lib_error_set_handler(_QUIET)
    pcm = ctypes.c_void_p
    lib.snd_pcm_open.argtypes = [ctypes.POINTER(pcm), ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.snd_pcm_set_params.argtypes = [
        pcm,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
    ]
    lib.snd_pcm_writei.argtypes = [pcm, ctypes.c_void_p, ctypes.c_ulong]
    lib.snd_pcm_writei.restype = ctypes.c_long
    lib.snd_pcm_recover.argtypes = [pcm, ctypes.c_int, ctypes.c_int]
    lib.snd_pcm_drain.argtypes = [pcm]
    lib.snd_pcm_close.argtypes = [pcm]
    lib.snd_strerror.argtypes = [ctypes.c_int]
    lib.snd_strerror.restype = ctypes.c_char_p
    return lib
