"""`template % values` for strings, with every width and precision bounded before Python formats."""

from __future__ import annotations

import re

from engine.runner.limits import LimitError

MAX_FORMAT_WIDTH = 1000
# %[(key)][flags][width][.precision][length]type
SPEC = re.compile(r"%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.S)


def percent(interp, template: str, values) -> str:
    """`template % values` (printf-style), refusing widths and precisions past MAX_FORMAT_WIDTH."""
    position = 0
    for match in SPEC.finditer(template):
        if match.group(5) == "%" and not any(match.group(i) for i in (1, 2, 3, 4)):
            continue
        for part in (match.group(3), match.group(4)):
            if part == "*":
                star = (
                    values[position]
                    if isinstance(values, tuple) and position < len(values)
                    else None
                )
                position += 1
                if isinstance(star, int) and abs(star) > MAX_FORMAT_WIDTH:
                    raise LimitError(
                        f"format width or precision too large (limit {MAX_FORMAT_WIDTH})"
                    )
            elif part and int(part) > MAX_FORMAT_WIDTH:
                raise LimitError(f"format width or precision too large (limit {MAX_FORMAT_WIDTH})")
        position += 1
    text = template % values
    interp.budget.check_length(len(text))
    interp.budget.add_elements(len(text))
    return text
