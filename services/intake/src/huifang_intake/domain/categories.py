"""Complaint categories: the two-level tree of DOMAIN.md (core objects › complaint), extendable per group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from huifang_intake.domain.errors import UnknownCategory

#: DOMAIN.md: plumbing › drainage pipe, HVAC › heating, electrical › distribution box, common areas,
#: landscaping, planning & design, municipal facilities, other. Names are what desks and ERPs write.
DEFAULT_CATEGORIES: Mapping[str, tuple[str, ...]] = {
    "给排水": ("排水管", "给水管", "漏水", "堵塞"),
    "暖通空调": ("供暖", "空调", "通风"),
    "电气": ("配电箱", "照明", "停电"),
    "公共区域": ("照明", "电梯", "门禁", "卫生", "停车"),
    "绿化": (),
    "规划设计": (),
    "市政设施": (),
    "其他": (),
}

#: English names accepted on input for the same level-1 categories.
ENGLISH_NAMES: Mapping[str, str] = {
    "plumbing": "给排水",
    "hvac": "暖通空调",
    "electrical": "电气",
    "common_areas": "公共区域",
    "landscaping": "绿化",
    "planning_design": "规划设计",
    "municipal": "市政设施",
    "other": "其他",
}


def category_tree(additions: Iterable[tuple[str, str | None]] = ()) -> dict[str, set[str]]:
    """The defaults plus a group's own (category, subcategory) additions."""
    tree = {name: set(children) for name, children in DEFAULT_CATEGORIES.items()}
    for parent, child in additions:
        tree.setdefault(parent, set())
        if child:
            tree[parent].add(child)
    return tree


def check_category(tree: Mapping[str, set[str]], category: str, subcategory: str | None) -> tuple[str, str | None]:
    """The canonical (category, subcategory), or `UnknownCategory` naming the field at fault.

    A level-1 category without listed children accepts any subcategory (the group has not detailed it).
    """
    name = ENGLISH_NAMES.get(category, category)
    if name not in tree:
        raise UnknownCategory("category", f"unknown category {category!r}; known: {', '.join(sorted(tree))}")
    children = tree[name]
    if subcategory and children and subcategory not in children:
        raise UnknownCategory("subcategory", f"unknown subcategory {subcategory!r} of {name}")
    return name, subcategory or None
