"""The estate registry's tables: estates, buildings, units, departments, complaint categories."""

from __future__ import annotations

from huifang_infra.db import Connection

from huifang_intake.domain.categories import category_tree
from huifang_intake.domain.registry import Building, Estate, EstatePart, Group, Unit

# Each part's upsert rewrites the row only when a value differs, and returns a row only then.
_PART_UPSERTS = {
    "buildings": """INSERT INTO buildings AS t VALUES ($1, $2, $3, $4)
        ON CONFLICT (group_id, estate_id, building_id) DO UPDATE SET name = $4
        WHERE t.name IS DISTINCT FROM $4 RETURNING true""",
    "units": """INSERT INTO units AS t VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (group_id, estate_id, unit_id) DO UPDATE SET building_id = $4, name = $5
        WHERE (t.building_id, t.name) IS DISTINCT FROM ($4, $5) RETURNING true""",
    "departments": """INSERT INTO departments AS t VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (group_id, estate_id, department_id) DO UPDATE SET name_zh = $4, name_en = $5
        WHERE (t.name_zh, t.name_en) IS DISTINCT FROM ($4, $5) RETURNING true""",
}


def _part_row(part: EstatePart) -> tuple[str, tuple[str | None, ...]]:
    """The part's table and its columns after (group_id, estate_id), in table order."""
    if isinstance(part, Building):
        return "buildings", (part.building_id, part.name)
    if isinstance(part, Unit):
        return "units", (part.unit_id, part.building_id, part.name)
    return "departments", (part.department_id, part.name_zh, part.name_en)


class Registry:
    """Reads and writes the registry; remembers estates it has seen (they are never removed)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], Estate] = {}

    async def estate(self, conn: Connection, group_id: str, estate_id: str, *, fresh: bool = False) -> Estate | None:
        key = (group_id, estate_id)
        if not fresh and key in self._known:
            return self._known[key]
        row = await conn.fetchrow(
            "SELECT facts FROM estates WHERE group_id = $1 AND estate_id = $2", group_id, estate_id
        )
        if row is None:
            return None
        estate = Estate.model_validate({**row["facts"], "group_id": group_id, "estate_id": estate_id})
        self._known[key] = estate
        return estate

    async def save_estate(self, conn: Connection, estate: Estate) -> bool:
        """Upsert; True when the estate is new."""
        inserted = await conn.fetchval(
            """INSERT INTO estates (group_id, estate_id, name, facts) VALUES ($1, $2, $3, $4)
               ON CONFLICT (group_id, estate_id) DO UPDATE SET name = $3, facts = $4, updated_at = now()
               RETURNING (xmax = 0)""",
            estate.group_id,
            estate.estate_id,
            estate.name,
            estate.facts(),
        )
        self._known[(estate.group_id, estate.estate_id)] = estate
        return bool(inserted)

    async def estates(self, conn: Connection, group_id: str, estate_ids: list[str] | None) -> list[Estate]:
        rows = await conn.fetch(
            """SELECT estate_id, facts FROM estates
               WHERE group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[])) ORDER BY estate_id""",
            group_id,
            estate_ids,
        )
        return [Estate.model_validate({**r["facts"], "group_id": group_id, "estate_id": r["estate_id"]}) for r in rows]

    async def save_group(self, conn: Connection, group_id: str, group: Group) -> None:
        await conn.execute(
            """INSERT INTO groups (group_id, name_zh, name_en) VALUES ($1, $2, $3)
               ON CONFLICT (group_id) DO UPDATE SET name_zh = $2, name_en = $3, updated_at = now()""",
            group_id, group.name_zh, group.name_en,
        )  # fmt: skip

    async def group(self, conn: Connection, group_id: str) -> Group | None:
        row = await conn.fetchrow("SELECT name_zh, name_en FROM groups WHERE group_id = $1", group_id)
        return None if row is None else Group(name_zh=row["name_zh"], name_en=row["name_en"])

    async def save_part(self, conn: Connection, group_id: str, estate_id: str, part: EstatePart) -> bool:
        """Upsert a building, unit or department; True when the row was inserted or changed.

        A row equal to the stored one is left untouched (the `WHERE` of the update), so the caller can tell
        a real change from a repeated save.
        """
        table, values = _part_row(part)
        changed = await conn.fetchval(_PART_UPSERTS[table], group_id, estate_id, *values)
        return bool(changed)

    async def estate_parts(self, conn: Connection, group_id: str, estate_id: str) -> dict[str, list[dict[str, object]]]:
        parts: dict[str, list[dict[str, object]]] = {}
        for table in ("buildings", "units", "departments"):
            rows = await conn.fetch(
                f"SELECT * FROM {table} WHERE group_id = $1 AND estate_id = $2 ORDER BY 3", group_id, estate_id
            )
            parts[table] = [{k: v for k, v in dict(r).items() if k not in ("group_id", "estate_id")} for r in rows]
        return parts

    async def add_category(self, conn: Connection, group_id: str, category: str, subcategory: str | None) -> bool:
        """True when the (category, subcategory) is new to the group; categories are never removed."""
        added = await conn.fetchval(
            "INSERT INTO complaint_categories VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING true",
            group_id,
            category,
            subcategory or "",
        )
        return bool(added)

    async def categories(self, conn: Connection, group_id: str) -> dict[str, set[str]]:
        rows = await conn.fetch("SELECT category, subcategory FROM complaint_categories WHERE group_id = $1", group_id)
        return category_tree((r["category"], r["subcategory"] or None) for r in rows)
