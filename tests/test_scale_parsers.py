"""Parsers against literal frames from the manuals (not from our own encoders)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from station.core.reading import Reading, WeightState
from station.devices.scale import Ack, Rejected, get_protocol
from station.devices.scale.stability import StabilityFilter, StabilityRule

A9_ZERO = bytes.fromhex("02 2B 30 30 30 30 30 30 30 31 42 03")  # hardware.md, captured


def parse(name: str, data: bytes) -> list:
    return get_protocol(name).parser().feed(data, 1.0)


def only(name: str, data: bytes) -> Reading:
    events = parse(name, data)
    assert len(events) == 1 and isinstance(events[0], Reading), events
    return events[0]


@pytest.mark.parametrize(
    ("name", "frame", "grams", "stable", "net", "unit"),
    [
        ("mt-sics", b"S S     12.345 kg\r\n", "12345", True, False, "kg"),
        ("mt-sics", b"S S     125.40 g\r\n", "125.40", True, False, "g"),
        ("mt-sics", b"S D     -0.123 kg\r\n", "-123", False, False, "kg"),
        ("toledo-8217", b"\x0201.234\r", "1234", True, False, "kg"),
        ("toledo-8217", b"\x0201.234N\r", "1234", True, True, "kg"),
        ("toledo-continuous", b"\x02\x25\x30\x20  1234     0\r\x22", "1234", True, False, "kg"),
        ("ad", b"ST,GS,+0001.234kg\r\n", "1234", True, False, "kg"),
        ("ad", b"US,GS,+0001.230kg\r\n", "1230", False, False, "kg"),
        ("ad", b"ST,NT,-0000.500kg\r\n", "-500", True, True, "kg"),
        ("ad", b"ST,+00123.45  g\r\n", "123.45", True, False, "g"),
        ("ad", b"ST,GS,\x01\x40,000013.5 kg\r\n", "13500", True, False, "kg"),
        (
            "xk3190-a9",
            bytes.fromhex("02 2B 30 30 30 30 30 30 30 31 42 03"),
            "0",
            False,
            False,
            "kg",
        ),
        ("xk3190-a12", b"ww000.000kg\r\n", "0", False, False, "kg"),
        ("xk3190-a12", b"wn-0000.1kg\r\n", "-100", False, True, "kg"),
        ("regex", b"ST,+12.345 kg\r\n", "12345", True, False, "kg"),
    ],
)
def test_manual_frames(name, frame, grams, stable, net, unit):
    reading = only(name, frame)
    assert reading.grams == Decimal(grams)
    assert (reading.stable, reading.net, reading.unit) == (stable, net, unit)
    assert reading.state is WeightState.OK
    assert reading.raw == frame.rstrip(b"\r\n") or reading.raw == frame
    assert reading.at == 1.0


@pytest.mark.parametrize(
    ("name", "frame", "state"),
    [
        ("mt-sics", b"S +\r\n", WeightState.OVERLOAD),
        ("mt-sics", b"S -\r\n", WeightState.UNDERLOAD),
        ("mt-sics", b"ES\r\n", WeightState.ERROR),
        ("toledo-8217", b"\x02?B\r", WeightState.OVERLOAD),
        ("toledo-8217", b"\x02?D\r", WeightState.UNDERLOAD),
        ("ad", b"OL,GS,+9999999kg\r\n", WeightState.OVERLOAD),
        ("ad", b"OL,GS,-9999999kg\r\n", WeightState.UNDERLOAD),
        ("ad", b"ST,GS,+0001.234pc\r\n", WeightState.ERROR),
        ("toledo-continuous", b"\x02\x25\x24\x20     0     0\r\x68", WeightState.OVERLOAD),
    ],
)
def test_fault_frames_carry_no_weight(name, frame, state):
    reading = only(name, frame)
    assert reading.state is state
    assert reading.grams is None and not reading.stable


@pytest.mark.parametrize("status", [b"A", b"Q", b"\x01"])
def test_8217_motion_status_is_unstable_with_no_weight(status):
    reading = only("toledo-8217", b"\x02?" + status + b"\r")
    assert (reading.grams, reading.stable, reading.state) == (None, False, WeightState.OK)


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("mt-sics", b"Z A\r\n"),
        ("mt-sics", b"T S      1.000 kg\r\n"),
        ("toledo-8217", b"\x02?@\r"),
        ("ad", b"ST,TR,+0000.100kg\r\n"),
        ("ad", b"QT,+00000100PC\r\n"),
        ("xk3190-a12", b"wt000.500kg\r\n"),
    ],
)
def test_frames_without_a_weight_are_acks(name, frame):
    events = parse(name, frame)
    assert len(events) == 1 and isinstance(events[0], Ack)


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("xk3190-a9", bytes.fromhex("02 2B 30 30 30 30 30 30 30 31 43 03")),
        ("toledo-continuous", b"\x02\x25\x30\x20  1234     0\r\x23"),
        ("toledo-continuous", b"\x02\x25\x30\x20  12x4     0\r\x22"),
        ("mt-sics", b"S S 12.3.4 kg\r\n"),
        ("ad", b"ST,GS,+00 01.234\r\n"),
        ("toledo-8217", b"\x021234\r"),
    ],
)
def test_bad_checksums_and_malformed_frames_are_rejected(name, frame):
    events = parse(name, frame)
    assert events and all(isinstance(e, Rejected) for e in events)


TOLEDO = b"\x02\x25\x30\x20  1234     0\r\x22"


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("xk3190-a9", A9_ZERO),
        ("toledo-continuous", TOLEDO),
        ("toledo-8217", b"\x0201.234\r"),
        ("ad", b"ST,GS,+0001.234kg\r\n"),
        ("mt-sics", b"S S      1.234 kg\r\n"),
        ("xk3190-a12", b"ww001.234kg\r\n"),
    ],
)
def test_resync_after_noise_and_partial_frames_byte_by_byte(name, frame):
    noisy = b"\x00\xff" + frame[3:] + b"\r\n#noise\n" + frame[:5] + b"\x02\x02\r\n" + frame + frame
    parser = get_protocol(name).parser()
    events = [e for byte in noisy for e in parser.feed(bytes([byte]))]
    readings = [e for e in events if isinstance(e, Reading)]
    assert [r.raw for r in readings] == [only(name, frame).raw] * 2
    assert any(isinstance(e, Rejected) for e in events)


def test_mixed_line_endings():
    data = b"ST,GS,+0001.000kg\rST,GS,+0002.000kg\nST,GS,+0003.000kg\r\n\n\rST,GS,+0004.000kg\n\r"
    grams = [r.grams for r in parse("ad", data)]
    assert grams == [1000, 2000, 3000, 4000]


def test_unterminated_garbage_is_rejected_not_buffered_forever():
    parser = get_protocol("ad").parser()
    events = parser.feed(b"x" * 500)
    assert events and all(isinstance(e, Rejected) for e in events)
    assert parser.feed(b"\r\nST,GS,+0001.000kg\r\n")[-1].grams == 1000


def test_regex_protocol_with_a_user_pattern():
    protocol = get_protocol("regex", r"W:(?P<weight>[+-]?[\d.]+)(?P<unit>g|kg)(?P<stable>\*)?")
    parser = protocol.parser()
    first, second = parser.feed(b"W:12.5kg*\r\nW:3g\r\n")
    assert (first.grams, first.stable, second.grams, second.stable) == (12500, True, 3, False)
    assert isinstance(parser.feed(b"W:abc\r\n")[0], Rejected)


@pytest.mark.parametrize("pattern", ["(", r"(?P<grams>\d+)"])
def test_regex_protocol_rejects_unusable_patterns(pattern):
    with pytest.raises(ValueError):
        get_protocol("regex", pattern)


def test_unknown_protocol_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"mt-sics.*xk3190-a12.*regex"):
        get_protocol("mettler")


def weights(*grams_at: tuple[int, float]) -> list[Reading]:
    return [Reading(Decimal(g), False, "kg", at=t) for g, t in grams_at]


def test_stability_needs_count_within_band_over_duration():
    rule = StabilityRule(count=3, band=Decimal(2), duration=0.2)
    stable = StabilityFilter(rule)
    flags = [stable.apply(r).stable for r in weights((100, 0), (101, 0.1), (102, 0.2), (102, 0.3))]
    assert flags == [False, False, True, True]


def test_stability_resets_outside_the_band_and_on_faults():
    stable = StabilityFilter(StabilityRule(count=2, band=Decimal(1), duration=0))
    assert [stable.apply(r).stable for r in weights((100, 0), (100, 0.1), (105, 0.2))] == [
        False,
        True,
        False,
    ]
    stable.apply(Reading(None, False, "kg", state=WeightState.OVERLOAD))
    assert not stable.apply(weights((105, 0.3))[0]).stable


def test_stability_waits_for_the_duration_even_with_many_readings():
    stable = StabilityFilter(StabilityRule(count=2, band=Decimal(0), duration=1.0))
    flags = [stable.apply(r).stable for r in weights(*[(50, i / 10) for i in range(12)])]
    assert flags.index(True) == 10
