"""The parts of SmartPick import only the parts below them (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "smartpick"
GROUND = {"documents", "errors", "settings", "vocab"}

# part -> the parts it may import (besides itself); the ground floor is open to every part
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "settings": {"errors"},
    "vocab": {"errors"},
    "documents": {"errors"},
    "applicant": GROUND,
    "catalog": GROUND,
    "rules": GROUND | {"applicant", "catalog"},
    "model": GROUND | {"applicant", "catalog"},
    "plan": GROUND | {"applicant", "catalog", "rules", "model"},
    "report": GROUND | {"plan"},
    "services": GROUND | {"applicant", "catalog", "rules", "model", "plan", "report"},
    "batch": GROUND | {"applicant", "catalog", "model", "plan", "report", "services", "market"},
    "market": GROUND | {"applicant", "catalog", "model", "batch"},
    "web": GROUND | {"applicant", "catalog", "plan", "report", "services"},
    "cli": GROUND | {"applicant", "catalog", "rules", "model", "plan", "report", "services",
                     "market", "batch", "web"},
    "": {"errors"},  # smartpick/__init__.py
}
# of the planner's internals the web face reads only the result types
WEB_READS_FROM_PLAN = {"smartpick.plan.result"}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py") if rel.parts[0] != "__init__.py" else ""


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [m for m in found if m == "smartpick" or m.startswith("smartpick.")]


def test_every_part_imports_only_the_parts_below_it() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        part = _part(path)
        assert part in ALLOWED, f"{part!r} is a new part: add it to docs/architecture.md"
        for module in _imports(path):
            target = module.split(".")[1] if "." in module else ""
            if target != part and target not in ALLOWED[part]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(wrong)


def test_the_web_face_reads_plans_through_the_service_layer() -> None:
    wrong = [f"{path.relative_to(PACKAGE)} imports {module}"
             for path in sorted((PACKAGE / "web").rglob("*.py"))
             for module in _imports(path)
             if module.startswith("smartpick.plan") and module not in WEB_READS_FROM_PLAN]
    assert not wrong, "\n".join(wrong)


def test_the_applicant_profile_does_not_need_the_catalog() -> None:
    for path in (PACKAGE / "applicant").rglob("*.py"):
        assert not [m for m in _imports(path) if m.startswith("smartpick.catalog")], path


def test_no_part_below_the_faces_reads_the_environment() -> None:
    """Settings are read by the faces (cli, web) and handed down, never read below them."""
    readers = {"load_settings", "environ", "getenv"}
    for path in sorted(PACKAGE.rglob("*.py")):
        if _part(path) in {"cli", "web", "settings"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                  for a in n.names}
        assert not readers & names, f"{path.relative_to(PACKAGE)} reads the environment"
