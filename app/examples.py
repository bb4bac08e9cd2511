"""The examples gallery: the seed examples (examples/seeds/), then the repo's own examples/.

Each example is one `<slug>.py` whose leading comment block is its title (first line) and
explanation; a `<slug>.md` beside it, when present, is the explanation instead (seeds stay verbatim).
"""

from __future__ import annotations

import functools
from pathlib import Path

import app
from app.schemas import Example

REPO = Path(app.__file__).resolve().parents[1]
GALLERY_DIR = REPO / "examples"
SEED_DIR = GALLERY_DIR / "seeds"  # verbatim copies of ../shared/seed-examples


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
    comments = _explanation(code)
    title = comments.splitlines()[0] if comments else path.stem.replace("_", " ")
    sidecar = path.with_suffix(".md")
    explanation = sidecar.read_text(encoding="utf-8").strip() if sidecar.is_file() else comments
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
        for directory in (SEED_DIR, GALLERY_DIR)
        if directory.is_dir()
        for p in sorted([*directory.glob("*.py"), *directory.glob("*.md")])
    )
    return _cached(signature)


def get_example(slug: str) -> Example | None:
    return all_examples().get(slug)


def explanation_paragraphs(example: Example) -> list[str]:
    """The explanation as the page shows it under the title: a sidecar's lines are paragraphs; a
    comment block is one paragraph wrapped over several lines, after its title line."""
    lines = example.explanation.splitlines()
    if example.origin == "seed":
        return [line.strip() for line in lines if line.strip()]
    if lines and lines[0].strip() == example.title:
        lines = lines[1:]
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs
