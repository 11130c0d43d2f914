"""Building the configured providers, each with its secret from the keyring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from station.waybills.config import KDNIAO, SF, WECHAT, ProviderConfig, SecretMissing, get_secret
from station.waybills.kdniao import KdniaoProvider
from station.waybills.model import Provider
from station.waybills.sf import SfProvider
from station.waybills.wechat import WeChatShopProvider


@dataclass
class Built:
    providers: list[Provider] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # provider name -> why not built

    def close(self) -> None:
        for provider in self.providers:
            provider.close()


def build(configs: list[ProviderConfig], secret: Callable[[str], str] = get_secret) -> Built:
    """The enabled providers; one without its secret is left out, with the reason."""
    built = Built()
    for config in configs:
        if not config.enabled:
            continue
        try:
            key = secret(config.name)
        except SecretMissing as exc:
            built.problems[config.name] = str(exc)
            continue
        if config.kind == WECHAT:
            built.providers.append(WeChatShopProvider(config, key))
        elif config.kind == SF:
            built.providers.append(SfProvider(config, key))
        elif config.kind == KDNIAO:
            passwords = {}
            for carrier in config.carriers:
                try:
                    passwords[carrier] = secret(f"{config.name}.{carrier}")
                except SecretMissing:
                    continue
            built.providers.append(KdniaoProvider(config, key, passwords=passwords))
    return built
