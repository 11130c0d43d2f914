"""Building the configured targets (and the shop's order pullers) with their secrets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from station.core.address import DEFAULT_CHECK_WORDS
from station.store import deliveries
from station.sync.carrier_lists import MINIPROGRAM_LIST, SHOP_LIST, CarrierListPuller
from station.sync.config import MINIPROGRAM, SHOP, WEBHOOK, TargetConfig
from station.sync.http import HttpClient
from station.sync.miniprogram import MiniProgramTarget
from station.sync.secrets import SecretMissing, get_secret
from station.sync.shop import ShopTarget
from station.sync.shop_orders import ShopOrderPuller
from station.sync.target import Target
from station.sync.uploader import Puller
from station.sync.webhook import WebhookTarget
from station.sync.wechat_api import WeChatApi
from station.sync.wechat_token import TokenCache


@dataclass
class Built:
    targets: list[Target] = field(default_factory=list)
    pullers: list[Puller] = field(default_factory=list)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # target name -> why it is not running


def build(
    db: sqlite_utils.Database,
    configs: list[TargetConfig],
    secret: Callable[[str], str] | None = None,
    check_words: Sequence[str] = DEFAULT_CHECK_WORDS,
) -> Built:
    """The enabled targets with their secrets (`secret`, by default the keyring or
    the data folder's sealed file; a target without one is a problem, not built)
    and the pullers; `check_words` are the address words a pulled order is flagged
    for (settings' address.check_words)."""
    secret = secret or (lambda name: get_secret(name, db))
    built = Built()
    lists: list[Puller] = []  # the carrier-list pullers, after the order pullers
    for config in configs:
        if not config.enabled:
            continue
        try:
            key = secret(config.name)
        except SecretMissing as exc:
            built.problems[config.name] = str(exc)
            continue
        built.sources[config.name] = config.sources
        if config.kind == WEBHOOK:
            client = HttpClient(config.url, config.timeout_seconds)
            built.targets.append(WebhookTarget(config.name, client, key, config.batch))
            continue
        client = HttpClient(config.base_url, config.timeout_seconds)
        api = WeChatApi(client, TokenCache(client, config.appid, key))
        if config.kind == MINIPROGRAM:
            last = deliveries.get_state(db, config.name, "upload_time") or ""
            built.targets.append(
                MiniProgramTarget(
                    config.name,
                    api,
                    config.order_key,
                    config.mchid,
                    last,
                    settle_seconds=config.settle_seconds,
                )
            )
            lists.append(
                CarrierListPuller(
                    config.name, _own_api(config, api), MINIPROGRAM_LIST, {}, config.sources
                )
            )
        elif config.kind == SHOP:
            built.targets.append(ShopTarget(config.name, api, settle_seconds=config.settle_seconds))
            lists.append(
                CarrierListPuller(
                    config.name,
                    _own_api(config, api),
                    SHOP_LIST,
                    {"ewaybill_only": False},
                    config.sources,
                )
            )
            if config.pull_orders:
                pull_client = HttpClient(config.base_url, config.timeout_seconds)
                pull_api = WeChatApi(pull_client, api.tokens)
                built.pullers.append(
                    ShopOrderPuller(
                        config.name,
                        pull_api,
                        config.pull_interval_minutes,
                        config.pull_days,
                        check_words=check_words,
                    )
                )
    built.pullers += lists
    return built


def _own_api(config: TargetConfig, api: WeChatApi) -> WeChatApi:
    """A client of its own for a puller (each closes its own), sharing the token."""
    return WeChatApi(HttpClient(config.base_url, config.timeout_seconds), api.tokens)
