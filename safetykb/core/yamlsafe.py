"""Reading one record file safely: size cap, UTF-8, plain YAML only, one document, positions.

The clean path is one libyaml parse. Files that could hold anchors, aliases or
tags get one extra event scan first, which refuses them before anything is
built, so an alias bomb costs no more than reading its text. Line numbers for
errors found later come from `Positions`, which composes a file only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Records are small; anything larger is a mistake or an attack.
MAX_BYTES = 256 * 1024

_DROPPED_RESOLVERS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}


class RecordLoader(yaml.CSafeLoader):
    """libyaml's safe loader that keeps dates and dotted numbers (arXiv ids) as strings."""


RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_RESOLVERS]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}

_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


class _PlainRecordLoader(RecordLoader):
    """RecordLoader for a document already known to hold no anchor, alias or tag (see parse_record).

    A record is mostly strings, lists and mappings with string keys: those are built straight from
    libyaml's nodes, which takes half the time of PyYAML's generic constructor; every other node
    (numbers, booleans, null, merge keys...) goes through SafeConstructor, so the data is the same.
    Without aliases no node is shared, so building each node once, depth first, is all there is to do.
    The tag of a plain scalar depends on its text alone, so it is resolved once per distinct text.
    """

    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        tag = self._plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._plain_tags) < 100_000:  # a bound for long-lived processes (mkdocs serve)
                self._plain_tags[value] = tag
        return tag

    def construct_document(self, node: yaml.Node) -> Any:
        data = self._build(node)
        self.constructed_objects = {}
        self.recursive_objects = {}
        return data

    def _build(self, node: yaml.Node) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [self._build(item) for item in node.value]
        if node.tag == _MAP and isinstance(node, yaml.MappingNode) and all(
            key.tag == _STR and isinstance(key, yaml.ScalarNode) for key, _value in node.value
        ):
            return {key.value: self._build(value) for key, value in node.value}
        return self.construct_object(node, deep=True)


@dataclass(frozen=True)
class LoadError:
    """Why a file could not be read as a record, at a 1-based line and column."""

    line: int
    col: int
    message: str


def read_record(path: Path) -> tuple[Any, str, LoadError | None]:
    """(data, text, error) for one file; data is None whenever error is set."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return (
                None,
                "",
                LoadError(
                    1, 1, f"file is {size:,} bytes; a record is capped at {MAX_BYTES // 1024} KiB: split or trim it"
                ),
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", LoadError(1, 1, f"cannot read file: {exc.strerror or exc}")
    return parse_record(raw)


def parse_record(raw: bytes) -> tuple[Any, str, LoadError | None]:
    """(data, text, error) for the bytes of one record file."""
    if len(raw) > MAX_BYTES:
        return None, "", LoadError(1, 1, f"file is {len(raw):,} bytes; a record is capped at {MAX_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return (
            None,
            "",
            LoadError(
                line, col, f"bytes are not UTF-8 (0x{raw[exc.start]:02x} at byte {exc.start}); save the file as UTF-8"
            ),
        )
    if not _has_content(text):
        return None, text, LoadError(1, 1, "empty file: a record is a mapping that starts with `id:`")
    if "&" in text or "*" in text or "!" in text:
        refused = _refuse_anchors_and_tags(text)
        if refused:
            return None, text, refused
    try:
        data = yaml.load(text, Loader=_PlainRecordLoader)  # noqa: S506 - a safe loader; no anchors or tags here
    except yaml.MarkedYAMLError as exc:
        return None, text, _syntax_error(exc)
    except yaml.YAMLError as exc:
        return None, text, LoadError(1, 1, f"YAML error: {exc}")
    if data is None:
        return None, text, LoadError(1, 1, "empty record: a record is a mapping that starts with `id:`")
    if not isinstance(data, dict):
        found = type(data).__name__
        return None, text, LoadError(1, 1, f"a record is a mapping of keys to values, not a {found}")
    return data, text, None


def _has_content(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return True
    return False


def _syntax_error(exc: yaml.MarkedYAMLError) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in str(exc):
        return LoadError(line, col, "several YAML documents in one file: one record per file, without `---`")
    context = f" ({exc.context})" if exc.context else ""
    return LoadError(line, col, f"YAML syntax error: {problem}{context}")


def _refuse_anchors_and_tags(text: str) -> LoadError | None:
    """Scan parser events (nothing is constructed) for anchors, aliases and explicit tags."""
    try:
        documents = 0
        for event in yaml.parse(text, Loader=RecordLoader):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return LoadError(*where, "several YAML documents in one file: one record per file")
            elif isinstance(event, yaml.AliasEvent):
                return LoadError(
                    *where,
                    f"alias '*{event.anchor}': anchors and aliases are not allowed in records; write the value out",
                )
            elif getattr(event, "anchor", None):
                return LoadError(
                    *where,
                    f"anchor '&{event.anchor}': anchors and aliases are not allowed in records; write the value out",
                )
            elif getattr(event, "tag", None):
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                return LoadError(
                    *where,
                    f"tag '{tag}' is not allowed: records hold plain data "
                    "(strings, numbers, lists, mappings) and are never executed",
                )
    except yaml.MarkedYAMLError as exc:
        return _syntax_error(exc)
    return None


class Positions:
    """Line and column of any key path in one record's text; composes the text once, on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def _node(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=RecordLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def locate(self, pointer: tuple[str | int, ...]) -> tuple[int, int]:
        """1-based (line, column) of the value at pointer (keys and list indexes).

        A missing key resolves to its nearest present parent; a final step
        written '<key>' resolves to the key itself rather than its value.
        """
        node = self._node()
        if node is None:
            return 1, 1
        best = node.start_mark
        for step in pointer:
            if isinstance(step, str) and step.startswith("<") and step.endswith(">"):
                if isinstance(node, yaml.MappingNode):
                    for key, _value in node.value:
                        if key.value == step[1:-1]:
                            best = key.start_mark
                            break
                break
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                child = next((v for k, v in node.value if k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                child = node.value[step]
            if child is None:
                break
            node = child
            best = node.start_mark
        return best.line + 1, best.column + 1


def locate(text: str, pointer: tuple[str | int, ...]) -> tuple[int, int]:
    """1-based (line, column) of the value at pointer in a record's text (see Positions.locate)."""
    return Positions(text).locate(pointer)
