"""Property tests on every parser: any bytes, any chunking.

A yielded reading must be a well-formed frame. Each frame format is checked here
by a validator written from hardware.md on its own, not by the parser's code.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.reading import Reading, WeightState
from station.devices.scale import NAMES, get_protocol


def _toledo_ok(raw: bytes) -> bool:
    return len(raw) == 18 and raw[0] == 2 and raw[16] == 0x0D and sum(raw) & 0x7F == 0


def _a9_ok(raw: bytes) -> bool:
    if not re.fullmatch(rb"\x02[+-]\d{7}[0-9A-Fa-f]{2}\x03", raw):
        return False
    check = 0
    for byte in raw[1:9]:
        check ^= byte
    return int(raw[9:11], 16) == check


VALID = {
    "mt-sics": lambda raw: re.fullmatch(rb"S [SD] +-? *[\d.]+ [A-Za-z]+|S [I+-]|E[STL]", raw),
    "toledo-8217": lambda raw: re.fullmatch(rb"\x02([\d.]+N?|\?[\x00-\x7f])\r", raw),
    "toledo-continuous": _toledo_ok,
    "ad": lambda raw: re.fullmatch(rb"(ST|US|OL),(?:(GS|NT),)?(..,)?[+-]? *[\d. ]*[A-Za-z ]*", raw),
    "xk3190-a9": _a9_ok,
    "xk3190-a12": lambda raw: re.fullmatch(rb"w[wn][+-]?[\d.]+[A-Za-z]+", raw),
    "regex": lambda raw: re.fullmatch(rb"(ST|US|OL),([+-]?[\d.]+ ?[a-z]+)?", raw),
}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def feed_in_chunks(name: str, data: bytes, cuts: list[int]) -> list:
    parser = get_protocol(name).parser()
    bounds = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [e for a, b in itertools.pairwise(bounds) for e in parser.feed(data[a:b])]


def frame_bytes(name: str) -> st.SearchStrategy[bytes]:
    """Bytes biased towards the protocol's own alphabet, so near-frames get tried."""
    alphabet = b"\x02\x03\r\n+-.0123456789 ,?STUGNOLkgwnABDE@%0\x22"
    return st.one_of(
        st.binary(max_size=200),
        st.lists(st.sampled_from(list(alphabet)), max_size=200).map(bytes),
    )


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.data())
def test_arbitrary_bytes_never_raise_nor_invent_readings(name, data):
    raw_input = data.draw(frame_bytes(name))
    cuts = data.draw(st.lists(st.integers(0, 400), max_size=8))
    events = feed_in_chunks(name, raw_input, cuts)
    for event in events:
        assert event.raw in raw_input
        if isinstance(event, Reading):
            assert VALID[name](event.raw), event
            assert event.grams is None or isinstance(event.grams, Decimal)
            assert event.grams is not None or not event.stable


readings = st.builds(
    Reading,
    grams=st.integers(-999_999, 999_999).map(Decimal),
    stable=st.booleans(),
    unit=st.just("kg"),
    net=st.booleans(),
    state=st.sampled_from(list(WeightState)),
)


def _expected_grams(name: str, reading: Reading) -> Decimal | None:
    if reading.state is not WeightState.OK:
        return None
    if name == "toledo-8217" and (reading.grams < 0 or not reading.stable):
        return None
    return reading.grams


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(reading=readings)
def test_encoded_frames_parse_back(name, reading):
    protocol = get_protocol(name)
    frame = protocol.encode(reading)
    if frame is None:
        return
    events = protocol.parser().feed(frame)
    assert len(events) == 1
    (parsed,) = events
    if not isinstance(parsed, Reading):
        return
    assert parsed.grams == _expected_grams(name, reading)
    if parsed.grams is not None and protocol.reports_stability:
        assert parsed.stable == reading.stable


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(
    weights=st.lists(st.integers(0, 99_999), min_size=1, max_size=6),
    noise=st.lists(st.binary(max_size=30), min_size=1, max_size=6),
    cuts=st.lists(st.integers(0, 2000), max_size=10),
)
def test_frames_survive_noise_between_them(name, weights, noise, cuts):
    protocol = get_protocol(name)
    frames = [protocol.encode(Reading(Decimal(g), True, "kg")) for g in weights]
    clean = [n.replace(b"\x02", b"") + b"\r\n" for n in noise]
    stream = b"".join(n + f for n, f in zip(clean * len(frames), frames, strict=False))
    events = feed_in_chunks(name, stream, cuts)
    got = iter(e.grams for e in events if isinstance(e, Reading))
    assert all(Decimal(g) in got for g in weights)
