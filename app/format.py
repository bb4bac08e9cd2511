"""Values, shapes and op symbols as text: the Python twin of static/js/format.js.

Exported DOT/SVG shows the same words and numbers as the page (tests/js/test_format_parity.py
runs both on one table).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

OP_SYMBOL = {
    "add": "+",
    "sub": "−",
    "mul": "×",
    "div": "÷",
    "matmul": "@",
    "pow": "**",
    "neg": "−",
    "rsub": "−",
    "radd": "+",
    "rmul": "×",
    "rdiv": "÷",
    "truediv": "÷",
}


def op_symbol(op) -> str:
    return OP_SYMBOL.get(op, op or "")


def _to_number(v) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if v == "nan":
        return math.nan
    if v == "inf":
        return math.inf
    if v == "-inf":
        return -math.inf
    return float(v)


def short(v) -> str:
    """Four significant digits: 30, 0.1235, 1.23e-4, nan."""
    if isinstance(v, bool):
        return "True" if v else "False"
    x = _to_number(v)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x.is_integer() and abs(x) < 1e6:
        return str(int(x))
    a = abs(x)
    if a != 0 and (a < 1e-3 or a >= 1e6):
        mantissa, exponent = f"{_significant(x, 3):.2e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    rounded = _significant(x, 4)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def _significant(x: float, digits: int) -> float:
    """x to `digits` significant digits, a tie rounded away from zero (JavaScript's toPrecision)."""
    exact = Decimal(x)
    quantum = Decimal(1).scaleb(exact.adjusted() - digits + 1)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


def is_truncated(value) -> bool:
    return isinstance(value, dict) and value.get("truncated") is True


def flatten(value, out: list | None = None) -> list:
    out = [] if out is None else out
    if isinstance(value, list):
        for item in value:
            flatten(item, out)
    else:
        out.append(value)
    return out


def preview(value, max_chars: int = 22) -> str:
    """A value in about `max_chars` characters: 4.817, [1, 2, 3, …], ⟨100×100, mean 0.5⟩."""
    if value is None:
        return ""
    if is_truncated(value):
        stats = value.get("stats") or {}
        return f"⟨{shape_text(value.get('shape'), '')}, mean {short(stats.get('mean'))}⟩"
    if not isinstance(value, list):
        return short(value)
    text = ""
    for i, item in enumerate(flatten(value)):
        piece = (", " if i else "") + short(item)
        if len(text) + len(piece) > max_chars - 3:
            return "[" + text + ", …]"
        text += piece
    return "[" + text + "]"


def shape_text(shape, empty: str = "scalar") -> str:
    """2×3, or `empty` for a 0-d tensor."""
    return "×".join(str(d) for d in shape) if shape else empty
