"""Every protocol end to end: simulator on a real pty, driver reading it, no mocks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_scale_support import Recorder, bench_scale

from station.core.reading import ScaleLink, WeightState
from station.devices.scale import (
    NAMES,
    ScaleDriver,
    ScaleSimulator,
    UnsupportedCommand,
    get_protocol,
)

CANNOT_SAY_OVERLOAD = {"xk3190-a9", "xk3190-a12"}
NO_SIGN = {"toledo-8217"}


def settled_at(grams: int):
    return lambda r: r.stable and r.grams == Decimal(grams) and r.state is WeightState.OK


@pytest.mark.parametrize("name", NAMES)
def test_stable_weight_arrives_exact(name):
    with bench_scale(name, 1234) as (_sim, _driver, rec):
        reading = rec.wait_reading(settled_at(1234))
        assert reading.grams == Decimal("1234")
        assert isinstance(reading.grams, Decimal)
        assert rec.links[-1][0] is ScaleLink.CONNECTED


@pytest.mark.parametrize("name", NAMES)
def test_a_wobbling_load_is_never_stable(name):
    with bench_scale(name, 1234) as (sim, _driver, rec):
        rec.wait_reading(settled_at(1234))
        sim.set_unstable(True)
        start = rec.wait_reading(lambda r: not r.stable, after=rec.mark())
        later = rec.wait_count(8, after=rec.readings.index(start))
        assert not any(r.stable for r in later), later
        sim.set_unstable(False)
        rec.wait_reading(settled_at(1234), after=rec.mark())


@pytest.mark.parametrize("name", NAMES)
def test_overload_never_yields_a_weight(name):
    with bench_scale(name, 1234) as (sim, _driver, rec):
        rec.wait_reading(settled_at(1234))
        sim.set_overload()
        if name in CANNOT_SAY_OVERLOAD:
            rec.wait_link(ScaleLink.SILENT)
            tail = rec.readings[rec.mark() - 1 :]
            assert all(r.grams == Decimal(1234) for r in tail)
        else:
            reading = rec.wait_reading(lambda r: r.state is WeightState.OVERLOAD, rec.mark())
            assert reading.grams is None and not reading.stable
        sim.set_grams(1500)
        rec.wait_reading(settled_at(1500), after=rec.mark())


@pytest.mark.parametrize("name", NAMES)
def test_negative_weight(name):
    with bench_scale(name, -500) as (_sim, _driver, rec):
        if name in NO_SIGN:
            reading = rec.wait_reading(lambda r: r.state is WeightState.UNDERLOAD)
            assert reading.grams is None
        else:
            rec.wait_reading(settled_at(-500))


@pytest.mark.parametrize("name", NAMES)
def test_unplug_reports_disconnected_and_replug_recovers(name):
    with bench_scale(name, 1234) as (sim, _driver, rec):
        rec.wait_reading(settled_at(1234))
        sim.unplug()
        message = rec.wait_link(ScaleLink.DISCONNECTED)
        assert sim.port_path in message
        gone = rec.mark()
        sim.set_grams(777)
        sim.replug()
        rec.wait_reading(settled_at(777), after=gone)
        assert rec.links[-1][0] is ScaleLink.CONNECTED
        assert all(r.grams == Decimal(777) for r in rec.readings[gone:] if r.grams is not None)


def test_a_silent_scale_is_reported_and_recovers():
    with bench_scale("ad") as (sim, _driver, rec):
        rec.wait_reading(settled_at(1234))
        sim.set_silent(True)
        assert "no data" in rec.wait_link(ScaleLink.SILENT)
        sim.set_silent(False)
        rec.wait_link(ScaleLink.CONNECTED)


def test_a_poll_scale_that_stops_answering_is_silent():
    with bench_scale("mt-sics") as (sim, _driver, rec):
        rec.wait_reading(settled_at(1234))
        sim.set_silent(True)
        rec.wait_link(ScaleLink.SILENT)


@pytest.mark.parametrize("name", ["ad", "mt-sics"])
def test_garbage_is_bad_data_and_never_a_reading(name):
    with bench_scale(name) as (sim, _driver, rec):
        rec.wait_reading(settled_at(1234))
        sim.set_garbage(True)
        message = rec.wait_link(ScaleLink.BAD_DATA)
        assert "baud" in message
        count = rec.mark()
        sim.set_garbage(False)
        rec.wait_link(ScaleLink.CONNECTED)
        assert count == rec.mark() or rec.readings[count].grams == Decimal(1234)


def test_a_port_that_never_existed_is_disconnected(tmp_path):
    rec = Recorder()
    driver = ScaleDriver(
        str(tmp_path / "ttyUSB9"),
        get_protocol("ad"),
        on_reading=rec.on_reading,
        on_link=rec.on_link,
        backoff=(0.01, 0.05),
    )
    driver.start()
    try:
        assert "does not exist" in rec.wait_link(ScaleLink.DISCONNECTED)
    finally:
        driver.stop()
    assert rec.readings == []


COMMANDABLE = ["mt-sics", "ad", "toledo-8217", "toledo-continuous", "xk3190-a12"]


@pytest.mark.parametrize("name", COMMANDABLE)
def test_tare_then_zero_reach_the_scale(name):
    says_net = name != "mt-sics"
    with bench_scale(name, 1234) as (_sim, driver, rec):
        rec.wait_reading(settled_at(1234))
        assert driver.supports_tare and driver.supports_zero
        driver.tare()
        rec.wait_reading(lambda r: r.net == says_net and r.grams == 0 and r.stable, rec.mark())
        driver.zero()
        rec.wait_reading(lambda r: not r.net and r.grams == 0 and r.stable, after=rec.mark())


def test_protocols_without_commands_refuse_them():
    with bench_scale("xk3190-a9") as (_sim, driver, _rec):
        assert not driver.supports_zero and not driver.supports_tare
        with pytest.raises(UnsupportedCommand):
            driver.zero()
        with pytest.raises(UnsupportedCommand):
            driver.tare()


def test_a_failing_callback_does_not_stop_the_driver():
    rec = Recorder()

    def explode(reading):
        rec.on_reading(reading)
        raise RuntimeError("consumer bug")

    with ScaleSimulator("ad", 5, rate=50) as sim:
        driver = ScaleDriver(
            sim.port_path, get_protocol("ad"), on_reading=explode, on_link=rec.on_link
        )
        driver.start()
        try:
            rec.wait_count(5, after=0)
        finally:
            driver.stop()
