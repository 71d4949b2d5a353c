"""Password rules, argon2 hashing, and staff role → token role and estates (issue 11 §2, R-CB-3)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_contracts.enums import StaffRole
from huifang_dispatch.console.passwords import hash_password, password_problem, verify_password
from huifang_dispatch.console.roles import estates_claim, platform_role
from huifang_dispatch.console.signin import token_still_valid
from huifang_infra.auth import Role

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("password", "refused"),
    [("abc123", True), ("12345678", True), ("abcdefgh", True), ("s1", True), ("Huifang2026", False)],
)
def test_password_rules(password: str, refused: bool) -> None:
    assert (password_problem(password, "s1") is not None) is refused


def test_a_password_equal_to_the_user_name_is_refused() -> None:
    assert password_problem("wang2026", "WANG2026") == "密码不能与用户名相同 / must differ from the user name"


async def test_only_the_argon2_hash_is_kept_and_it_verifies() -> None:
    stored = await hash_password("Huifang2026")
    assert stored.startswith("$argon2id$") and "Huifang2026" not in stored
    assert await verify_password("Huifang2026", stored)
    assert not await verify_password("huifang2026", stored)
    assert not await verify_password("Huifang2026", None)


def test_roles_map_to_the_platform_roles_every_service_verifies() -> None:
    # R-CB-3: an administrator calls back beside the department head, as service-center staff do.
    assert platform_role(StaffRole.ADMINISTRATOR) is Role.service_center_staff
    assert platform_role(StaffRole.SITE_CAPTAIN) is Role.site_captain
    assert platform_role(StaffRole.INTEGRATION) is None
    assert estates_claim(StaffRole.RECEPTIONIST, "E1") == ["E1"]
    assert estates_claim(StaffRole.QUALITY_DEPT, "E1") == ["*"]


def test_tokens_minted_before_a_sign_out_are_refused_by_the_console() -> None:
    signed_out = datetime(2026, 3, 5, 2, 0, 10, 500000, tzinfo=UTC)
    before = int(datetime(2026, 3, 5, 2, 0, 10, tzinfo=UTC).timestamp())  # same second, earlier
    assert not token_still_valid(before, signed_out)
    assert token_still_valid(before + 1, signed_out)
    assert token_still_valid(before, None)
