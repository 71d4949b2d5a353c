"""Command line: run the service, reproduce a sample from its event, draw a past month on request.

python -m huifang_callback                                  # the service on port 8002
python -m huifang_callback sample reproduce sample.json     # exit 0 when the draw reproduces
python -m huifang_callback sample draw --group G1 --estate E1 --month 2026-03
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from huifang_infra.clock import utc_now
from huifang_infra.db import create_pool
from huifang_infra.migrations import infra_migrations, migrate, service_migrations

from huifang_callback.bootstrap import sampler_for
from huifang_callback.config import CallbackSettings
from huifang_callback.domain.windows import draw_moment
from huifang_callback.service_layer.policy_book import rules_for
from huifang_callback.service_layer.reproduction import reproduce_event
from huifang_callback.service_layer.sampler import DrawRequest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="huifang_callback", description="回访策略引擎 callback service")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the HTTP service, consumer and timers (default)")
    sample = commands.add_parser("sample", help="monthly samples (R-CB-4, R-CB-13)").add_subparsers(dest="action")
    reproduce = sample.add_parser("reproduce", help="redo a SampleDrawn event's draw")
    reproduce.add_argument("file", type=Path, help="a SampleDrawn envelope or payload, as JSON")
    draw = sample.add_parser("draw", help="draw a past month for an estate (idempotent)")
    draw.add_argument("--group", required=True)
    draw.add_argument("--estate", required=True)
    draw.add_argument("--month", required=True, help="YYYY-MM, estate-local")
    args = parser.parse_args(argv)
    if args.command in (None, "serve"):
        return _serve()
    if args.command == "sample" and args.action == "reproduce":
        document = json.loads(args.file.read_text(encoding="utf-8"))
        result = reproduce_event(document.get("payload", document))
        print(json.dumps(result.__dict__, ensure_ascii=False, indent=2))
        return 0 if result.matches else 1
    if args.command == "sample" and args.action == "draw":
        return asyncio.run(_draw(args.group, args.estate, args.month))
    parser.print_help()
    return 2


def _serve() -> int:
    from huifang_infra.runtime import serve

    serve(CallbackSettings(), "huifang_callback.entrypoints.api:create_app")
    return 0


async def _draw(group_id: str, estate_id: str, month: str) -> int:
    settings = CallbackSettings()
    clock = utc_now
    pool = await create_pool(settings.database_url)
    try:
        await migrate(pool, [infra_migrations(), service_migrations("callback")])
        async with pool.acquire() as conn:
            rules = await rules_for(conn, group_id, estate_id)
        sampler = sampler_for(pool, settings, clock)
        for rule in (r for r in rules.policy.body.rules if r.rate.mode == "monthly_sample"):
            if clock() < draw_moment(int(month[:4]), int(month[5:]), rule.window, rules.calendar):
                print(f"{rule.rule_id}: {month} is not drawn yet (its draw time has not come)")
                continue
            request = DrawRequest(rules, rule, month, requested_by="cli")
            row = await sampler.draw(request) or await sampler.existing(request)
            if row is not None:
                print(f"{row['sample_id']}: seed {row['seed']}, {len(row['chosen'])} of {len(row['population'])}")
    finally:
        await pool.close()
    return 0
