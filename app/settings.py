"""All settings of the app in one place, read from the environment (prefix GRADTRACE_)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.runner.limits import Limits

DEFAULTS = Limits()


class Settings(BaseSettings):
    """Limits of one run and of the HTTP layer; e.g. GRADTRACE_MAX_SECONDS=5."""

    model_config = SettingsConfigDict(env_prefix="GRADTRACE_")

    # a run's limits: the defaults are engine/runner/limits.py's, defined there once
    max_source_chars: int = DEFAULTS.max_source_chars
    max_ast_nodes: int = DEFAULTS.max_ast_nodes
    max_nesting_depth: int = DEFAULTS.max_nesting_depth
    max_tensor_elements: int = DEFAULTS.max_tensor_elements
    max_total_elements: int = DEFAULTS.max_total_elements
    max_sequence_length: int = DEFAULTS.max_sequence_length
    max_int_bits: int = DEFAULTS.max_int_bits
    max_ops: int = DEFAULTS.max_ops
    max_loop_iterations: int = DEFAULTS.max_loop_iterations
    max_call_depth: int = DEFAULTS.max_call_depth  # nested calls of a program's own functions
    max_output_chars: int = DEFAULTS.max_output_chars
    max_seconds: float = DEFAULTS.max_seconds
    max_document_elements: int = (
        DEFAULTS.snapshot_elements
    )  # a tensor larger than this is sent as min/max/mean
    max_document_values: int = (
        DEFAULTS.max_timeline_values
    )  # numbers sent for final values in all (and as many in the timeline)
    max_body_bytes: int = 256_000  # request body of POST /api/run
    max_document_bytes: int = (
        20_000_000  # one run document as sent; past it the run answers a LimitError
    )
    workers: int | None = (
        None  # worker processes running programs (default max(4, 2 x cores)), per server process
    )
    worker_max_runs: int = 500  # a worker is replaced after this many runs
    worker_memory_mb: int = (
        1024  # address space of one worker (RLIMIT_AS); past it a run gets a LimitError
    )
    kill_grace_seconds: float = 0.5  # a run still going at max_seconds + this is killed (SIGKILL)
    run_queue: int = 64  # runs admitted beyond the busy workers; past it 429 with Retry-After
    runs_per_client: int = 2  # runs in flight per client address; past it 429
    request_timeout: float = (
        20.0  # s a client has to send one whole request; then its connection is closed
    )
    trust_proxy_headers: bool = (
        False  # client address from X-Forwarded-For (only behind your own proxy)
    )
    gradcheck_max_elements: int = (
        1_000  # elements of a leaf the numeric check nudges (2 re-runs each)
    )
    gradcheck_max_seconds: float = 10.0  # wall time of one numeric check, all re-runs together

    def limits(self) -> Limits:
        return Limits(
            max_source_chars=self.max_source_chars,
            max_ast_nodes=self.max_ast_nodes,
            max_nesting_depth=self.max_nesting_depth,
            max_tensor_elements=self.max_tensor_elements,
            max_total_elements=self.max_total_elements,
            max_sequence_length=self.max_sequence_length,
            max_int_bits=self.max_int_bits,
            max_ops=self.max_ops,
            max_loop_iterations=self.max_loop_iterations,
            max_call_depth=self.max_call_depth,
            max_output_chars=self.max_output_chars,
            max_seconds=self.max_seconds,
            snapshot_elements=self.max_document_elements,
            max_timeline_values=self.max_document_values,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
