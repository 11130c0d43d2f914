"""`station scale`: read, detect and simulate serial scales from a terminal.

Exit codes: 0 done, 2 bad input, 3 timed out (no stable reading, too few
readings, or nothing answered `detect`), 4 the port could not be opened.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import queue
import signal
import sys
import threading
import time
from decimal import Decimal

from station.commands.common import CommandContext
from station.core.reading import Reading, ScaleLink, WeightState
from station.devices.scale import (
    NAMES,
    PortError,
    ScaleDriver,
    ScaleSimulator,
    UnknownProtocol,
    get_protocol,
)
from station.devices.scale.detect import COMMON_BAUDS, detect
from station.devices.scale.port import open_port
from station.devices.scale.protocol import Protocol
from station.devices.scale.simulator import COMMANDS_HELP, run_command

EXIT_BAD_INPUT, EXIT_TIMEOUT, EXIT_PORT = 2, 3, 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scale = sub.add_parser("scale", help="read, detect or simulate a serial scale")
    commands = scale.add_subparsers(dest="scale_command", metavar="SUBCOMMAND", required=True)
    names = ", ".join(NAMES)

    read = commands.add_parser("read", help="print readings from a scale", epilog=__doc__)
    read.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0 or COM3")
    read.add_argument("--protocol", required=True, help=f"one of: {names}")
    read.add_argument("--pattern", help="for --protocol regex: a pattern with named groups")
    read.add_argument("--baud", type=int, help="baud rate (default: the protocol's)")
    read.add_argument("--count", type=int, help="stop after this many readings")
    read.add_argument("--stable", action="store_true", help="wait for one stable reading")
    read.add_argument("--timeout", type=float, help="give up after S seconds (--stable: 10)")
    read.add_argument("--json", action="store_true", help="one JSON object per line")
    read.add_argument("--no-dtr-rts", action="store_true", help="leave DTR and RTS low")
    read.set_defaults(func=read_command)

    find = commands.add_parser("detect", help="find the protocol and baud rate", epilog=__doc__)
    find.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0 or COM3")
    find.set_defaults(func=detect_command)

    sim = commands.add_parser(
        "simulate",
        help="speak a protocol on a pseudo-terminal",
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sim.add_argument("--protocol", required=True, help=f"one of: {names}")
    sim.add_argument("--grams", type=Decimal, default=Decimal(0), help="weight on the pan")
    sim.set_defaults(func=simulate_command)


def _protocol(args: argparse.Namespace) -> Protocol | None:
    try:
        return get_protocol(args.protocol, getattr(args, "pattern", None))
    except (UnknownProtocol, ValueError) as exc:
        print(f"station scale: {exc}", file=sys.stderr)
        return None


def reading_json(reading: Reading) -> str:
    """A reading as one JSON line; grams as an exact decimal string."""
    grams = None if reading.grams is None else format(reading.grams, "f")
    return json.dumps(
        {
            "grams": grams,
            "unit": reading.unit,
            "stable": reading.stable,
            "net": reading.net,
            "status": reading.state.value,
            "raw": reading.raw.decode("latin-1"),
        }
    )


def reading_text(reading: Reading) -> str:
    if reading.grams is None:
        ok = reading.state is WeightState.OK
        weight = "(no weight)" if ok else reading.state.value.upper()
    else:
        weight = f"{format(reading.grams, 'f')} g"
    flags = ["stable" if reading.stable else "moving"] + (["net"] if reading.net else [])
    return f"{weight:>16}  {' '.join(flags):<10}  {reading.raw!r}"


def read_command(ctx: CommandContext) -> int:
    args = ctx.args
    protocol = _protocol(args)
    if protocol is None:
        return EXIT_BAD_INPUT
    events: queue.SimpleQueue[Reading | tuple[ScaleLink, str]] = queue.SimpleQueue()
    driver = ScaleDriver(
        args.port,
        protocol,
        baud=args.baud,
        dtr_rts=not args.no_dtr_rts,
        on_reading=events.put,
        on_link=lambda link, message: events.put((link, message)),
    )
    try:
        open_port(args.port, driver.settings, dtr_rts=not args.no_dtr_rts).close()
    except PortError as exc:
        print(f"station scale: {exc}", file=sys.stderr)
        return EXIT_PORT
    return _print_readings(args, driver, events)


def _print_readings(
    args: argparse.Namespace,
    driver: ScaleDriver,
    events: queue.SimpleQueue[Reading | tuple[ScaleLink, str]],
) -> int:
    """Print readings as they come until --count, --stable or --timeout says stop."""
    timeout = args.timeout if args.timeout is not None else (10.0 if args.stable else None)
    deadline = None if timeout is None else time.monotonic() + timeout
    printed = 0
    driver.start()
    try:
        while args.count is None or printed < args.count:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return EXIT_TIMEOUT
            try:
                event = events.get(timeout=left)
            except queue.Empty:
                return EXIT_TIMEOUT
            if isinstance(event, tuple):
                print(f"scale {event[0].value}: {event[1]}", file=sys.stderr, flush=True)
                continue
            if args.stable and not (event.stable and event.grams is not None):
                continue
            print(reading_json(event) if args.json else reading_text(event), flush=True)
            printed += 1
            if args.stable:
                return 0
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        driver.stop()


def detect_command(ctx: CommandContext) -> int:
    args = ctx.args
    print(f"trying {len(NAMES) - 1} protocols at {', '.join(map(str, COMMON_BAUDS))} baud...")
    try:
        found = detect(args.port)
    except PortError as exc:
        print(f"station scale: {exc}", file=sys.stderr)
        return EXIT_PORT
    if not found:
        print("nothing answered: check the cable, that the scale is on, and its output mode")
        return EXIT_TIMEOUT
    for d in found:
        print(
            f"{d.protocol.name} at {d.settings.describe()}: "
            f"{d.frames} frames, {d.rejected} unreadable"
        )
    best = found[0]
    print(f"use: --protocol {best.protocol.name} --baud {best.settings.baud}")
    return 0


def simulate_command(ctx: CommandContext) -> int:
    args = ctx.args
    protocol = _protocol(args)
    if protocol is None:
        return EXIT_BAD_INPUT
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with ScaleSimulator(protocol, args.grams) as sim:
        print(sim.port_path, flush=True)
        print(f"speaking {protocol.name}; type 'help' for commands", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            _serve_stdin(sim)
    return 0


def _serve_stdin(sim: ScaleSimulator) -> None:
    """Apply commands from stdin; at end of input keep simulating until interrupted."""
    for line in sys.stdin:
        word = line.strip()
        if word == "quit":
            return
        if word == "help":
            print(COMMANDS_HELP, file=sys.stderr, flush=True)
        elif word:
            print(run_command(sim, word), file=sys.stderr, flush=True)
    threading.Event().wait()
