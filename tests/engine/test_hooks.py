"""Tensor.register_hook: hooks change the gradient that flows on, and the tracer records each as an event."""

import numpy as np

import engine.torch as torch
from engine import trace
from engine.runner.limits import Budget, Limits
from engine.runner.recorder import Recorder


def test_hook_on_a_non_leaf_changes_what_flows_to_the_leaf_and_what_it_retains():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert x.grad.tolist() == [30.0, 30.0] and y.grad.tolist() == [10.0, 10.0]


def test_removed_hook_no_longer_runs():
    x = torch.tensor([1.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 0)
    handle.remove()
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0]


def test_each_hook_is_a_timeline_event_before_the_node_it_feeds():
    recorder = Recorder(Budget(Limits()), 10_000)
    with trace.tracing(recorder):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.register_hook(lambda g: g * 10)
        y.sum().backward()
    kinds = [e.type for e in recorder.events]
    hook = next(e for e in recorder.events if e.type == "hook")
    assert hook.tensor is y
    np.testing.assert_array_equal(hook.before, [1.0, 1.0])
    np.testing.assert_array_equal(hook.after, [10.0, 10.0])
    after_hook = [e for e in recorder.events[kinds.index("hook") + 1 :] if e.type == "function"][0]
    assert after_hook.node.name() == "MulBackward0"
