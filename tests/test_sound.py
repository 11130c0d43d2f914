"""The bench's five sounds play without paplay or aplay: through ALSA's library,
here to ALSA's "null" device (real libasound, real WAV files, no sound card)."""

from __future__ import annotations

import ctypes.util
import logging
import time
import wave
from pathlib import Path

import pytest

from station.core.messages import Tone
from station.devices.alsa_sound import AlsaError, AlsaSound
from station.ui.sound import platform_backend, tone_file

pytestmark = pytest.mark.skipif(
    ctypes.util.find_library("asound") is None, reason="libasound is not installed"
)


def test_without_paplay_or_aplay_the_sounds_go_through_alsa_not_a_beep(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert isinstance(platform_backend(), AlsaSound)


@pytest.mark.parametrize("tone", list(Tone))
def test_every_tone_plays_through_alsa(tone: Tone) -> None:
    AlsaSound("null").play(tone_file(tone))


def test_a_missing_device_or_a_file_that_is_no_wav_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AlsaError, match="no-such-device"):
        AlsaSound("no-such-device").play(tone_file(Tone.OK))
    noise = tmp_path / "noise.wav"
    noise.write_bytes(b"not a wave file at all")
    with pytest.raises(wave.Error, match="RIFF"):
        AlsaSound("null").play(noise)


def test_a_pc_without_a_sound_device_is_told_once_not_at_every_scan(caplog) -> None:
    player = AlsaSound("no-such-device")
    with caplog.at_level(logging.DEBUG, logger="station.devices.alsa_sound"):
        for _ in range(3):
            seen = len(caplog.records)
            player(tone_file(Tone.ERROR))
            deadline = time.monotonic() + 5
            while len(caplog.records) == seen and time.monotonic() < deadline:
                time.sleep(0.01)
    levels = [r.levelno for r in caplog.records]
    assert levels == [logging.WARNING, logging.DEBUG, logging.DEBUG]
