"""Shared steps of the console tests: staff with passwords, and signing in over HTTP."""

from __future__ import annotations

import httpx
from huifang_infra.auth import Role

from tests.support.service import bearer

GROUP = "G1"
ADMIN = bearer(Role.office_manager, GROUP, ["E1"], sub="boss")
PASSWORD = "Huifang2026"


async def staff_with_password(
    client: httpx.AsyncClient,
    staff_id: str,
    role: str = "service_center_staff",
    *,
    estate: str = "E1",
    password: str = PASSWORD,
    must_change: bool = False,
    door_visits: bool = False,
) -> None:
    body = {
        "staff_id": staff_id,
        "estate_id": estate,
        "name": f"员工{staff_id}",
        "role": role,
        "door_visits": door_visits,
    }
    created = await client.post("/staff", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    put = await client.put(
        f"/staff/{staff_id}/password", json={"password": password, "must_change": must_change}, headers=ADMIN
    )
    assert put.status_code == 204, put.text


async def sign_in(client: httpx.AsyncClient, staff_id: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/auth/token", data={"username": staff_id, "password": password})
