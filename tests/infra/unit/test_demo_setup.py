"""The demo's pure parts (issue 10, item 1): ports, the token the demo prints, the environment the
services get, and the check that tells a service with no `__main__` from one that can run."""

from __future__ import annotations

from pathlib import Path

import pytest
from huifang_demo import DemoSettings, demo_services
from huifang_demo.access import demo_token, demo_urls, service_env
from huifang_demo.data import DEMO_GROUP_ID
from huifang_demo.runnable import why_not_runnable
from huifang_devstack import Stack, StackSettings
from huifang_devstack.cli import app
from huifang_infra.auth import DEVELOPMENT_JWT_SECRET, AuthConfig, Role, decode_token
from typer.testing import CliRunner

pytestmark = pytest.mark.unit


def test_the_five_services_get_their_documented_ports() -> None:
    specs = demo_services(DemoSettings(port_offset=0))

    assert [(s.name, s.port, s.module) for s in specs] == [
        ("intake", 8001, "huifang_intake"),
        ("callback", 8002, "huifang_callback"),
        ("dispatch", 8003, "huifang_dispatch"),
        ("survey", 8004, "huifang_survey"),
        ("reporting", 8005, "huifang_reporting"),
    ]
    assert [s.port for s in demo_services(DemoSettings(port_offset=20000))] == [28001, 28002, 28003, 28004, 28005]
    assert specs[0].ready_url == "http://127.0.0.1:8001/readyz"


def test_the_demo_token_is_an_admin_of_every_estate_of_the_demo_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUIFANG_JWT_SECRET", raising=False)

    principal = decode_token(demo_token(), AuthConfig(DEVELOPMENT_JWT_SECRET))

    assert (principal.role, principal.group_id, principal.all_estates) == (Role.admin, DEMO_GROUP_ID, True)
    assert principal.locale == "zh-CN"


def test_every_service_verifies_with_the_secret_the_token_is_signed_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "a-demo-secret-of-at-least-thirty-two-bytes"
    monkeypatch.setenv("HUIFANG_JWT_SECRET", secret)
    stack = Stack(StackSettings(state_dir=tmp_path))  # no Zipkin running under it

    env = service_env(demo_services(), stack)

    secrets = {key: value for key, value in env.items() if key.endswith("_JWT_SECRET")}
    assert secrets == {
        f"{name}_JWT_SECRET": secret for name in ("INTAKE", "CALLBACK", "DISPATCH", "SURVEY", "REPORTING")
    }
    assert decode_token(demo_token(), AuthConfig(secret)).role == Role.admin


def test_the_console_may_call_survey_callback_and_reporting_from_the_browser(tmp_path: Path) -> None:
    specs = demo_services(DemoSettings(port_offset=0))
    env = service_env(specs, Stack(StackSettings(state_dir=tmp_path)))

    console = "http://127.0.0.1:8003"
    for name, port in (("SURVEY", 8004), ("CALLBACK", 8002), ("REPORTING", 8005)):
        assert env[f"{name}_CORS_ALLOW_ORIGINS"] == console
        assert env[f"DISPATCH_CONSOLE_{name}_URL"] == f"http://127.0.0.1:{port}"


def test_each_demo_service_consumes_as_a_static_member_of_its_group(tmp_path: Path) -> None:
    """Issue 19 (8): a demo service killed and started again resumes within seconds."""
    env = service_env(demo_services(), Stack(StackSettings(state_dir=tmp_path)))

    ids = {key: value for key, value in env.items() if key.endswith("_CONSUMER_INSTANCE_ID")}
    assert ids == {
        f"{name.upper()}_CONSUMER_INSTANCE_ID": f"{name}-1"
        for name in ("intake", "callback", "dispatch", "survey", "reporting")
    }


def test_urls_list_docs_the_dashboard_and_no_viewer_when_none_runs(tmp_path: Path) -> None:
    stack = Stack(StackSettings(state_dir=tmp_path))

    urls = dict(demo_urls(demo_services(DemoSettings(port_offset=0))[-1:], stack))

    assert urls == {
        "reporting API docs": "http://127.0.0.1:8005/docs",
        "dashboard 看板": "http://127.0.0.1:8005/dashboard",
    }


def test_a_package_without_main_is_told_apart_from_a_runnable_one() -> None:
    assert why_not_runnable("tests.infra.fixtures.tiny_app") is None
    package = "tests.infra.fixtures.no_main"
    assert why_not_runnable(package) == f"{package} has no __main__ yet, so `python -m {package}` has nothing to run"
    absent = "huifang_no_such_service"
    assert why_not_runnable(absent) == f"{absent} is not installed (run `make install`)"


def test_the_cli_offers_the_demo_commands() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"])

    assert result.exit_code == 0
    assert all(command in result.output for command in ("up", "down", "status", "logs"))
