"""Serial scales: protocols as data, a driver thread per port, and a simulator."""

from station.devices.scale.driver import ScaleDriver, UnsupportedCommand
from station.devices.scale.port import PortError
from station.devices.scale.protocol import Ack, Protocol, Rejected, SerialSettings
from station.devices.scale.registry import NAMES, UnknownProtocol, get_protocol
from station.devices.scale.simulator import ScaleSimulator
from station.devices.scale.stability import StabilityRule

__all__ = [
    "NAMES",
    "Ack",
    "PortError",
    "Protocol",
    "Rejected",
    "ScaleDriver",
    "ScaleSimulator",
    "SerialSettings",
    "StabilityRule",
    "UnknownProtocol",
    "UnsupportedCommand",
    "get_protocol",
]
