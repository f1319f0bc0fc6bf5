"""A fast yes/no answer to "does this record satisfy its JSON Schema?", for the common valid record.

jsonschema walks a schema keyword by keyword for every record, which costs a
third of a millisecond per paper: seconds on a large knowledge base. Nearly
every record is valid, so `safetykb.schema.check` first asks a predicate
compiled here once per kind, and runs jsonschema (which explains errors) only
for records the predicate does not accept.

The predicate is sound: when it says yes, jsonschema finds no error. It covers
the keywords our schemas use, with jsonschema's meaning (types, enum of
strings, pattern via re.search, lengths, uniqueItems, items, properties,
additionalProperties, propertyNames, required, dependentRequired, minimum,
maximum, local $ref); `oneOf` asks jsonschema itself for that subschema. A
schema with any other assertion gets no predicate, and every record of that
kind goes to jsonschema as before.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator

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


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Predicate] = {}

    def compile(self, node: Any) -> Predicate:
        if node is True or node == {}:
            return lambda _v: True
        if node is False:
            return lambda _v: False
        if not isinstance(node, dict):
            raise _Unsupported(repr(node))
        checks = [self._keyword(key, value, node) for key, value in node.items() if key not in _ANNOTATIONS]
        checks = [c for c in checks if c is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    def _ref(self, ref: str) -> Predicate:
        if not ref.startswith("#/$defs/"):
            raise _Unsupported(ref)
        if ref not in self.refs:
            self.refs[ref] = lambda v: target(v)  # placeholder, so recursive schemas terminate
            target = self.compile(self.root["$defs"][ref.removeprefix("#/$defs/")])
            self.refs[ref] = target
        return self.refs[ref]

    def _keyword(self, key: str, value: Any, node: dict[str, Any]) -> Predicate | None:  # noqa: C901 - a dispatch
        if key == "$ref":
            return self._ref(value)
        if key == "type":
            names = [value] if isinstance(value, str) else list(value)
            if not all(n in _TYPES for n in names):
                raise _Unsupported(f"type {names}")
            tests = [_TYPES[n] for n in names]
            return lambda v: any(t(v) for t in tests)
        if key == "enum":
            if not all(isinstance(choice, str) for choice in value):
                raise _Unsupported("enum")
            choices = frozenset(value)
            return lambda v: isinstance(v, str) and v in choices
        if key == "pattern":
            search = re.compile(value).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if key == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= value
        if key == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if key == "uniqueItems":
            # Only lists of strings are judged; any other list is left to jsonschema's own rules.
            return (lambda v: not isinstance(v, list) or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
                    ) if value else None
        if key == "items":
            item = self.compile(value)
            return lambda v: not isinstance(v, list) or all(item(i) for i in v)
        if key == "properties":
            props = {name: self.compile(sub) for name, sub in value.items()}
            return lambda v: not isinstance(v, dict) or all(props[k](x) for k, x in v.items() if k in props)
        if key == "additionalProperties":
            if "patternProperties" in node:
                raise _Unsupported(key)
            known = frozenset(node.get("properties", {}))
            if value is False:
                return lambda v: not isinstance(v, dict) or all(k in known for k in v)
            extra = self.compile(value)
            return lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)
        if key == "propertyNames":
            name = self.compile(value)
            return lambda v: not isinstance(v, dict) or all(name(k) for k in v)
        if key == "required":
            return lambda v: not isinstance(v, dict) or all(k in v for k in value)
        if key == "dependentRequired":
            return lambda v: not isinstance(v, dict) or all(d in v for k, deps in value.items() if k in v for d in deps)
        if key in ("minimum", "maximum"):
            number = _TYPES["number"]
            if key == "minimum":
                return lambda v: not number(v) or v >= value
            return lambda v: not number(v) or v <= value
        if key == "oneOf":
            exact = Draft202012Validator({"$defs": self.root.get("$defs", {}), "oneOf": value})
            return exact.is_valid
        raise _Unsupported(key)
