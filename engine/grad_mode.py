"""Grad mode: whether ops record a graph (no_grad, enable_grad, set_grad_enabled, inference_mode)."""

import functools
import threading


class _State(threading.local):
    """Per thread, as in PyTorch."""

    enabled = True


state = _State()


def is_grad_enabled() -> bool:
    return state.enabled


class _GradModeContext:
    """Context manager and decorator that sets grad mode and restores it on exit."""

    mode = True

    def __enter__(self):
        self._prev = state.enabled
        state.enabled = self.mode
        return None

    def __exit__(self, *exc):
        state.enabled = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)

        return wrapper


class _NoParamDecorator(_GradModeContext):
    """no_grad and enable_grad also decorate without parentheses (`@torch.no_grad`), as in PyTorch."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecorator):
    mode = False


class enable_grad(_NoParamDecorator):
    mode = True


class set_grad_enabled(_GradModeContext):
    """Sets grad mode at once (like PyTorch), and restores the previous mode as a context."""

    def __init__(self, mode: bool):
        self._prev = state.enabled
        self.mode = bool(mode)
        state.enabled = self.mode

    def __enter__(self):
        return None


class inference_mode(_GradModeContext):
    """torch.inference_mode: no graph is recorded inside (as no_grad). gradtrace does not mark the tensors
    made inside as inference tensors, so using one in autograd later is not refused as PyTorch refuses it."""

    def __init__(self, mode: bool = True):
        self.mode = False
        self._inference = bool(mode)

    def __enter__(self):
        self._prev_inference = _inference.enabled
        _inference.enabled = self._inference
        if not self._inference:
            self.mode = state.enabled  # inference_mode(False) leaves grad mode as it is
        return super().__enter__()

    def __exit__(self, *exc):
        _inference.enabled = self._prev_inference
        return super().__exit__(*exc)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(self._inference):
                return fn(*args, **kwargs)

        return wrapper


class _Inference(threading.local):
    enabled = False


_inference = _Inference()


def is_inference_mode_enabled() -> bool:
    return _inference.enabled
