"""Service settings: per-service prefixes, stack-derived defaults, unsafe production refused (issue 4, item 5)."""

from __future__ import annotations

import pytest
from huifang_infra.settings import DEVELOPMENT_JWT_SECRET, ServiceSettings
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

pytestmark = pytest.mark.unit

STRONG_SECRET = "k" * 48


class CallbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CALLBACK_")
    service_name: str = "callback"


class DispatchSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DISPATCH_")
    service_name: str = "dispatch"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test suite itself points the stack at other ports; start each case from none of that."""
    for name in (
        "HUIFANG_DATABASE_URL",
        "DATABASE_URL",
        "HUIFANG_POSTGRES_PORT",
        "HUIFANG_KAFKA_PORT",
        "HUIFANG_DATABASE_PREFIX",
        "KAFKA_BOOTSTRAP_SERVERS",
        "HUIFANG_KAFKA_BOOTSTRAP_SERVERS",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_point_at_the_local_stack() -> None:
    settings = CallbackSettings()

    assert settings.database_url == "postgresql://postgres@127.0.0.1:15432/huifang_callback"
    assert settings.kafka_bootstrap_servers == "127.0.0.1:19092"
    assert settings.environment == "development"
    assert settings.topic_suffix == ""
    assert settings.otel_exporter_otlp_endpoint is None


def test_a_shared_database_server_is_used_with_each_service_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUIFANG_DATABASE_URL", "postgresql://app:pw@db.internal:5432/postgres?sslmode=require")

    assert CallbackSettings().database_url == "postgresql://app:pw@db.internal:5432/huifang_callback?sslmode=require"
    assert DispatchSettings().database_url == "postgresql://app:pw@db.internal:5432/huifang_dispatch?sslmode=require"


def test_the_stack_port_moves_the_default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUIFANG_POSTGRES_PORT", "25432")

    assert CallbackSettings().database_url == "postgresql://postgres@127.0.0.1:25432/huifang_callback"


def test_each_service_reads_only_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLBACK_DATABASE_URL", "postgresql://cb@h/cb")
    monkeypatch.setenv("CALLBACK_HTTP_PORT", "8102")
    monkeypatch.setenv("CALLBACK_TOPIC_SUFFIX", "t1")

    callback, dispatch = CallbackSettings(), DispatchSettings()

    assert (callback.database_url, callback.http_port, callback.topic_suffix) == ("postgresql://cb@h/cb", 8102, "t1")
    assert (dispatch.database_url, dispatch.http_port, dispatch.topic_suffix) == (
        "postgresql://postgres@127.0.0.1:15432/huifang_dispatch",
        8000,
        "",
    )


def test_shared_kafka_and_telemetry_variables_reach_every_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")

    settings = DispatchSettings()

    assert settings.kafka_bootstrap_servers == "k1:9092,k2:9092"
    assert settings.otel_exporter_otlp_endpoint == "http://collector:4318"


def test_a_prefixed_kafka_variable_overrides_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "shared:9092")
    monkeypatch.setenv("CALLBACK_KAFKA_BOOTSTRAP_SERVERS", "own:9092")

    assert CallbackSettings().kafka_bootstrap_servers == "own:9092"


def test_production_refuses_the_development_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLBACK_ENVIRONMENT", "production")

    with pytest.raises(ValidationError, match="development secret is refused in production"):
        CallbackSettings()


def test_production_refuses_a_short_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLBACK_ENVIRONMENT", "production")
    monkeypatch.setenv("CALLBACK_JWT_SECRET", "short")

    with pytest.raises(ValidationError, match="at least 32 bytes"):
        CallbackSettings()


def test_production_accepts_a_strong_secret_and_never_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLBACK_ENVIRONMENT", "production")
    monkeypatch.setenv("CALLBACK_JWT_SECRET", STRONG_SECRET)

    settings = CallbackSettings()

    assert settings.jwt_secret.get_secret_value() == STRONG_SECRET
    assert STRONG_SECRET not in repr(settings)


def test_development_and_test_run_with_the_development_secret() -> None:
    assert CallbackSettings().jwt_secret.get_secret_value() == DEVELOPMENT_JWT_SECRET
    assert CallbackSettings(environment="test").environment == "test"


def test_an_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLBACK_ENVIRONMENT", "staging")

    with pytest.raises(ValidationError, match="environment"):
        CallbackSettings()


def test_pool_minimum_above_maximum_is_refused() -> None:
    with pytest.raises(ValidationError, match="db_pool_min_size 5 > db_pool_max_size 2"):
        CallbackSettings(db_pool_min_size=5, db_pool_max_size=2)


def test_topic_suffix_isolates_topics() -> None:
    assert CallbackSettings().topic("callback.callbacks") == "callback.callbacks"
    assert CallbackSettings(topic_suffix="ab12").topic("callback.callbacks") == "callback.callbacks.ab12"


def test_fields_can_be_given_by_name_in_code() -> None:
    settings = ServiceSettings(service_name="survey", otel_exporter_otlp_endpoint="http://c:4318", http_port=8104)

    assert (settings.service_name, settings.otel_exporter_otlp_endpoint, settings.http_port) == (
        "survey",
        "http://c:4318",
        8104,
    )
    assert settings.database_url.endswith("/huifang_survey")
