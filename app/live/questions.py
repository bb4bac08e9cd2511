"""Questions of a lesson: what a student may see of one, the numbers of a reveal, the summary."""

import statistics

PUBLIC_FIELDS = ("id", "node", "label", "field", "index", "revealed")


def public(question: dict) -> dict:
    """A question as students see it before the reveal: never the true value."""
    return {k: question[k] for k in PUBLIC_FIELDS}


def prompt(question: dict) -> str:
    return f"{question['label']}.{question['field']}" + (
        f"[{question['index']}]" if question["index"] else ""
    )


def within(value: float, question: dict) -> bool:
    return abs(value - question["truth"]) <= question["tolerance"]


def reveal_stats(values: list[float], question: dict) -> dict:
    """The spread of the answers and how many fell within the tolerance of the true value."""
    if not values:
        return {
            "answered": 0,
            "within": 0,
            "fraction_within": 0.0,
            "mean": None,
            "median": None,
            "min": None,
            "max": None,
            "stdev": None,
        }
    inside = sum(within(v, question) for v in values)
    return {
        "answered": len(values),
        "within": inside,
        "fraction_within": inside / len(values),
        "mean": statistics.fmean(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "stdev": statistics.pstdev(values) if len(values) > 1 else 0.0,
    }


def summary(questions: list[dict]) -> list[dict]:
    """Per question: how many answered and how many were right (within tolerance) at its reveal."""
    rows = []
    for q in questions:
        stats = q.get("stats") or {"answered": q.get("answered", 0), "within": None}
        rows.append(
            {
                "id": q["id"],
                "prompt": prompt(q),
                "truth": q["truth"] if q["revealed"] else None,
                "revealed": q["revealed"],
                "answered": stats["answered"],
                "right": stats["within"],
            }
        )
    return rows
