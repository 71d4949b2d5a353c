"""The collector's thresholds every service process runs with (`serve` → `tune_gc`), in a single process
and in each uvicorn worker (`worker_app`)."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from huifang_contracts.topics import Service
from huifang_infra.gc_tuning import DEFAULT_GEN0_THRESHOLD, tune_gc
from huifang_infra.runtime import APP_FACTORY_ENV, ServiceRuntime, create_service_app, worker_app
from huifang_infra.settings import ServiceSettings

pytestmark = pytest.mark.unit


@pytest.fixture
def restored() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_the_young_threshold_is_raised_and_what_exists_is_frozen(restored: None) -> None:
    _, gen1, gen2 = gc.get_threshold()
    tune_gc(12_345)
    assert gc.get_threshold() == (12_345, gen1, gen2)
    assert gc.get_freeze_count() > 0


def test_zero_keeps_the_interpreters_defaults(restored: None) -> None:
    before = gc.get_threshold()
    tune_gc(0)
    assert gc.get_threshold() == before


def test_services_default_to_the_tuned_threshold_and_may_opt_out(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings(service_name="x").gc_gen0_threshold == DEFAULT_GEN0_THRESHOLD
    monkeypatch.setenv("HUIFANG_SERVICE_GC_GEN0_THRESHOLD", "0")
    assert ServiceSettings(service_name="x").gc_gen0_threshold == 0


def app_for_a_worker() -> FastAPI:
    """A service app factory with no arguments, as uvicorn calls one in each worker process."""
    return create_service_app(ServiceRuntime(ServiceSettings(service_name="worker_test"), Service.INTAKE), title="t")


def test_a_worker_process_builds_the_named_app_and_tunes_its_collector(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # the worker installs its log handler
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setenv(APP_FACTORY_ENV, f"{__name__}:app_for_a_worker")
    monkeypatch.setenv("HUIFANG_SERVICE_GC_GEN0_THRESHOLD", "4321")
    app = worker_app()
    assert app.state.runtime.settings.service_name == "worker_test"
    assert gc.get_threshold()[0] == 4321
