"""The examples gallery: ../shared/seed-examples, then the repo's own examples/ folder.

Each example is one `<slug>.py` whose leading comment block is its explanation (first line: title).
"""
from __future__ import annotations

import functools
from pathlib import Path

import app
from app.schemas import Example

REPO = Path(app.__file__).resolve().parents[1]
SEED_DIR = Path(app.__file__).resolve().parents[2] / "shared" / "seed-examples"
GALLERY_DIR = REPO / "examples"


def _explanation(code: str) -> str:
    lines = []
    for line in code.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    return "\n".join(lines).strip()


def _load(path: Path, origin: str) -> Example:
    code = path.read_text(encoding="utf-8")
    explanation = _explanation(code)
    title = explanation.splitlines()[0] if explanation else path.stem.replace("_", " ")
    return Example(slug=path.stem, title=title, explanation=explanation, origin=origin, code=code)


@functools.lru_cache(maxsize=1)
def _cached(signature: tuple) -> dict[str, Example]:
    examples: dict[str, Example] = {}
    for directory, origin in ((SEED_DIR, "seed"), (GALLERY_DIR, "gallery")):
        if directory.is_dir():
            for path in sorted(directory.glob("*.py")):
                examples.setdefault(path.stem, _load(path, origin))
    return examples


def all_examples() -> dict[str, Example]:
    """slug -> Example, seeds first; re-read when a file is added, removed or changed."""
    signature = tuple(
        (str(p), p.stat().st_mtime_ns)
        for directory in (SEED_DIR, GALLERY_DIR) if directory.is_dir()
        for p in sorted(directory.glob("*.py")))
    return _cached(signature)


def get_example(slug: str) -> Example | None:
    return all_examples().get(slug)
