"""The JSON Schemas of the record kinds, and schema errors in words a contributor can act on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from safetykb.core.layout import KINDS, SCHEMA_DIR
from safetykb.core.precheck import Predicate, compile_schema
from safetykb.core.suggest import did_you_mean

if TYPE_CHECKING:  # jsonschema is imported when a record needs it: most runs meet only valid records
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

Pointer = tuple[str | int, ...]

#: Unknown keys reported one by one in a mapping; past it, one line says how many there are.
MAX_UNKNOWN_KEYS = 20


@dataclass(frozen=True)
class SchemaIssue:
    """A schema error: where in the record (a key/index path) and what to do."""

    pointer: Pointer
    message: str


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind, as published in safetykb/schemas/."""
    with open(SCHEMA_DIR / f"{kind}.schema.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(kind))


@cache
def _accepts(kind: str) -> Predicate | None:
    """A fast check that passes only valid records (see safetykb.core.precheck); None when not available."""
    return compile_schema(schema(kind))


def all_schemas() -> dict[str, dict[str, Any]]:
    return {kind: schema(kind) for kind in KINDS}


def field_names(kind: str) -> list[str]:
    """Top-level field names of a kind, in schema order (the DESIGN order)."""
    return list(schema(kind)["properties"])


def check(kind: str, data: dict[str, Any]) -> list[SchemaIssue]:
    """Every schema error of one record, in contributor words."""
    accepts = _accepts(kind)
    if accepts is not None and accepts(data):
        return []
    issues: list[SchemaIssue] = []
    for error in validator(kind).iter_errors(data):
        issues.extend(_explain(kind, error))
    return issues


_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "is not a valid id: use lowercase letters, digits and single hyphens",
    "^https?://[^\\s]+$": "is not an http(s) URL: write it as https://...",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "is not a date: write YYYY-MM-DD",
}
_DATE_PATTERN_PREFIX = "^[0-9]{4}-(0[1-9]|1[0-2])"


def _explain(kind: str, error: ValidationError) -> Iterator[SchemaIssue]:
    pointer: Pointer = tuple(error.absolute_path)
    where = _describe(pointer)
    validator_name = error.validator
    if validator_name == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed]
        for key in unknown[:MAX_UNKNOWN_KEYS]:  # each searches for a suggestion: bounded work and output
            hint = did_you_mean(str(key), allowed) or f"; allowed keys: {', '.join(allowed)}"
            yield SchemaIssue((*pointer, f"<{key}>"), f"unknown key '{key}'{_in(where)}{hint}")
        if len(unknown) > MAX_UNKNOWN_KEYS:
            key = unknown[MAX_UNKNOWN_KEYS]
            yield SchemaIssue((*pointer, f"<{key}>"), f"and more: {len(unknown):,} unknown keys{_in(where)}; only "
                                                      f"the first {MAX_UNKNOWN_KEYS} are listed")
        return
    if validator_name == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield SchemaIssue(pointer, f"missing required key '{missing}'{_in(where)}")
        return
    value = error.instance
    if validator_name == "pattern":
        pattern = error.validator_value
        hint = _PATTERN_HINTS.get(pattern)
        if hint is None and str(pattern).startswith(_DATE_PATTERN_PREFIX):
            hint = "is not a date: write YYYY-MM-DD or YYYY-MM"
        if hint and pattern == "^[a-z0-9]+(-[a-z0-9]+)*$" and isinstance(value, str):
            slug = "-".join("".join(c if c.isalnum() else " " for c in value.lower()).split())
            hint += f" (for example '{slug}')" if slug and slug != value else ""
        yield SchemaIssue(pointer, f"{where}: '{value}' {hint or f'does not match {pattern}'}")
        return
    if validator_name == "enum":
        choices = [str(c) for c in error.validator_value]
        yield SchemaIssue(
            pointer, f"{where}: '{value}' is not one of {', '.join(choices)}{did_you_mean(str(value), choices)}"
        )
        return
    if validator_name == "type":
        expected = error.validator_value
        expected_words = {"array": "a list", "object": "a mapping", "string": "text", "integer": "a whole number"}
        want = expected_words.get(expected, str(expected)) if isinstance(expected, str) else str(expected)
        as_list = expected == "array" and isinstance(value, str) and pointer
        hint = f" (write `{pointer[-1]}: [{value}]`)" if as_list else ""
        if expected == "string" and pointer and isinstance(value, bool):
            hint = (" (YAML reads an unquoted yes, no, on, off, true or false as true/false: put the value in "
                    f"quotes, e.g. `{pointer[-1]}: \"...\"`)")
        elif expected == "integer" and pointer and isinstance(value, str) and value.strip().isdigit():
            hint = f" (write it without quotes: `{pointer[-1]}: {value.strip()}`)"
        elif expected == "string" and pointer and isinstance(value, (int, float)):
            hint = f" (YAML reads an unquoted number as a number: put it in quotes, `{pointer[-1]}: \"{value}\"`)"
        yield SchemaIssue(pointer, f"{where}: expected {want}, found {_type_word(value)}{hint}")
        return
    if validator_name == "minItems":
        yield SchemaIssue(
            pointer,
            f"{where}: needs at least {error.validator_value} entr{'y' if error.validator_value == 1 else 'ies'}",
        )
        return
    if validator_name == "uniqueItems":
        yield SchemaIssue(pointer, f"{where}: lists an entry twice; keep one")
        return
    if validator_name == "minLength":
        yield SchemaIssue(pointer, f"{where}: must not be empty")
        return
    if validator_name == "oneOf" and isinstance(error.schema, dict) and error.schema.get("title"):
        yield SchemaIssue(pointer, f"{where}: {_type_word(value)} is not {error.schema['title']}")
    if validator_name == "maxLength":
        yield SchemaIssue(pointer, f"{where}: {len(value):,} characters; at most {error.validator_value:,} are "
                                   "allowed: shorten it")
        return
    if validator_name == "maxItems":
        yield SchemaIssue(pointer, f"{where}: {len(value):,} entries; at most {error.validator_value:,} are allowed")
        return
    if validator_name in ("minimum", "maximum"):
        yield SchemaIssue(pointer, f"{where}: {value} is out of range ({error.message})")
        return
    yield SchemaIssue(pointer, f"{where}: {error.message}")


def _type_word(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, str):
        return f"text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (an empty value)"
    return f"{type(value).__name__} {value}"


def _describe(pointer: Pointer) -> str:
    if not pointer:
        return "record"
    text = ""
    for step in pointer:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return f"`{text}`"


def _in(where: str) -> str:
    return "" if where == "record" else f" in {where}"
