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
from station.sync.miniprogram import UPLOAD_TIME, MiniProgramTarget
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
        last = deliveries.get_state(db, config.name, UPLOAD_TIME) or ""
        target, api = wechat_target(config, key, last)
        built.targets.append(target)
        if config.kind == MINIPROGRAM:
            lists.append(
                CarrierListPuller(
                    config.name, _own_api(config, api), MINIPROGRAM_LIST, {}, config.sources
                )
            )
        elif config.kind == SHOP:
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


def wechat_target(
    config: TargetConfig, secret: str, last_upload_time: str = ""
) -> tuple[Target, WeChatApi]:
    """A WeChat target (mini-program or shop) and its API client, for the bench's
    uploader and the hub's. `last_upload_time`: the mini-program's last upload_time
    (saved as the target's UPLOAD_TIME value), so the next one is later."""
    client = HttpClient(config.base_url, config.timeout_seconds)
    api = WeChatApi(client, TokenCache(client, config.appid, secret))
    if config.kind == MINIPROGRAM:
        target: Target = MiniProgramTarget(
            config.name,
            api,
            config.order_key,
            config.mchid,
            last_upload_time,
            settle_seconds=config.settle_seconds,
        )
    elif config.kind == SHOP:
        target = ShopTarget(config.name, api, settle_seconds=config.settle_seconds)
    else:
        raise ValueError(f"{config.name}: {config.kind} is not a WeChat target")
    return target, api


def _own_api(config: TargetConfig, api: WeChatApi) -> WeChatApi:
    """A client of its own for a puller (each closes its own), sharing the token."""
    return WeChatApi(HttpClient(config.base_url, config.timeout_seconds), api.tokens)
