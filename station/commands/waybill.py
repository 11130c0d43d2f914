"""`station waybill`: e-waybills (电子面单) taken ahead so the bench packs offline.

  accounts [--json]                      providers, accounts and remaining balances;
                                         WeChat Shop: carriers opened, label templates
  prefetch [--order NO ...] [--limit N]  take numbers for open orders now
           [--parcels N]                 with --order: multi-parcel (子母单) e-waybills
                                         (SF; WeChat Shop: SF, DBKD, JD...; grows one)
  cancel WAYBILL_NO                      cancel a number taken ahead (queued, then sent)
  status [--json]                        numbers per provider and state, queued cancels
  secret set NAME                        store a provider's secret in the OS keyring

Providers are configured in waybills.toml in the data folder (WeChat Shop, SF 丰桥,
KDNiao 快递鸟; see station/waybills/config.py); their secrets (AppSecret, SF's check
word, KDNiao's AppKey) live in the keyring, never in a file. Without --limit,
prefetch takes `ewaybill.prefetch_limit` orders (0: every open order). A provider
that refuses a number (address unreachable, balance exhausted, blocked area) holds
the order, with the reason, before anyone packs it. Prefetch and cancel also carry
out the queued cancels that are due.

Exit codes: 0 done, 1 partly done (refused, waiting or retrying: the message says
which), 2 bad input or configuration, 4 no such e-waybill.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from typing import Any

from station.commands.common import CommandContext, database_for
from station.commands.subcommands import command_group, json_command, secret_set_parser
from station.store import ewaybills as store
from station.waybills import config as waybill_config
from station.waybills.catalogue import catalogues
from station.waybills.model import State
from station.waybills.providers import build
from station.waybills.service import Prefetcher, low_balances

EXIT_PARTLY, EXIT_BAD_INPUT, EXIT_NOT_FOUND = 1, 2, 4
MAX_PARCELS = 300  # WeChat's add_package_quantity bound; SF's accounts allow fewer
log = logging.getLogger("station.waybills")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(
        sub, "waybill", "e-waybills taken ahead: accounts, prefetch, cancel, status", __doc__
    )
    json_command(commands, "accounts", "providers, accounts, remaining balances", accounts_command)
    prefetch = commands.add_parser("prefetch", help="take e-waybills for open orders now")
    prefetch.add_argument("--order", nargs="+", metavar="NO", help="only these orders")
    prefetch.add_argument("--limit", type=int, help="at most N orders (oldest first)")
    prefetch.add_argument(
        "--parcels",
        type=int,
        default=1,
        metavar="N",
        help="with --order: a multi-parcel (子母单) e-waybill of N parcels (SF; WeChat "
        "Shop for SF, DBKD, JD, SXJD, YDKY, ANEKY, adding parcels to one already taken)",
    )
    prefetch.set_defaults(func=prefetch_command)
    cancel = commands.add_parser("cancel", help="cancel a number taken ahead")
    cancel.add_argument("waybill_no", metavar="WAYBILL_NO")
    cancel.set_defaults(func=cancel_command)
    json_command(commands, "status", "numbers per provider and state", status_command)
    secret_set = secret_set_parser(commands, "keep a provider's secret in the OS keyring")
    secret_set.add_argument(
        "name", help="provider name from waybills.toml (KDNiao carrier passwords: NAME.CARRIER)"
    )
    secret_set.set_defaults(func=secret_set_command)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_BAD_INPUT


def _open(ctx: CommandContext) -> tuple[Any, Any, Any, Any]:
    """Database, settings, built providers and the prefetcher; SystemExit(2) on a
    broken waybills.toml."""
    folder, settings = ctx.folder, ctx.settings
    try:
        configs = waybill_config.load_providers(folder)
    except waybill_config.WaybillConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT) from exc
    from station.hub.ewaybill_link import (
        coordinator_for,
    )  # the hub's modules load only with waybills

    db = database_for(folder)
    built = build(configs)
    return (
        db,
        settings,
        built,
        Prefetcher(db, settings, built.providers, folder, coordinator_for(settings)),
    )


def accounts_command(ctx: CommandContext) -> int:
    args = ctx.args
    db, settings, built, prefetcher = _open(ctx)
    try:
        found, problems = prefetcher.balances()
        shelves, shelf_problems = catalogues(built.providers)
        problems = {**built.problems, **shelf_problems, **problems}
        threshold = settings["ewaybill.low_balance"]
        low = {(b.provider, b.account, b.carrier) for b in low_balances(found, threshold)}
        rows = [
            {**row, "low": (row["provider"], row["account"], row["carrier"]) in low}
            for row in store.balances(db)
        ]
        providers = [
            {
                "name": p.name,
                "carriers": list(p.carriers),
                "problem": problems.get(p.name, ""),
                **(shelves[p.name].as_json(_template_of(p)) if p.name in shelves else {}),
            }
            for p in built.providers
        ] + [{"name": n, "carriers": [], "problem": why} for n, why in built.problems.items()]
    finally:
        prefetcher.close()
        db.close()
    for row in rows:
        if row["low"]:
            log.warning("e-waybill account %(provider)s %(carrier)s low: %(available)s", row)
    if args.json:
        print(json.dumps({"providers": providers, "accounts": rows}, ensure_ascii=False))
    else:
        if not providers:
            print(f"no e-waybill providers: configure {waybill_config.WAYBILLS_FILE}")
        for p in providers:
            print(f"{p['name']}: {' '.join(p['carriers']) or '-'}  {p['problem']}".rstrip())
            _print_catalogue(p)
        for row in rows:
            left = "-" if row["available"] is None else row["available"]
            mark = "  LOW: top up with the carrier" if row["low"] else ""
            print(f"  {row['provider']} {row['carrier']} {row['account']}: {left} left{mark}")
    return EXIT_PARTLY if problems else 0


def _template_of(provider: Any) -> str:
    """The template_id waybills.toml names for a provider ("" for none)."""
    return str(getattr(getattr(provider, "config", None), "template_id", "") or "")


def _print_catalogue(provider: dict[str, Any]) -> None:
    """The carriers a provider opened and its templates, when it lists them."""
    if "deliveries" in provider:
        opened = " ".join(f"{d['carrier']}({d['name']})" for d in provider["deliveries"])
        print(f"  opened: {opened or '-'}")
    for t in provider.get("templates", []):
        marks = ", ".join(
            m for m, on in (("default", t["default"]), ("configured", t["configured"])) if on
        )
        print(
            f"  template {t['carrier']} {t['template_id']} {t['name']} ({t['kind']})"
            + (f" [{marks}]" if marks else "")
        )


def prefetch_command(ctx: CommandContext) -> int:
    args = ctx.args
    if args.limit is not None and args.limit <= 0:
        return _fail("--limit must be a positive number of orders")
    if not 1 <= args.parcels <= MAX_PARCELS:
        return _fail(f"--parcels must be 1 to {MAX_PARCELS} parcels")
    if args.parcels > 1 and not args.order:
        return _fail("--parcels needs --order NO: name the orders packed in several parcels")
    db, settings, built, prefetcher = _open(ctx)
    try:
        if not built.providers:
            problems = "; ".join(built.problems.values())
            return _fail(
                f"no e-waybill provider is ready ({problems or 'none configured in '}"
                f"{'' if problems else waybill_config.WAYBILLS_FILE}): nothing taken"
            )
        summary = prefetcher.prefetch(args.order, args.limit, args.parcels)
        cancels = prefetcher.run_cancels()
        found, _ = prefetcher.balances()
        low = low_balances(found, settings["ewaybill.low_balance"])
    finally:
        prefetcher.close()
        db.close()
    print(f"taken: {len(summary.taken)}")
    if summary.shared:
        print(f"copied from other benches (hub): {len(summary.shared)}")
    for order_no, why in summary.refused.items():
        print(f"refused, order held: {order_no}: {why}")
    for order_no, why in summary.pending.items():
        print(f"waiting: {order_no}: {why}")
    for order_no in summary.no_provider:
        print(f"no provider serves the carrier of order {order_no}")
    for number, what in cancels.items():
        print(f"cancel {number}: {what}")
    for b in low:
        log.warning(
            "e-waybill account %s %s %s low: %s left", b.provider, b.carrier, b.account, b.available
        )
        print(
            f"LOW: {b.provider} {b.carrier} {b.account}: {b.available} left: "
            "top up with the carrier"
        )
    waiting = summary.refused or summary.pending or any(w != "cancelled" for w in cancels.values())
    return EXIT_PARTLY if waiting else 0


def cancel_command(ctx: CommandContext) -> int:
    args = ctx.args
    db, _settings, _built, prefetcher = _open(ctx)
    try:
        row = store.by_number(db, args.waybill_no)
        if row is None:
            print(f"no e-waybill {args.waybill_no} here", file=sys.stderr)
            return EXIT_NOT_FOUND
        if row.state is State.USED:
            return _fail(
                f"{args.waybill_no} is printed on a recorded shipment: void the shipment instead"
            )
        if row.state in (State.TAKEN, State.REQUESTED) or row.attention:
            prefetcher.cancel_number(args.waybill_no)  # a refused one is tried again
        done = prefetcher.run_cancels().get(row.waybill_no or row.key)
        state = store.by_number(db, args.waybill_no)
    finally:
        prefetcher.close()
        db.close()
    assert state is not None
    if state.state is State.CANCELLED:
        print(f"{args.waybill_no} cancelled")
        return 0
    print(f"{args.waybill_no} cancel queued: {done or state.note}")
    return EXIT_PARTLY


def status_command(ctx: CommandContext) -> int:
    args = ctx.args
    folder, settings = ctx.folder, ctx.settings
    db = database_for(folder)
    try:
        counts = store.counts(db)
        queued = [
            {
                "waybill_no": r.waybill_no,
                "order_no": r.order_no,
                "provider": r.provider,
                "reason": r.note,
                "attempts": r.attempts,
            }
            for r in store.rows(db, State.CANCEL_PENDING)
            if not r.attention
        ]
        attention = [
            {
                "waybill_no": r.waybill_no,
                "order_no": r.order_no,
                "provider": r.provider,
                "reason": r.attention,
            }
            for r in store.needing_attention(db)
        ]
        notices = store.print_notices_waiting(db)
        threshold = settings["ewaybill.low_balance"]
        low = [
            b
            for b in store.balances(db)
            if b["available"] is not None and b["available"] < threshold
        ]
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                {
                    "providers": counts,
                    "cancel_queue": queued,
                    "attention": attention,
                    "print_notices_waiting": notices,
                    "low_balance": low,
                },
                ensure_ascii=False,
            )
        )
        return 0
    if not counts:
        print("no e-waybills taken yet")
    for provider, states in counts.items():
        print(f"{provider}: " + ", ".join(f"{s} {n}" for s, n in states.items()))
    for q in queued:
        print(f"cancel queued: {q['waybill_no'] or '?'} (order {q['order_no']}): {q['reason']}")
    for a in attention:
        print(
            f"NEEDS A PERSON: {a['waybill_no']} (order {a['order_no']}): {a['reason']}; "
            f"settle it with the carrier, then `station waybill cancel {a['waybill_no']}` "
            "tries again"
        )
    if notices:
        print(f"print notices to send to WeChat: {notices}")
    for b in low:
        print(f"LOW: {b['provider']} {b['carrier']} {b['account']}: {b['available']} left")
    return 0


def secret_set_command(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    try:
        names = [p.name for p in waybill_config.load_providers(folder)]
    except waybill_config.WaybillConfigError as exc:
        return _fail(str(exc))
    if args.name.split(".")[0] not in names:
        return _fail(f"no provider {args.name!r} in {folder / waybill_config.WAYBILLS_FILE}")
    value = getpass.getpass(f"secret for {args.name} (not shown): ").strip()
    if not value:
        return _fail("nothing entered; the secret is unchanged")
    waybill_config.set_secret(args.name, value)
    print(f"secret for {args.name} stored in the keyring")
    return 0
