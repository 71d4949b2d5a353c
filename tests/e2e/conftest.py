"""The five services as real processes, started once per module on the shared test stack.

Each service gets a fresh database of its own (`e2e_<suffix>_<service>`, dropped afterwards); all five
share one topic suffix, so the module's events never meet another test's.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.system import start_system
from tests.support.processes import ServiceSystem


@pytest.fixture(scope="module")
def system(
    tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str, admin_database_url: str
) -> Iterator[ServiceSystem]:
    yield from start_system(tmp_path_factory.mktemp("e2e"), kafka_bootstrap, admin_database_url)
