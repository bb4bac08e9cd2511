"""The backward engine: traversal, accumulation, ordering, freeing, version counter."""

import numpy as np
import pytest

import engine.torch as torch
from engine import trace


def test_diamond_through_relu_gives_twice_the_value():
    # tinygrad once marked the wrong node visited here and got 12 instead of 6
    a = torch.tensor(3.0, requires_grad=True)
    y = a.relu()
    z = y * y
    z.backward()
    assert a.grad.item() == 6.0


def test_fan_out_sums_both_paths():
    x = torch.tensor(2.0, requires_grad=True)
    (x * x + x).backward()
    assert x.grad.item() == 5.0


def test_grads_accumulate_across_backward_calls():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_accumulation_is_in_place_on_the_existing_grad_tensor():
    x = torch.tensor(1.0, requires_grad=True)
    (x * 2).backward()
    first = x.grad
    (x * 2).backward()
    assert first is x.grad and first.item() == 4.0


def test_second_backward_through_saved_tensors_raises_pytorch_error():
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        y.backward()


def test_second_backward_through_an_add_needs_no_saved_tensors():
    x = torch.tensor(2.0, requires_grad=True)
    y = x + 1
    y.backward()
    y.backward()
    assert x.grad.item() == 2.0


def test_retain_graph_allows_a_second_backward():
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 8.0


def test_modified_saved_tensor_is_caught_by_the_version_counter():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    with torch.no_grad():
        x.add_(1)
    with pytest.raises(
        RuntimeError, match="modified by an inplace operation.*is at version 1; expected version 0"
    ):
        y.sum().backward()


def test_accumulate_grad_runs_before_a_failing_node_as_pytorch_orders_them():
    x = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    z = x * x + b
    z.backward()
    with pytest.raises(RuntimeError):
        z.backward()
    assert b.grad.item() == 2.0 and x.grad.item() == 4.0


def test_ready_nodes_run_latest_created_first():
    ran = []

    class Recorder(trace.Tracer):
        def function_ran(self, node, grads_in, grads_out):
            ran.append(node.name())

    x = torch.tensor(1.0, requires_grad=True)
    y = torch.tensor(2.0, requires_grad=True)
    a = x.exp()
    b = y.sin()
    with trace.tracing(Recorder()):
        (a + b).backward()
    # the newest ready node first; a ready AccumulateGrad before any other
    assert ran == [
        "AddBackward0",
        "SinBackward0",
        "torch::autograd::AccumulateGrad",
        "ExpBackward0",
        "torch::autograd::AccumulateGrad",
    ]


def test_next_functions_match_pytorch_structure():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = x * 2
    (first, _), (second, _) = z.grad_fn.next_functions
    assert first.name() == "torch::autograd::AccumulateGrad" and first.variable is x
    assert second is None
    assert (x * x).grad_fn.next_functions[0][0] is (x * x).grad_fn.next_functions[1][0]


def test_gradient_shape_mismatch_message():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=r"^Mismatch in shape: grad_output\[0\] has a shape of torch.Size\(\[3\]\)",
    ):
        (x * 2).backward(torch.tensor([1.0, 1.0, 1.0]))


def test_broadcast_gradient_is_reduced_to_the_input_shape():
    b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    X = torch.ones(4, 3)
    (X + b).sum().backward()
    assert b.grad.tolist() == [4.0, 4.0, 4.0]


def test_tracer_sees_creation_backward_and_accumulation_in_order():
    events = []

    class Recorder(trace.Tracer):
        def tensor_created(self, tensor, op, inputs):
            events.append(("create", op))

        def backward_started(self, roots, grad_roots):
            events.append(("backward", None))

        def function_ran(self, node, grads_in, grads_out):
            events.append(("function", node.name()))

        def grad_accumulated(self, tensor, before, after):
            events.append(("accumulate", float(after)))

        def backward_finished(self):
            events.append(("end", None))

    with trace.tracing(Recorder()):
        w = torch.tensor(3.0, requires_grad=True)
        y = w * 2
        y.backward()
    assert events == [
        ("create", "tensor"),
        ("create", "mul"),
        ("backward", None),
        ("function", "MulBackward0"),
        ("accumulate", 2.0),
        ("function", "torch::autograd::AccumulateGrad"),
        ("end", None),
    ]


def test_tracer_allocating_hook_runs_before_a_broadcast_allocates():
    class Refuse(trace.Tracer):
        def allocating(self, numel):
            if numel > 100:
                raise MemoryError(numel)

    a, b = torch.ones(1000, 1), torch.ones(1, 1000)
    with trace.tracing(Refuse()):
        with pytest.raises(MemoryError):
            a + b


def test_tracer_is_off_by_default_and_per_thread():
    import threading

    seen = []
    with trace.tracing(trace.Tracer()):
        t = threading.Thread(target=lambda: seen.append(trace.local.tracer))
        t.start()
        t.join()
    assert seen == [None] and trace.local.tracer is None


def test_no_grad_is_per_thread():
    import threading

    seen = []
    with torch.no_grad():
        t = threading.Thread(target=lambda: seen.append(torch.is_grad_enabled()))
        t.start()
        t.join()
    assert seen == [True]


def test_manual_seed_makes_random_tensors_repeatable():
    torch.manual_seed(3)
    a = torch.randn(4)
    torch.manual_seed(3)
    b = torch.randn(4)
    assert np.array_equal(a.numpy(), b.numpy())


def test_write_through_a_view_reaches_the_base_gradient_and_leaves_a_leaf_untouched():
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
        w[:, 0].mul_(2)
    assert w.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    y = w * 1
    y[:, 0].mul_(2)
    y.sum().backward()
    assert w.grad.tolist() == [[2.0, 1.0], [2.0, 1.0]]


def test_a_base_forgets_its_views_once_they_are_gone():
    y = torch.tensor([1.0, 2.0], requires_grad=True) * 1
    for _ in range(5):
        y[0]
    y.mul_(2)
    assert len(y._views) == 0  # dropped when the base is written
    x = torch.ones(5, 3)
    for _ in range(100):
        for _row in x:
            pass
    assert len(x._views) < 64  # and now and then while views are made
