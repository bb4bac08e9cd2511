"""Settings of live lessons, read from the environment (prefix GRADTRACE_, like app/settings.py)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class LiveSettings(BaseSettings):
    """e.g. GRADTRACE_REDIS_URL=redis://127.0.0.1:6379/0 for several workers."""

    model_config = SettingsConfigDict(env_prefix="GRADTRACE_")

    redis_url: str | None = None  # unset: lessons live in this process (one worker)
    public_url: str | None = None  # base of the join URL students get (default: the teacher's host)
    live_idle_seconds: int = (
        4 * 3600
    )  # a lesson (and its code) expires after this long without the teacher
    live_max_participants: int = 500  # student connections per lesson
    live_max_lessons: int = 1000  # lessons at once in one process (in-process store)
    live_max_questions: int = 100  # questions per lesson
    live_student_message_bytes: int = 2048  # one message from a student
    live_teacher_message_bytes: int = 131072  # one message from the teacher (holds the program)
    live_answers_per_second: float = 2.0  # a student's answer rate (token bucket) ...
    live_answer_burst: int = 5  # ... and burst
    live_send_queue: int = 256  # messages waiting for one slow client before it is dropped
    live_hello_seconds: float = 10.0  # a socket must say who it is within this time


@lru_cache(maxsize=1)
def get_live_settings() -> LiveSettings:
    return LiveSettings()
