"""Shaping rows for HTTP: times stored UTC, shown in the estate's zone; labels in Chinese and English."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from huifang_callback.domain.model import CallbackState
from huifang_callback.entrypoints.schemas import CallbackOut, LocalTime, SampleOut


def local_time(instant: datetime, timezone: str) -> LocalTime:
    return LocalTime(utc=instant, local=instant.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S"))


def callback_out(row: dict[str, Any]) -> CallbackOut:
    tz = row.get("timezone") or "Asia/Shanghai"
    return CallbackOut(
        **{k: row[k] for k in CallbackOut.model_fields if k in row and k not in ("window_start", "due_at", "deadline")},
        state_zh=CallbackState(row["state"]).label_zh,
        window_start=local_time(row["window_start"], tz),
        due_at=local_time(row["due_at"], tz),
        deadline=local_time(row["deadline"], tz),
    )


def sample_out(row: dict[str, Any]) -> SampleOut:
    return SampleOut(
        sample_id=row["sample_id"],
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        month=row["month"],
        rule_id=row["rule_id"],
        request_kind=row["request_kind"],
        policy_id=row["policy_id"],
        policy_version=row["policy_version"],
        seed=row["seed"],
        algorithm=row["algorithm"],
        population_ids=row["population"],
        chosen_ids=row["chosen"],
        door_count=row["door_count"],
        excluded_ids=row["excluded"],
        drawn_at=row["drawn_at"],
        requested_by=row["requested_by"],
    )
