"""The messages of a live lesson's WebSocket (JSON text frames), validated with pydantic.

Client -> server: `hello` first (role, and the teacher's token or a student's participant id), then
the teacher sends `state`, `ask`, `reveal`, `end`; a student sends `answer`; anyone `ping`.
Server -> client: `welcome`, `state`, `question`, `answer` (teacher only), `answered`, `reveal`,
`presence` (teacher only), `ended`, `error`, `pong`.
"""

import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from app.settings import get_settings

NODE_ID = r"^[A-Za-z0-9:_.\-]{1,64}$"
NAME_MAX = 40


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Hello(Message):
    type: Literal["hello"]
    role: Literal["teacher", "student"]
    token: str | None = Field(None, max_length=100)  # teacher (else the lesson's cookie)
    participant: str | None = Field(None, max_length=100)  # a student resuming


class LessonState(Message):
    """What the students' pages follow: the teacher's program, view, iteration, step and selection."""

    code: str = Field("", max_length=get_settings().max_source_chars)
    view: Literal["forward", "backward"] = "forward"
    step: int = Field(0, ge=0, le=10_000_000)
    iteration: int | None = Field(None, ge=0, le=10_000_000)
    selection: str | None = Field(None, pattern=NODE_ID)


class StateMessage(Message):
    type: Literal["state"]
    state: LessonState


class QuestionSpec(Message):
    """The teacher's question: one number of a node (its grad or data, element `index`)."""

    node: str = Field(pattern=NODE_ID)
    label: str = Field(min_length=1, max_length=80)
    field: Literal["grad", "data"]
    index: int = Field(0, ge=0, le=10_000_000)
    truth: float
    tolerance: float = Field(ge=0)

    @field_validator("truth", "tolerance")
    @classmethod
    def finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class Ask(Message):
    type: Literal["ask"]
    question: QuestionSpec


class Reveal(Message):
    type: Literal["reveal"]


class End(Message):
    type: Literal["end"]


class Answer(Message):
    type: Literal["answer"]
    question: str = Field(max_length=16)
    value: float
    name: str | None = Field(None, max_length=200)

    @field_validator("value", mode="before")
    @classmethod
    def a_number(cls, value):
        # JSON numbers only: "3" or true are not answers
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("the answer must be a JSON number")
        if not math.isfinite(float(value)) or abs(float(value)) > 1e15:
            raise ValueError("the answer must be a finite number below 1e15 in size")
        return value


class Ping(Message):
    type: Literal["ping"]


TeacherMessage = TypeAdapter(
    Annotated[StateMessage | Ask | Reveal | End | Ping, Field(discriminator="type")]
)
StudentMessage = TypeAdapter(Annotated[Answer | Ping, Field(discriminator="type")])
HelloMessage = TypeAdapter(Hello)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_name(name: str | None) -> str | None:
    """A display name as plain text: no control or direction characters, spaces collapsed, short.
    (Pages still insert it as text, never as HTML.)"""
    if not name:
        return None
    text = " ".join(_CONTROL.sub("", name).split())[:NAME_MAX]
    return text or None


def problem(error: Exception) -> str:
    """The first line of a validation error, for the `error` message sent back."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()) if not isinstance(p, int))
        return f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid")
    return str(error).splitlines()[0]
