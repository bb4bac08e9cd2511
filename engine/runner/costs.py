"""Work a program could make Python do in one C-level call, estimated before the call.

Text (`print`, `str`, `repr`, f-strings, `format`, error messages) is measured by walking the value
until the text would pass its limit; comparing lists (`==`, `<`, `in`, `sort`, `index`, `min`)
by walking the items a comparison may visit. Both walks stop as soon as they pass their cap, so
they cost at most the cap, and both count shared children every time they appear (as repr and
comparisons do), so a parent whose child grew after it was built is still measured right.
"""

from __future__ import annotations

import ast
import functools
import math
import reprlib

from engine.runner.limits import LimitError

MAX_MESSAGE_CHARS = 4_000  # an error message is cut here
COMPARE_FACTOR = 10  # items one comparison may visit: this many times MAX_SEQUENCE_LENGTH
TENSOR_TEXT = 1_000  # PyTorch prints at most about this many elements of a tensor
_CONTAINERS = (list, tuple, dict)
_CONTAINER_TYPES = frozenset(_CONTAINERS)
_BOUNDED = reprlib.Repr()
_BOUNDED.maxlevel, _BOUNDED.maxlist, _BOUNDED.maxtuple, _BOUNDED.maxdict = 4, 30, 30, 30
_BOUNDED.maxstring, _BOUNDED.maxother, _BOUNDED.maxlong = 200, 200, 200


def text_length(value, tensor_type, cap: int) -> int:
    """A lower bound of len(str(value)) and len(repr(value)); past `cap` it stops and returns
    a number > cap."""
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        kind = type(v)
        if kind is str:
            total += len(v)
        elif kind in (list, tuple):
            total += 2 + 2 * len(v)  # brackets and ", "
            if total > cap:
                return total
            stack.extend(v)
        elif kind is dict:
            total += 2 + 4 * len(v)
            if total > cap:
                return total
            stack.extend(v.keys())
            stack.extend(v.values())
        elif kind is int:
            total += 1 + int(v.bit_length() * 0.30103)
        elif isinstance(v, tensor_type):
            total += min(v.numel(), TENSOR_TEXT)
        else:
            total += 1
        if total > cap:
            return total
    return total


def compared_items(value, cap: int) -> int:
    """Items a comparison with `value` may visit (containers through every level); stops past `cap`."""
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        kind = type(v)
        if kind in (list, tuple):
            total += 1 + len(v)
            if total > cap:
                return total
            stack.extend(_containers(v))
        elif kind is dict:
            total += 1 + 2 * len(v)
            if total > cap:
                return total
            stack.extend(_containers(v.values()))
        else:
            total += 1
    return total


def _containers(items) -> list:
    """The lists, tuples and dicts among `items` (a C-level pass first: most items are not)."""
    if _CONTAINER_TYPES.isdisjoint(set(map(type, items))):
        return []
    return [x for x in items if type(x) in _CONTAINERS]


def check_text(value, tensor_type, available: int, message: str) -> None:
    """Before str/repr of `value` when at most `available` characters may be made."""
    if text_length(value, tensor_type, available) > available:
        raise LimitError(message)


def compare_cap(limits) -> int:
    return COMPARE_FACTOR * limits.max_sequence_length


def check_comparison(a, b, limits, both: bool = True) -> None:
    """Before comparing `a` with `b` (`both`: the comparison stops at the smaller one, as `==`
    and `<` of two lists do; else `b` is searched through, as `in` and `list.index`)."""
    if type(b) not in _CONTAINERS or (both and type(a) not in _CONTAINERS):
        return  # numbers, strings, tensors: Python compares them at a bounded cost
    cap = compare_cap(limits)
    cost = compared_items(b, cap)
    if both:
        cost = min(cost, compared_items(a, cap))
    if cost > cap:
        raise LimitError(
            f"comparison too large: comparing these nested lists would look at more "
            f"than {cap:,} items (limit {cap:,})"
        )


def check_sort(items: list, limits) -> None:
    """list.sort / min / max: about n log n comparisons of the items."""
    cap = compare_cap(limits)
    rounds = max(1, math.ceil(math.log2(len(items) + 1)))
    cost = compared_items(items, cap) * rounds
    if any(type(x) in _CONTAINERS for x in items) and cost > cap:
        raise LimitError(
            f"comparison too large: sorting these nested lists would look at more "
            f"than {cap:,} items (limit {cap:,})"
        )


def bounded_repr(value) -> str:
    """repr for an error message, cut per level (never builds the whole text of a huge value)."""
    try:
        return _BOUNDED.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def cut_message(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return (
        message[:MAX_MESSAGE_CHARS]
        + f"… ({len(message) - MAX_MESSAGE_CHARS:,} more characters cut)"
    )


def in_range(value, sequence: range, budget) -> bool:
    """`value in range(...)` without the C-level linear scan Python makes for a non-int: a float
    is in it when it equals one of its ints; anything else is compared item by item, counted as
    loop iterations first."""
    if type(value) in (int, bool):
        return value in sequence
    if type(value) is float:
        return value.is_integer() and int(value) in sequence
    try:
        length = len(sequence)
    except OverflowError:
        length = budget.limits.max_loop_iterations + 1
    budget.count_iteration(length)
    return value in sequence


def check_modular_pow(base: int, exp: int, mod: int, budget) -> None:
    """pow(base, exp, mod): every operand within MAX_INT_BITS, and the work (exponent bits times
    the square of the modulus bits) within what a MAX_INT_BITS/4-bit pow costs (milliseconds)."""
    bits = max(abs(base).bit_length(), abs(exp).bit_length(), abs(mod).bit_length())
    budget.check_int_bits(bits)
    limit = budget.limits.max_int_bits // 4
    work = abs(exp).bit_length() * abs(mod).bit_length() ** 2
    if work > limit**3:
        raise LimitError(
            f"number too large: pow() with a {abs(exp).bit_length():,}-bit exponent "
            f"and a {abs(mod).bit_length():,}-bit modulus is too much work (limit "
            f"{limit:,} bits each)"
        )


@functools.lru_cache(maxsize=256)
def check_int_literals(tree: ast.Module, max_int_bits: int) -> None:
    """Int literals of any base (`0xfff...`) within MAX_INT_BITS, before the program runs."""
    for node in ast.walk(tree):
        if (
            type(node) is ast.Constant
            and type(node.value) is int
            and node.value.bit_length() > max_int_bits
        ):
            error = LimitError(
                f"number too large: this literal has {node.value.bit_length():,} "
                f"bits (limit {max_int_bits:,})"
            )
            error.gradtrace_node = node
            raise error
