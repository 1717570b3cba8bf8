"""Reading a YAML or JSON document a person wrote (a profile, a market file).

The text is checked for size and encoding, then parsed; every failure is an
:class:`~smartpick.errors.InputError` naming the file and, where the parser knows it, the line.
YAML is read safely, leaves dates as text (the document's own checks name the field of an
impossible date, and an id such as 2025-01-01 stays an id), refuses aliases, and refuses a key
written twice in one mapping, which plain YAML and JSON would silently keep the last of.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from smartpick.errors import InputError, ValidationProblem

Loc = tuple[int | str, ...]


class DocumentLoader(yaml.SafeLoader):
    """Safe YAML: dates as text, no key written twice in one mapping, and no anchors and
    aliases (a small file that expands into a huge document, "billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed: write the value out", mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        first: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in first:
                line = first[key].start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice in one mapping (first on line "
                    f"{line})", key_node.start_mark)
            first[key] = key_node
        return super().construct_mapping(node, deep=deep)


DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(file: Path, what: str, max_bytes: int, size_hint: str) -> str:
    """The UTF-8 text of ``file``; ``what`` names it in messages ("the profile file")."""
    try:
        if file.stat().st_size > max_bytes:
            raise InputError(f"{what} is too large", [ValidationProblem(
                "(file)", f"at most {max_bytes:,} bytes; {size_hint}", str(file))])
        return file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{what} is not a text file", [ValidationProblem(
            "(file)", f"not UTF-8 text (byte {err.start}); save it as UTF-8 YAML or JSON",
            str(file))]) from None
    except OSError as err:
        raise InputError(f"cannot read {what}", [ValidationProblem(
            "(file)", err.strerror or str(err), str(file))]) from None


def parse_text(source: str | Path, text: str, what: str, kind: str,
               as_yaml: bool) -> tuple[Any, dict[Loc, int]]:
    """The parsed document and, for YAML, the line (1-based) of every field. ``source``
    names the document in messages (its file); ``kind`` says what a document of this sort is
    ("a profile")."""
    try:
        if as_yaml:
            return _parse_yaml(text)
        return json.loads(text, object_pairs_hook=_no_repeated_keys), {}
    except RecursionError:
        raise InputError(f"{what} is nested too deeply", [ValidationProblem(
            "(file)", f"{kind} is a few levels deep at most", str(source))]) from None
    except _RepeatedKey as err:
        raise InputError(f"{what} is not valid JSON", [ValidationProblem(
            "(file)", str(err), str(source))]) from None
    except json.JSONDecodeError as err:
        raise InputError(f"{what} is not valid JSON", [ValidationProblem(
            "(file)", f"{err.msg} (column {err.colno})", f"{source}:{err.lineno}")]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else str(source)
        reason = getattr(err, "problem", None) or str(err)
        raise InputError(f"{what} is not valid YAML",
                         [ValidationProblem("(file)", str(reason), where)]) from None


def _parse_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    loader = DocumentLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _lines(node, (), lines)
    return data, lines


def _lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*loc, key.value)] = key.start_mark.line + 1
                _lines(value, (*loc, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*loc, i), lines)


class _RepeatedKey(ValueError):
    pass


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(f"{key!r} is written twice in one object")
        found[key] = value
    return found
