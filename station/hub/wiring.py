"""The hub's parts for a bench, built from its settings (nothing when `hub.url` is
empty): the claim port for the Bench, the push target, the puller and the
heartbeat for the uploader."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from station.hub.port import TARGET_NAME, HubPort, NoHub
from station.settings import SETTINGS_FILE, Settings, SettingsError
from station.sync.config import TargetConfig
from station.sync.target import Target
from station.sync.uploader import Puller

if TYPE_CHECKING:
    from station.app.handover import DockPort


def bench_port(db: sqlite_utils.Database, settings: Settings) -> HubPort:
    url = settings["hub.url"]
    if not url:
        return NoHub()
    from station.hub.link import HubLink

    return HubLink(db, url, settings["station.name"], settings["hub.timeout_seconds"])


def dock_port(settings: Settings) -> DockPort | None:
    """The hub for the courier handover (None without `hub.url`)."""
    url = settings["hub.url"]
    if not url:
        return None
    from station.hub.dock import HubDock

    return HubDock(url, settings["station.name"], settings["hub.timeout_seconds"])


def hub_targets(folder: Path) -> list[TargetConfig]:
    """The hub as a sync target, for `station sync status`: none without `hub.url`
    (or with a settings file that cannot be read: the command names it elsewhere)."""
    if not (folder / SETTINGS_FILE).exists():  # no settings, no hub (and none written)
        return []
    try:
        url = Settings.load(folder)["hub.url"]
    except SettingsError:
        return []
    return hub_target(url)


def hub_target(url: str) -> list[TargetConfig]:
    """The hub as a sync target when `url` (hub.url) names one."""
    return [TargetConfig(name=TARGET_NAME, kind=TARGET_NAME)] if url else []


def uploader_parts(settings: Settings) -> tuple[list[Target], list[Puller]]:
    url = settings["hub.url"]
    if not url:
        return [], []
    from station.hub.heartbeat import HubHeartbeat
    from station.hub.pull import HubPuller
    from station.hub.push import HubTarget

    target = HubTarget(url, max(10.0, settings["hub.timeout_seconds"]))
    puller = HubPuller(
        url,
        settings["station.name"],
        settings["hub.timeout_seconds"],
        settings["hub.numbers_ahead"],
        settings["hub.pull_seconds"],
        settings["address.check_words"],
        folder=settings.path.parent if settings.path is not None else None,
    )
    beat = HubHeartbeat(url, settings["station.name"], settings["hub.timeout_seconds"])
    return [target], [puller, beat]
