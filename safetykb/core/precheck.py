"""A fast yes/no answer to "does this record satisfy its JSON Schema?", for the common valid record.

jsonschema walks a schema keyword by keyword for every record, which costs a
third of a millisecond per paper: seconds on a large knowledge base. Nearly
every record is valid, so `safetykb.core.schema.check` first asks a predicate
compiled here once per kind, and runs jsonschema (which explains errors) only
for records the predicate does not accept.

The predicate is sound: when it says yes, jsonschema finds no error. It covers
the keywords our schemas use, with jsonschema's meaning (types, enum of
strings, pattern via re.search, lengths (min and max), uniqueItems, items, properties,
additionalProperties, propertyNames, required, dependentRequired, minimum,
maximum, local $ref, and `oneOf` between branches of different types). A
schema with any other assertion gets no predicate, and every record of that
kind goes to jsonschema as before.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

#: Keywords that assert nothing.
_ANNOTATIONS = {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples", "format"}

_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
}


class _Unsupported(Exception):
    """The schema uses a keyword this module does not compile."""


def compile_schema(schema: dict[str, Any]) -> Predicate | None:
    """A predicate that accepts only instances valid under schema, or None if the schema is out of reach."""
    try:
        return _Compiler(schema).compile(schema)
    except _Unsupported:
        return None


_KEYWORDS = {"$ref", "type", "enum", "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
             "items", "properties", "additionalProperties", "propertyNames", "required", "dependentRequired",
             "minimum", "maximum", "oneOf"}


def _always(_value: Any) -> bool:
    return True


def _every(checks: list[Predicate]) -> Predicate:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    return lambda v: all(check(v) for check in checks)


class _Compiler:
    """Compiles a schema node into one predicate, grouping the keywords that apply to one JSON type."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Predicate] = {}

    def compile(self, node: Any) -> Predicate:
        if node is True or node == {}:
            return _always
        if not isinstance(node, dict) or set(node) - _ANNOTATIONS - _KEYWORDS:
            raise _Unsupported(repr(node)[:80])
        checks: list[Predicate] = []
        if "$ref" in node:
            checks.append(self._ref(node["$ref"]))
        if "type" in node:
            checks.append(_type(node["type"]))
        if "enum" in node:
            checks.append(_enum(node["enum"]))
        checks += [c for c in (_string(node), self._array(node), self._object(node), _number(node)) if c]
        if "oneOf" in node:
            checks.append(self._one_of(node["oneOf"]))
        return _every(checks)

    def _ref(self, ref: str) -> Predicate:
        if not ref.startswith("#/$defs/"):
            raise _Unsupported(ref)
        if ref not in self.refs:
            self.refs[ref] = lambda v: target(v)  # placeholder, so recursive schemas terminate
            target = self.compile(self.root["$defs"][ref.removeprefix("#/$defs/")])
            self.refs[ref] = target
        return self.refs[ref]

    def _one_of(self, branches: list[Any]) -> Predicate:
        """Branches that each demand a different JSON type never pass together, so one passing is enough."""
        types = [b.get("type") if isinstance(b, dict) else None for b in branches]
        if not all(isinstance(t, str) and t in _TYPES for t in types) or len(set(types)) < len(types) or (
            {"integer", "number"} <= set(types)
        ):
            raise _Unsupported("oneOf")
        checks = [self.compile(b) for b in branches]
        return lambda v: any(check(v) for check in checks)

    def _array(self, node: dict[str, Any]) -> Predicate | None:
        if not {"minItems", "maxItems", "uniqueItems", "items"} & set(node):
            return None
        least = node.get("minItems", 0)
        most = node.get("maxItems", math.inf)
        unique = node.get("uniqueItems", False)
        item = self.compile(node["items"]) if "items" in node else None

        def array(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if not least <= len(value) <= most:
                return False
            # Only lists of strings are judged unique here; any other list is left to jsonschema's rules.
            if unique and not (all(isinstance(i, str) for i in value) and len(set(value)) == len(value)):
                return False
            return item is None or all(item(i) for i in value)

        return array

    def _object(self, node: dict[str, Any]) -> Predicate | None:
        keys = {"properties", "additionalProperties", "propertyNames", "required", "dependentRequired"}
        if not keys & set(node):
            return None
        properties = {name: self.compile(sub) for name, sub in node.get("properties", {}).items()}
        extra_schema = node.get("additionalProperties", True)
        no_extra = extra_schema is False
        extra = None if extra_schema in (True, False) else self.compile(extra_schema)
        names = self.compile(node["propertyNames"]) if "propertyNames" in node else None
        required = list(node.get("required", ()))
        dependent = dict(node.get("dependentRequired", {}))

        def mapping(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                check = properties.get(key)
                if check is None:
                    if no_extra or (extra is not None and not extra(item)):
                        return False
                elif not check(item):
                    return False
                if names is not None and not names(key):
                    return False
            return all(n in value for key, needs in dependent.items() if key in value for n in needs)

        return mapping


def _type(names: str | list[str]) -> Predicate:
    names = [names] if isinstance(names, str) else names
    tests = [_TYPES[n] if n in _TYPES else _unsupported(f"type {n}") for n in names]
    return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))


def _unsupported(what: str) -> Predicate:
    raise _Unsupported(what)


def _enum(choices: list[Any]) -> Predicate:
    allowed = frozenset(choices)
    if all(isinstance(choice, str) for choice in choices):
        return lambda v: isinstance(v, str) and v in allowed
    if all(isinstance(choice, bool) for choice in choices):  # bool apart: jsonschema tells false from 0
        return lambda v: isinstance(v, bool) and v in allowed
    raise _Unsupported("enum")


def _string(node: dict[str, Any]) -> Predicate | None:
    if not {"pattern", "minLength", "maxLength"} & set(node):
        return None
    search = re.compile(node["pattern"]).search if "pattern" in node else None  # jsonschema: re.search
    least, most = node.get("minLength", 0), node.get("maxLength", math.inf)
    # Lengths in code points, as jsonschema counts them; the length is checked before the pattern runs.
    return lambda v: not isinstance(v, str) or (least <= len(v) <= most and (search is None or search(v) is not None))


def _number(node: dict[str, Any]) -> Predicate | None:
    if "minimum" not in node and "maximum" not in node:
        return None
    low, high = node.get("minimum"), node.get("maximum")
    number = _TYPES["number"]
    return lambda v: not number(v) or ((low is None or v >= low) and (high is None or v <= high))
