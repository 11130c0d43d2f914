"""What `station waybill accounts` shows beside balances: the carriers each provider
has opened for e-waybills and its label templates (WeChat Shop delivery/get and
template/get), and the configured carriers it has not opened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from station.waybills.model import Catalogued, Delivery, Refused, Unavailable, WaybillTemplate


@dataclass
class Catalogue:
    deliveries: list[Delivery] = field(default_factory=list)
    templates: list[WaybillTemplate] = field(default_factory=list)
    not_opened: list[str] = field(default_factory=list)  # configured, not opened upstream

    def as_json(self, configured_template: str = "") -> dict[str, Any]:
        return {
            "deliveries": [asdict(d) for d in self.deliveries],
            "templates": [
                {**asdict(t), "configured": t.template_id == configured_template}
                for t in self.templates
            ],
            "not_opened": self.not_opened,
        }


def catalogued(providers: Sequence[object]) -> list[Catalogued]:
    return [p for p in providers if isinstance(p, Catalogued)]


def catalogue_of(provider: Catalogued) -> Catalogue:
    """The provider's opened carriers and templates. Raises Unavailable or Refused."""
    deliveries = provider.deliveries()
    opened = {d.carrier for d in deliveries}
    return Catalogue(
        deliveries=deliveries,
        templates=provider.templates(),
        not_opened=[c for c in provider.carriers if c not in opened],
    )


def catalogues(
    providers: Sequence[object],
) -> tuple[dict[str, Catalogue], dict[str, str]]:
    """Each catalogued provider's catalogue, and the problems: one that could not say,
    or configured carriers it has not opened (no number can be taken for them)."""
    found: dict[str, Catalogue] = {}
    problems: dict[str, str] = {}
    for provider in catalogued(providers):
        try:
            found[provider.name] = catalogue_of(provider)
        except (Unavailable, Refused) as exc:
            problems[provider.name] = f"carriers and templates unknown: {exc}"
            continue
        missing = found[provider.name].not_opened
        if missing:
            problems[provider.name] = (
                f"{' '.join(missing)} not opened for e-waybills with {provider.name}: open "
                "them in the shop's back office (电子面单) or remove them from waybills.toml"
            )
    return found, problems
