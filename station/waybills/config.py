"""E-waybill providers, configured in `waybills.toml` in the data folder.

Secrets never go in this file: the WeChat AppSecret, SF's check word (校验码) and
KDNiao's AppKey are kept in the OS keyring (`station waybill secret set NAME`).
Example:

    [[providers]]
    name = "shop"                   # your name for it
    kind = "wechat-shop"            # 微信小店电子面单: only for orders pulled from the shop
    appid = "wxabcdef1234567890"
    shop_id = "5009820302542"       # from account/get
    template_id = "single"          # print_info comes with the number when set
    [providers.accounts.ZTO]        # one e-waybill account per carrier code
    acct_id = "6635671203"
    site_code = "029055"

    [[providers]]
    name = "sf"
    kind = "sf"                     # 顺丰丰桥 EXP_RECE_CREATE_ORDER
    partner_id = "QIAO_TEST"        # 顾客编码
    monthly_card = "7551234567"     # 月结卡号
    [providers.accounts.SF]

    [[providers]]
    name = "kdn"
    kind = "kdniao"                 # 快递鸟 e-waybill (RequestType 1007): 通达, EMS, JD...
    ebusiness_id = "1237100"
    [providers.accounts.ZTO]
    customer_name = "ZTO-ACCOUNT"   # the carrier account held at KDNiao (CustomerName)
    month_code = ""
    send_site = ""                  # the carrier's site code and name (网点, SendSite),
    send_site_name = ""             # also asked for the account's stock of numbers

Optional for every provider: `enabled` (true), `timeout_seconds` (15),
`rate_per_minute` (the provider's limit; see station.waybills.limits), `base_url`
(tests and the sandbox point it elsewhere). The first enabled provider that
serves an order's carrier takes its number (WeChat Shop only for shop orders).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from station.core.option_tables import (
    check_known,
    check_name_and_kind,
    check_names_differ,
    check_types,
)

WAYBILLS_FILE = "waybills.toml"
WECHAT, SF, KDNIAO = "wechat-shop", "sf", "kdniao"
KINDS = (WECHAT, SF, KDNIAO)
BASE_URLS = {
    WECHAT: "https://api.weixin.qq.com",
    SF: "https://bspgw.sf-express.com",
    KDNIAO: "https://api.kdniao.com",
}
# Client-side limits, calls a minute. WeChat: order/create "目前限制每分钟500" (a WeChat
# Shop engineer, developers.weixin.qq.com/community/develop/doc/000e2eabcf0c2862b6625976a61400);
# the limiter counts every call, so precreate + create stay within it. SF and KDNiao
# publish no figure we could find: 6000 a minute (100/s) until the account manager
# gives the account's own, set with `rate_per_minute`.
RATE_PER_MINUTE = {WECHAT: 500.0, SF: 6000.0, KDNIAO: 6000.0}
SECRET_SERVICE = "PackingStation"


class WaybillConfigError(ValueError):
    pass


class SecretMissing(LookupError):
    pass


@dataclass(frozen=True)
class ProviderConfig:
    name: str
    kind: str
    enabled: bool = True
    base_url: str = ""
    timeout_seconds: float = 15.0
    rate_per_minute: float = 0.0  # 0: the kind's default (RATE_PER_MINUTE)
    appid: str = ""
    shop_id: str = ""
    template_id: str = ""
    partner_id: str = ""
    monthly_card: str = ""
    ebusiness_id: str = ""
    accounts: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.base_url or BASE_URLS[self.kind]

    @property
    def rate(self) -> float:
        return self.rate_per_minute or RATE_PER_MINUTE[self.kind]

    @property
    def carriers(self) -> tuple[str, ...]:
        return tuple(code.upper() for code in self.accounts)


def load_providers(folder: Path) -> list[ProviderConfig]:
    """The providers in `folder/waybills.toml`; none when the file does not exist."""
    path = folder / WAYBILLS_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WaybillConfigError(f"{path} is not valid TOML ({exc}).") from exc
    raw = data.get("providers", [])
    if not isinstance(raw, list):
        raise WaybillConfigError(f"{path}: 'providers' must be an array of tables.")
    providers = [parse_provider(e, f"{path} provider {i + 1}") for i, e in enumerate(raw)]
    check_names_differ([p.name for p in providers], str(path), "provider", WaybillConfigError)
    return providers


def parse_provider(entry: Any, where: str) -> ProviderConfig:
    if not isinstance(entry, dict):
        raise WaybillConfigError(f"{where}: must be a table.")
    defaults = ProviderConfig(name="", kind="")
    check_known(entry, defaults, where, WaybillConfigError)
    values = dict(entry)
    check_types(values, defaults, where, WaybillConfigError)
    accounts = values.get("accounts", {})
    for carrier, account in accounts.items():
        if not isinstance(account, dict) or not all(isinstance(v, str) for v in account.values()):
            raise WaybillConfigError(f"{where}: accounts.{carrier} must be a table of strings.")
    values["accounts"] = {c.upper(): dict(a) for c, a in accounts.items()}
    provider = ProviderConfig(**values)
    _check(provider, where)
    return provider


REQUIRED = {
    WECHAT: ("appid", "shop_id"),
    SF: ("partner_id",),
    KDNIAO: ("ebusiness_id",),
}


def _check(provider: ProviderConfig, where: str) -> None:
    check_name_and_kind(provider.name, provider.kind, KINDS, where, WaybillConfigError)
    missing = [key for key in REQUIRED[provider.kind] if not getattr(provider, key)]
    if missing:
        raise WaybillConfigError(f"{where}: a {provider.kind} provider needs {', '.join(missing)}.")
    if not provider.accounts:
        raise WaybillConfigError(
            f"{where}: name at least one carrier account ([providers.accounts.CODE])."
        )
    if provider.base_url and not provider.base_url.startswith(("https://", "http://")):
        raise WaybillConfigError(f'{where}: base_url must be "https://...".')
    if provider.timeout_seconds <= 0 or provider.rate_per_minute < 0:
        raise WaybillConfigError(f"{where}: timeout_seconds and rate_per_minute must be positive.")


def _user(name: str) -> str:
    return f"waybill/{name}"


def get_secret(name: str) -> str:
    try:
        value = keyring.get_password(SECRET_SERVICE, _user(name))
    except keyring.errors.KeyringError as exc:
        raise SecretMissing(f"the keyring cannot be read ({exc}).") from exc
    if not value:
        raise SecretMissing(
            f"no secret stored for waybill provider {name!r}: "
            f"run `station waybill secret set {name}`."
        )
    return value


def set_secret(name: str, value: str) -> None:
    keyring.set_password(SECRET_SERVICE, _user(name), value)
