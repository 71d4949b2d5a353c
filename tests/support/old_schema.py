"""A service's database as an earlier release left it: the migrations before a version, copied unchanged
(so their checksums match when the upgrade applies the rest)."""

from __future__ import annotations

import shutil
from pathlib import Path

from huifang_infra.migrations import MigrationSource, service_migrations


def migrations_before(service: str, version: int, tmp_path: Path) -> MigrationSource:
    """`service`'s migrations numbered below `version`, as their own source."""
    folder = tmp_path / f"{service}-before-{version:04d}"
    folder.mkdir()
    for sql in sorted(service_migrations(service).folder.glob("*.sql")):
        if int(sql.name[:4]) < version:
            shutil.copy(sql, folder / sql.name)
    return MigrationSource(service, folder)
