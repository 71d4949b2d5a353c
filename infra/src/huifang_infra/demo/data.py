"""The demo's data step: where a realistic property group will be loaded through the services' APIs.

`huifang demo up` calls `load_demo_data` once every service answers; the loader will drive only the
public HTTP APIs and the ERP topic, as a user's systems would.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger(__name__)

#: The property group the development token is scoped to (every estate of it).
DEMO_GROUP_ID = "demo-group"


def load_demo_data(urls: Mapping[str, str], token: str) -> None:
    """Load the demo group into the running services (`urls`: service name → base URL)."""
    del urls, token  # used once the loader exists
    log.info("no demo data loader yet")
