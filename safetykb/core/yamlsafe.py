"""Reading one record file safely: size cap, UTF-8, plain YAML only, one document, shallow, unique keys.

The clean path is one libyaml parse. Files that could hold anchors, aliases or
tags, or whose text could nest lists and mappings deeper than `MAX_DEPTH`, get
one extra event scan first, which refuses them before anything is built: an
alias bomb costs no more than reading its text, and 500 nested brackets stop
at the eleventh (libyaml's composer recurses in C and its scanner slows with
depth, so deep nesting must never reach it). A key written twice in one mapping
is refused with both lines, never silently replaced by the second value. Line
numbers for errors found later come from `Positions`, which composes a file
only when asked.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from safetykb.core.chars import describe

#: Records are small; anything larger is a mistake or an attack.
MAX_BYTES = 256 * 1024
#: Lists and mappings inside each other, the top mapping included. A record needs 3 (a paper's
#: `filed_under`), taxonomy/sections.yaml 5; deeper is a typo or an attack.
MAX_DEPTH = 10

_DROPPED_RESOLVERS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}


class DuplicateKey(yaml.YAMLError):
    """A key written twice in one mapping: where each one is."""

    def __init__(self, key: str, first: yaml.Mark, second: yaml.Mark) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key, self.first, self.second = key, first, second


def _refuse_repeated_keys(node: yaml.MappingNode, keys: list[Any]) -> None:
    """DuplicateKey for the first key of node written twice (keys: the constructed keys, in order)."""
    seen: dict[Any, yaml.Node] = {}
    for key, (key_node, _value) in zip(keys, node.value, strict=True):
        try:
            first = seen.setdefault(key, key_node)
        except TypeError:  # an unhashable key: construct_mapping refuses it with its own message
            continue
        if first is not key_node:
            raise DuplicateKey(str(key), first.start_mark, key_node.start_mark)


class TooDeep(yaml.YAMLError):
    """Lists and mappings nested deeper than MAX_DEPTH, from the first collection too deep."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("nested too deep")
        self.mark = mark


def _refuse_deep(node: yaml.Node, depth: int) -> None:
    """TooDeep if a collection under node (at depth) sits deeper than MAX_DEPTH; a walk without recursion."""
    stack = [(node, depth)]
    while stack:
        current, level = stack.pop()
        if not isinstance(current, yaml.CollectionNode):
            continue
        if level > MAX_DEPTH:
            raise TooDeep(current.start_mark)
        children = current.value if isinstance(current, yaml.SequenceNode) else [v for pair in current.value
                                                                                  for v in pair]
        stack.extend((child, level + 1) for child in children)


class RecordLoader(yaml.CSafeLoader):
    """libyaml's safe loader that keeps dates and dotted numbers (arXiv ids) as strings and refuses a
    key written twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            _refuse_repeated_keys(node, [self.construct_object(k, deep=deep) for k, _v in node.value])
        return super().construct_mapping(node, deep=deep)


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
        data = self._build(node, 1)
        self.constructed_objects = {}
        self.recursive_objects = {}
        return data

    def _build(self, node: yaml.Node, depth: int) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if depth > MAX_DEPTH and isinstance(node, yaml.CollectionNode):
            raise TooDeep(node.start_mark)
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [self._build(item, depth + 1) for item in node.value]
        if node.tag == _MAP and isinstance(node, yaml.MappingNode) and all(
            key.tag == _STR and isinstance(key, yaml.ScalarNode) for key, _value in node.value
        ):
            mapping = {key.value: self._build(value, depth + 1) for key, value in node.value}
            if len(mapping) < len(node.value):
                _refuse_repeated_keys(node, [key.value for key, _value in node.value])
            return mapping
        _refuse_deep(node, depth)  # the generic constructor below does not count levels
        return self.construct_object(node, deep=True)


@dataclass(frozen=True)
class LoadError:
    """Why a file could not be read as a record, at a 1-based line and column."""

    line: int
    col: int
    message: str


def read_record(path: Path) -> tuple[Any, str, LoadError | None]:
    """(data, text, error) for one regular file; data is None whenever error is set. Never reads more
    than MAX_BYTES + 1 bytes, whatever the file claims, and never reads a device or waits on a pipe."""
    raw, error = _read_bytes(path, "a record")
    return (None, "", error) if error is not None else parse_record(raw)


def read_yaml(path: Path) -> tuple[Any, LoadError | None]:
    """(data, error) for a YAML data file that is not a record (a list or a mapping, as its reader
    expects), read with the same guards as a record; an empty file is None."""
    raw, error = _read_bytes(path, "a data file")
    if error is not None:
        return None, error
    data, _text, error = _parse(raw, record=False)
    return data, error


def _read_bytes(path: Path, what: str) -> tuple[bytes, LoadError | None]:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return b"", LoadError(1, 1, f"cannot read file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"", LoadError(1, 1, f"not a regular file: {what} is a plain .yaml file")
        if info.st_size > MAX_BYTES:
            message = f"file is {info.st_size:,} bytes; {what} is capped at {MAX_BYTES // 1024} KiB: split or trim it"
            return b"", LoadError(1, 1, message)
        want = info.st_size + 1  # one byte more than announced: a file that grew shows it (no big buffer)
        raw = os.read(fd, want)  # a short read of a regular file is its end
        while len(raw) == want and len(raw) <= MAX_BYTES:  # it grew while being read: up to the cap
            chunk = os.read(fd, MAX_BYTES + 1 - len(raw))
            if not chunk:
                break
            raw += chunk
            want = len(raw)
    except OSError as exc:
        return b"", LoadError(1, 1, f"cannot read file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    return raw, None


def parse_record(raw: bytes) -> tuple[Any, str, LoadError | None]:
    """(data, text, error) for the bytes of one record file."""
    return _parse(raw, record=True)


def _parse(raw: bytes, record: bool) -> tuple[Any, str, LoadError | None]:
    """(data, text, error) for the bytes of one YAML file; a record must be a non-empty mapping."""
    what = "a record" if record else "a data file"
    if len(raw) > MAX_BYTES:
        return None, "", LoadError(1, 1, f"file is {len(raw):,} bytes; {what} is capped at {MAX_BYTES // 1024} KiB")
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
        if not record:
            return None, text, None
        return None, text, LoadError(1, 1, "empty file: a record is a mapping that starts with `id:`")
    if "&" in text or "*" in text or "!" in text or _maybe_deep(text):
        refused = _scan_events(text)
        if refused:
            return None, text, refused
    try:
        data = yaml.load(text, Loader=_PlainRecordLoader)  # noqa: S506 - a safe loader; no anchors or tags here
    except DuplicateKey as exc:
        return None, text, _duplicate_key(exc)
    except TooDeep as exc:
        return None, text, LoadError(exc.mark.line + 1, exc.mark.column + 1, _TOO_DEEP)
    except yaml.MarkedYAMLError as exc:
        return None, text, _syntax_error(exc, text)
    except yaml.reader.ReaderError as exc:
        return None, text, _reader_error(exc, text)
    except yaml.YAMLError as exc:
        return None, text, LoadError(1, 1, f"YAML error: {exc}")
    if not record:
        return data, text, None
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


#: A line starting with MAX_DEPTH or more units of indentation or block indicators ("  - - ? key").
_DEEP_LEAD = re.compile(rf"^(?:[ \t]|[-?:][ \t]){{{MAX_DEPTH}}}", re.MULTILINE)

#: The message for lists and mappings nested deeper than MAX_DEPTH.
_TOO_DEEP = (f"lists and mappings nested more than {MAX_DEPTH} deep: records hold plain values, short lists and "
             "small mappings; put a value that starts with '[' or '{' in quotes")


def _maybe_deep(text: str) -> bool:
    """Whether the text could nest so deep that libyaml must not compose it (its composer recurses in C,
    its scanner slows with depth): then the event scan stops at the first level too deep.

    Every flow collection opens with '[' or '{'. A nested block collection starts at a greater column than
    its parent but for a sequence under a mapping key, so a file whose lines all start with fewer than
    MAX_DEPTH units of indentation or block indicators nests at most 4 * MAX_DEPTH + 2 levels: shallow
    enough to compose, and the builder then counts the levels exactly.
    """
    return text.count("[") + text.count("{") > MAX_DEPTH or _DEEP_LEAD.search(text) is not None


def _duplicate_key(exc: DuplicateKey) -> LoadError:
    first, second = exc.first.line + 1, exc.second.line + 1
    where = (f"line {first}, columns {exc.first.column + 1} and {exc.second.column + 1}" if first == second
             else f"lines {first} and {second}")
    return LoadError(
        second,
        exc.second.column + 1,
        f"key '{exc.key}' appears twice in one mapping ({where}); YAML would keep only the second and "
        "drop the first: merge them into one",
    )


def _syntax_error(exc: yaml.MarkedYAMLError, text: str = "") -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in str(exc):
        return LoadError(line, col, "several YAML documents in one file: one record per file, without `---`")
    context = f" ({exc.context})" if exc.context else ""
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = _syntax_hint(problem, source, col)
    return LoadError(line, col, f"YAML syntax error: {problem}{context}{'; ' + hint if hint else ''}")


def _quoted(key: str, value: str) -> str:
    """`key: "value"`, the value in double quotes with its own quotes and backslashes escaped."""
    escaped = value.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"'


def _syntax_hint(problem: str, source: str, col: int) -> str:
    """What a contributor most likely has to do about a libyaml syntax error on this line."""
    char = source[col - 1] if 0 < col <= len(source) else ""
    stripped = source.strip()
    key, sep, value = stripped.partition(": ")
    key = key.removeprefix("- ")
    if "tab" in problem or char == "\t":
        return "a tab character: YAML indents with spaces only; replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        if sep and ": " in value or value.endswith(":"):
            return f"a value holding ': ' must be in quotes: {_quoted(key, value)}"
        return "this line is indented more than the key above it: line it up with the other keys"
    if "cannot start any token" in problem and char:
        return f"a value cannot start with '{char}' unless it is in quotes: {_quoted(key, value)}" if sep else (
            f"a value cannot start with '{char}' unless it is in quotes")
    if "did not find expected key" in problem and sep and value[:1] in "'\"":
        inner = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value
        return (f"text follows the closing quote; quote the whole value: {_quoted(key, inner)} "
                "(inside single quotes an apostrophe is written twice: 'it''s')")
    if "did not find expected key" in problem:
        return "check this line's indentation and quotes against the lines above"
    if "expected ',' or ']'" in problem:
        return "a list opened with '[' above is not closed: end it with ']'"
    if "expected ',' or '}'" in problem:
        return "a mapping opened with '{' above is not closed: end it with '}'"
    return ""


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> LoadError:
    """libyaml refusing a character (a control character written into the file)."""
    at = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)[:1]
    return LoadError(line, col, f"the character {describe(char)} is not allowed in records: control and invisible "
                                "characters drive terminals and hide text; delete it")


def _scan_events(text: str) -> LoadError | None:
    """Scan parser events (nothing is constructed) for anchors, aliases, explicit tags, several documents
    and nesting deeper than MAX_DEPTH; stops at the first, so a deep file costs a few events."""
    try:
        documents = 0
        depth = 0
        for event in yaml.parse(text, Loader=RecordLoader):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return LoadError(*where, _TOO_DEEP)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
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
        return _syntax_error(exc, text)
    except yaml.reader.ReaderError as exc:
        return _reader_error(exc, text)
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
