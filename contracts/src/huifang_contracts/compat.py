"""Backward compatibility between two JSON Schemas of one event: may `new` read what `old` allowed?

A new version may only add optional properties (or widen: a new enum value, a nullable field). It may
not remove a property, add a required one, make an optional one required, change a type or drop an
enum value: messages already in the log (kept forever) must still validate after upcasting.
"""

from __future__ import annotations

from typing import Any

JsonSchema = dict[str, Any]

_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}


def breaking_changes(old: JsonSchema, new: JsonSchema) -> list[str]:
    """Every incompatible change from `old` to `new`, one line each with its JSON path; [] when compatible."""
    problems: list[str] = []
    _compare(old, new, "$", old, new, problems)
    return problems


def _resolve(node: JsonSchema, root: JsonSchema) -> JsonSchema:
    """Inline local `$ref`s (`#/$defs/X`), keeping sibling keywords such as a description."""
    while "$ref" in node:
        pointer = node["$ref"]
        if not pointer.startswith("#/"):
            raise ValueError(f"only local references are supported, got {pointer!r}")
        target: Any = root
        for part in pointer[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _branches(node: JsonSchema) -> list[JsonSchema]:
    return list(node.get("anyOf", [])) + list(node.get("oneOf", []))


def _kinds(node: JsonSchema, root: JsonSchema) -> set[str]:
    """The JSON types a schema accepts; {"any"} when it does not say."""
    node = _resolve(node, root)
    if _branches(node):
        return set().union(*(_kinds(branch, root) for branch in _branches(node)))
    declared = node.get("type")
    if isinstance(declared, str):
        kinds = {declared}
    elif isinstance(declared, list):
        kinds = set(declared)
    elif "const" in node or "enum" in node:
        values = [node["const"]] if "const" in node else node["enum"]
        kinds = {_JSON_TYPES.get(type(value), "any") for value in values}
    else:
        return {"any"}
    # An integer is a number: widening integer → number is compatible.
    return kinds | ({"integer"} if "number" in kinds else set())


def _enum_values(node: JsonSchema, root: JsonSchema) -> set[Any] | None:
    """The allowed values when the schema restricts them (enum/const, across union branches), else None."""
    node = _resolve(node, root)
    if _branches(node):
        collected: set[Any] = set()
        for branch in _branches(node):
            values = _enum_values(branch, root)
            if values is None:
                if _kinds(branch, root) != {"null"}:
                    return None
                values = {None}
            collected |= values
        return collected
    if "const" in node:
        return {node["const"]}
    if "enum" in node:
        return set(node["enum"])
    return None


def _object_branch(node: JsonSchema, root: JsonSchema, title: str | None) -> JsonSchema | None:
    """The object schema inside `node` (itself or one union branch), preferring the one titled `title`."""
    node = _resolve(node, root)
    candidates = [_resolve(b, root) for b in _branches(node)] or [node]
    objects = [c for c in candidates if c.get("type") == "object" or "properties" in c]
    for candidate in objects:
        if title is None or candidate.get("title") == title:
            return candidate
    return objects[0] if len(objects) == 1 else None


def _compare(
    old: JsonSchema, new: JsonSchema, path: str, old_root: JsonSchema, new_root: JsonSchema, out: list[str]
) -> None:
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    old_kinds, new_kinds = _kinds(old, old_root), _kinds(new, new_root)
    if "any" not in new_kinds and not old_kinds <= new_kinds:
        out.append(f"{path}: type changed from {sorted(old_kinds)} to {sorted(new_kinds)}")
        return
    old_values, new_values = _enum_values(old, old_root), _enum_values(new, new_root)
    if new_values is not None:
        if old_values is None:
            out.append(f"{path}: now restricted to {sorted(map(str, new_values))}")
        elif removed := old_values - new_values:
            out.append(f"{path}: values removed: {sorted(map(str, removed))}")
    old_branches = [_resolve(b, old_root) for b in _branches(old)] or [old]
    for old_object in (b for b in old_branches if b.get("type") == "object" or "properties" in b):
        new_object = _object_branch(new, new_root, old_object.get("title"))
        if new_object is None:
            out.append(f"{path}: object {old_object.get('title', '')!s} no longer accepted")
            continue
        _compare_objects(old_object, new_object, path, old_root, new_root, out)
    if "items" in old and "items" in new:
        _compare(old["items"], new["items"], f"{path}[]", old_root, new_root, out)


def _compare_objects(
    old: JsonSchema, new: JsonSchema, path: str, old_root: JsonSchema, new_root: JsonSchema, out: list[str]
) -> None:
    old_props: dict[str, Any] = old.get("properties", {})
    new_props: dict[str, Any] = new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name in old_props:
        if name not in new_props:
            out.append(f"{path}.{name}: property removed")
        else:
            _compare(old_props[name], new_props[name], f"{path}.{name}", old_root, new_root, out)
    for name in sorted(new_required - old_required):
        if name in old_props:
            out.append(f"{path}.{name}: optional property became required")
        else:
            out.append(f"{path}.{name}: new property is required (new properties must be optional)")
