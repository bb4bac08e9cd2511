"""Short PyTorch programs, written as a learner writes them, that engine.torch must run exactly like PyTorch.

PROGRAMS is a list of (name, source): the programs below, then every seed example (examples/seeds/,
verbatim copies of shared/seed-examples). make_torch_fixtures.py records what
PyTorch 2.13 does with each; test_conformance.py checks that engine.torch does the same.
After adding or changing a program, run `python tests/engine/make_torch_fixtures.py` (torch==2.13.0)
and commit the regenerated fixtures/torch_conformance.json with it.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

SEED_DIR = (
    Path(__file__).resolve().parents[2] / "examples" / "seeds"
)  # copies of ../shared/seed-examples

_WRITTEN: list[tuple[str, str]] = []


def program(name: str, source: str) -> None:
    _WRITTEN.append((name, dedent(source).lstrip("\n")))


# ---------------------------------------------------------------- dtypes and promotion

program(
    "dtype_defaults",
    """
    import torch
    x = torch.tensor([1.0, 2.0])
    i = torch.tensor([1, 2])
    b = torch.tensor([True, False])
    s = torch.tensor(3.5)
    print(x.dtype, i.dtype, b.dtype, s.dtype)
    print(torch.zeros(2).dtype, torch.arange(3).dtype, torch.arange(3.0).dtype)
""",
)

program(
    "dtype_int_tensor_times_python_float",
    """
    import torch
    i = torch.tensor([1, 2, 3])
    y = i * 2.5
    z = i + 1
    w = 0.5 + i
    print(y, y.dtype)
    print(z, z.dtype)
    print(w, w.dtype)
""",
)

program(
    "dtype_float32_with_float64",
    """
    import torch
    a = torch.tensor([1.0, 2.0])
    d = torch.tensor([0.5, 0.25], dtype=torch.float64)
    c = a + d
    m = a * d
    print(c, c.dtype)
    print(m.dtype)
""",
)

program(
    "dtype_zero_dim_does_not_promote",
    """
    import torch
    v = torch.tensor([1.0, 2.0])
    s64 = torch.tensor(2.5, dtype=torch.float64)
    i0 = torch.tensor(3)
    r1 = v * s64
    r2 = i0 * v
    r3 = torch.tensor([1, 2]) * torch.tensor(1.5)
    print(r1, r1.dtype)
    print(r2, r2.dtype)
    print(r3, r3.dtype)
""",
)

program(
    "dtype_int_true_division",
    """
    import torch
    a = torch.tensor([3, 7, -7])
    b = torch.tensor([2, 2, 2])
    q = a / b
    r = a / 2
    s = torch.tensor(7) / 2
    print(q, q.dtype)
    print(r)
    print(s)
""",
)

program(
    "dtype_float_and_double_methods",
    """
    import torch
    x = torch.tensor([1, 2, 3])
    f = x.float()
    d = x.double()
    print(f, d)
    print(f.dtype, d.dtype)
    w = torch.tensor([1.5, 2.5], requires_grad=True)
    w64 = w.double()
    print(w64)
    s = (w64 * w64).sum()
    s.backward()
    print(w.grad)
""",
)

program(
    "dtype_keyword_arguments",
    """
    import torch
    a = torch.zeros(2, dtype=torch.int64)
    b = torch.ones(2, 2, dtype=torch.float64)
    c = torch.tensor([1, 0, 1], dtype=torch.bool)
    d = torch.tensor([1, 2], dtype=torch.float32)
    e = torch.tensor([1.7, -1.7], dtype=torch.int64)
    print(a)
    print(b)
    print(c)
    print(d)
    print(e)
""",
)

program(
    "dtype_comparisons_are_bool",
    """
    import torch
    x = torch.tensor([0.5, 1.5, 2.5])
    mask = x > 1
    print(mask, mask.dtype)
    n = mask.sum()
    print(n, n.dtype)
    f = mask.float()
    print(f)
    eq = x == 1.5
    print(eq)
""",
)

program(
    "dtype_float64_gradient_suffix",
    """
    import torch
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = x ** 2
    print(y)
    y.sum().backward()
    print(x.grad)
""",
)

program(
    "dtype_float64_with_python_float",
    """
    import torch
    x = torch.tensor([1.0, 2.0], dtype=torch.float64)
    y = x * 0.1
    z = x + 1
    print(y, y.dtype, z.dtype)
""",
)

program(
    "dtype_int_sum_and_pow",
    """
    import torch
    i = torch.tensor([[1, 2], [3, 4]])
    s = i.sum()
    p = i ** 2
    t = i + i
    print(s, s.dtype)
    print(p)
    print(t.dtype)
""",
)

program(
    "dtype_int_mean_error",
    """
    import torch
    i = torch.tensor([1, 2, 3])
    print(i.sum())
    m = i.mean()
    print(m)
""",
)

program(
    "dtype_requires_grad_on_int_tensor_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    i = torch.tensor([1, 2], requires_grad=True)
""",
)

program(
    "dtype_requires_grad_method_on_int_error",
    """
    import torch
    i = torch.tensor([1, 2, 3])
    i.requires_grad_()
""",
)

program(
    "dtype_bool_to_float_arithmetic",
    """
    import torch
    b = torch.tensor([True, False, True])
    x = torch.tensor([1.0, 2.0, 3.0])
    y = x * b
    z = b.float() + 1
    print(y, y.dtype)
    print(z)
""",
)

program(
    "dtype_float_grad_through_int_mask",
    """
    import torch
    x = torch.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    mask = (x > 0).float()
    y = (x * mask).sum()
    y.backward()
    print(y, x.grad)
""",
)

# ---------------------------------------------------------------- tensor attributes and methods

program(
    "attr_data",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    d = x.data
    print(d, d.requires_grad, d.is_leaf, d.grad_fn)
    y = x * 3
    yd = y.data
    print(yd, yd.requires_grad, yd.is_leaf)
""",
)

program(
    "attr_grad_before_and_after_backward",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    print(x.grad)
    y = x * x
    y.backward()
    print(x.grad)
""",
)

program(
    "attr_grad_fn_of_leaves_and_results",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 4.0])
    y = x * c
    print(x.grad_fn, c.grad_fn)
    print(y.grad_fn.name())
    print(type(y.grad_fn).__name__)
""",
)

program(
    "attr_shape_and_size",
    """
    import torch
    x = torch.zeros(2, 3)
    print(x.shape)
    print(x.size())
    print(x.size(0), x.size(1), x.size(-1))
    print(x.shape[0], x.shape[-1], len(x))
    print(torch.tensor(1.0).shape)
""",
)

program(
    "attr_dim_ndim_numel",
    """
    import torch
    s = torch.tensor(5.0)
    v = torch.ones(4)
    m = torch.ones(2, 3)
    c = torch.ones(2, 3, 4)
    print(s.dim(), v.dim(), m.dim(), c.dim())
    print(s.ndim, v.ndim, m.ndim, c.ndim)
    print(s.numel(), v.numel(), m.numel(), c.numel())
""",
)

program(
    "attr_item",
    """
    import torch
    a = torch.tensor(0.1)
    b = torch.tensor([2.5])
    c = torch.tensor(7)
    d = torch.tensor(True)
    print(a.item(), b.item(), c.item(), d.item())
    print(type(a.item()).__name__, type(c.item()).__name__)
    loss = (torch.tensor([1.0, 2.0], requires_grad=True) ** 2).sum()
    print(loss.item())
    print(f"loss {loss.item():.3f}")
""",
)

program(
    "attr_item_of_many_elements_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0])
    print(x[0].item())
    v = x.item()
""",
)

program(
    "attr_tolist",
    """
    import torch
    m = torch.tensor([[1.0, 2.5], [0.1, -3.0]])
    print(m.tolist())
    print(torch.tensor([1, 2, 3]).tolist())
    print(torch.tensor(4.0).tolist())
    print(torch.tensor([True, False]).tolist())
""",
)

program(
    "attr_T_transposes_a_matrix",
    """
    import torch
    W = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    WT = W.T
    print(WT)
    print(WT.shape)
    s = (WT * torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum()
    s.backward()
    print(W.grad)
""",
)

program(
    "attr_detach",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    print(d)
    print(d.requires_grad, d.is_leaf, d.grad_fn)
    print(y.requires_grad, y.is_leaf)
""",
)

program(
    "attr_detach_shares_data",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0])
    d = x.detach()
    d += 10
    print(x)
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    wd = w.detach()
    wd.zero_()
    print(w)
""",
)

program(
    "attr_requires_grad_method",
    """
    import torch
    x = torch.tensor([1.0, 2.0])
    r = x.requires_grad_()
    print(x.requires_grad, r.requires_grad, r is x)
    x.requires_grad_(False)
    print(x.requires_grad)
    x.requires_grad = True
    y = (x * x).sum()
    y.backward()
    print(x.grad)
""",
)

program(
    "attr_set_requires_grad_on_non_leaf_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.requires_grad = False
""",
)

program(
    "attr_retains_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    print(x.retains_grad, y.retains_grad)
    y.retain_grad()
    print(y.retains_grad)
    z = (y * y).sum()
    z.backward()
    print(y.grad)
    print(x.grad)
""",
)

program(
    "attr_zero_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 5).sum().backward()
    print(x.grad)
    x.grad.zero_()
    print(x.grad)
    (x * x).sum().backward()
    print(x.grad)
""",
)

program(
    "attr_clone",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    print(c, c.is_leaf, c.requires_grad)
    y = (c * c).sum()
    y.backward()
    print(x.grad, c.grad)
    p = torch.tensor([3.0]).clone()
    print(p, p.is_leaf)
""",
)

program(
    "attr_grad_set_to_none",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    (x * x).backward()
    print(x.grad)
    x.grad = None
    print(x.grad)
    (x * 2).backward()
    print(x.grad)
""",
)

program(
    "attr_next_functions",
    """
    import torch
    x = torch.tensor(1.0, requires_grad=True)
    c = torch.tensor(2.0)
    y = x * c
    z = y + x
    print(y.grad_fn.next_functions)
    print(z.grad_fn.next_functions)
    print(z.grad_fn.next_functions[0][0].name())
""",
)

# ---------------------------------------------------------------- std, var, norm, sort, new_*, unary +

program(
    "stats_std_and_var_overloads",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], requires_grad=True)
    s = x.std()
    v = x.var(1)
    s0 = x.std(0, keepdim=True)
    biased = x.var(unbiased=False)
    c = torch.std(x, dim=1, correction=0)
    print(s, v, s0, biased, c, sep="\\n")
    (s + v.sum() + s0.sum() + biased + c.sum()).backward()
    print(x.grad)
""",
)

program(
    "stats_std_of_one_element_is_nan",
    """
    import torch
    x = torch.tensor([2.0], requires_grad=True)
    s = x.std()
    print(s, x.var(unbiased=False))
""",
)

program(
    "stats_norm_variants_and_grad",
    """
    import torch
    x = torch.tensor([[3.0, -4.0], [0.0, 12.0]], requires_grad=True)
    n = x.norm()
    rows = x.norm(dim=1)
    l1 = x.norm(p=1, dim=0, keepdim=True)
    top = x.norm(float("inf"))
    print(n, rows, l1, top, sep="\\n")
    (n + rows.sum() + l1.sum() + top).backward()
    print(x.grad)
    print(torch.norm(torch.tensor([1e20, 1e20])), torch.tensor([1e-30, 1e-30]).norm())
""",
)

program(
    "stats_norm_of_zeros_has_zero_grad",
    """
    import torch
    x = torch.zeros(3, requires_grad=True)
    n = x.norm()
    n.backward()
    print(n, x.grad)
""",
)

program(
    "sort_values_indices_and_grad",
    """
    import torch
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 5.0, 5.0]], requires_grad=True)
    values, indices = x.sort(dim=1, descending=True)
    print(values)
    print(indices)
    (values * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    print(x.grad)
    print(torch.sort(x, dim=0).values)
""",
)

program(
    "sort_ties_nan_and_argsort",
    """
    import torch
    r = torch.tensor([3, 1, 2, 1]).sort(descending=True)
    print(r)
    print(torch.tensor([3.0, float("nan"), 1.0, 1.0]).sort())
    print(torch.tensor([3.0, float("nan"), 1.0]).sort(descending=True).indices)
    order = torch.tensor([[3, 1], [0, 5]]).argsort(dim=0)
    print(order, torch.argsort(torch.tensor([2.0, 1.0, 3.0]), descending=True))
""",
)

program(
    "unary_plus_and_positive",
    """
    import torch
    x = torch.tensor([1.0, -2.0], requires_grad=True)
    y = +x
    z = x.positive() * 3
    print(y is x, z, torch.positive(torch.tensor([1, 2])))
""",
)

program(
    "new_factories_follow_dtype",
    """
    import torch
    x = torch.tensor([1, 2, 3])
    w = torch.ones(2, requires_grad=True)
    a = x.new_zeros(2, 3)
    b = w.new_ones((2,))
    c = w.new_full((3,), 2.5)
    d = x.new_tensor([1.7, -2.2])
    e = w.new_tensor([[1, 2]], requires_grad=True)
    f = x.new_zeros(2, dtype=torch.float64)
    print(a, b, c, d, e, f, sep="\\n")
""",
)

program(
    "remainder_floor_divide_and_rounding",
    """
    import torch
    x = torch.tensor([-3.5, 2.5, 7.0], requires_grad=True)
    i = torch.tensor([-7, 5, 0])
    r = x % 2
    q = x // 2
    w = torch.tensor([2.0, 3.0, -4.0], requires_grad=True)
    m = x % w
    f = x.floor() + x.round() + x.ceil() + x.trunc()
    print(r, q, 7 % x, m, f, sep="\\n")
    print(i // 2, i % -3, 7 // torch.tensor([2, -2]), torch.tensor([0.5, 1.5, 2.5]).round())
    (r.sum() + m.sum() + f.sum()).backward()
    print(x.grad, w.grad)
""",
)

program(
    "err_backward_through_floor_divide",
    """
    import torch
    x = torch.tensor([-3.5, 2.5], requires_grad=True)
    q = x // 2
    q.sum().backward()
""",
)

program(
    "err_integer_remainder_by_zero",
    """
    import torch
    i = torch.tensor([4, 5])
    print(i % 2)
    r = i % 0
""",
)

program(
    "err_std_of_long_tensor",
    """
    import torch
    counts = torch.tensor([1, 2, 3])
    s = counts.std()
""",
)

program(
    "err_norm_of_long_tensor",
    """
    import torch
    v = torch.tensor([3, 4])
    n = v.norm()
""",
)

program(
    "err_unary_plus_on_bool_mask",
    """
    import torch
    mask = torch.tensor([True, False])
    m = +mask
""",
)

program(
    "err_new_full_size_not_tuple",
    """
    import torch
    w = torch.ones(2)
    f = w.new_full(3, 1.0)
""",
)

# ---------------------------------------------------------------- wrong argument types, in PyTorch's words

program(
    "err_batched_matmul_mixed_dtype",
    """
    import torch
    A = torch.ones(2, 3, 4)
    B = torch.ones(2, 4, 5, dtype=torch.float64)
    C = A @ B
""",
)

program(
    "err_batched_matmul_dims_mismatch_after_broadcast",
    """
    import torch
    A = torch.ones(4, 5)
    B = torch.ones(2, 4, 3)
    C = A @ B
""",
)

program(
    "matmul_weight_times_batch_chain",
    """
    import torch
    W = torch.ones(3, 3, requires_grad=True)
    X = torch.ones(2, 3, 4, requires_grad=True)
    C = W @ X
    print(C.grad_fn, C.grad_fn.next_functions)
    C.sum().backward()
    print(W.grad, X.grad.shape)
""",
)

program(
    "err_bmm_second_not_3d",
    """
    import torch
    a = torch.ones(2, 3, 4)
    c = torch.bmm(a, torch.ones(4, 5))
""",
)

program(
    "err_bool_matrix_product",
    """
    import torch
    m = torch.ones(3, 4, dtype=torch.bool)
    p = m @ torch.ones(4, 2, dtype=torch.bool)
""",
)

program(
    "err_matmul_with_python_number",
    """
    import torch
    x = torch.ones(3, 4)
    y = x @ 2
""",
)

program(
    "err_torch_mm_with_python_number",
    """
    import torch
    x = torch.ones(3, 4)
    y = torch.mm(x, 3)
""",
)

program(
    "err_method_matmul_with_list",
    """
    import torch
    x = torch.ones(3, 4)
    y = x.matmul([1, 2, 3, 4])
""",
)

program(
    "err_data_assigned_a_number",
    """
    import torch
    x = torch.ones(2, requires_grad=True)
    x.data = 5
""",
)

program(
    "err_grad_assigned_wrong_shape",
    """
    import torch
    x = torch.ones(2, 3, requires_grad=True)
    x.grad = torch.ones(3)
""",
)

program(
    "err_requires_grad_assigned_string",
    """
    import torch
    x = torch.ones(2)
    x.requires_grad = "yes"
""",
)

program(
    "err_add_string_operand",
    """
    import torch
    x = torch.ones(2)
    y = x + "1"
""",
)

program(
    "err_multiply_by_none",
    """
    import torch
    x = torch.ones(2)
    y = None * x
""",
)

program(
    "err_torch_add_string",
    """
    import torch
    x = torch.ones(2)
    y = torch.add(x, "1")
""",
)

program(
    "err_torch_exp_of_python_float",
    """
    import torch
    y = torch.exp(2.0)
""",
)

program(
    "err_sum_dim_given_as_string",
    """
    import torch
    x = torch.ones(2, 3)
    s = x.sum(dim="rows")
""",
)

program(
    "err_zeros_with_float_size",
    """
    import torch
    z = torch.zeros(2.5)
""",
)

program(
    "err_ones_with_string_in_size",
    """
    import torch
    z = torch.ones(2, "3")
""",
)

program(
    "err_full_size_not_tuple",
    """
    import torch
    z = torch.full(3, 0.5)
""",
)

program(
    "err_cat_of_one_tensor",
    """
    import torch
    x = torch.ones(2, 3)
    y = torch.cat(x)
""",
)

program(
    "err_cat_list_with_number",
    """
    import torch
    x = torch.ones(2)
    y = torch.cat([x, 3])
""",
)

program(
    "err_cat_empty_list",
    """
    import torch
    y = torch.cat([])
""",
)

program(
    "err_clamp_with_string",
    """
    import torch
    x = torch.ones(2)
    y = x.clamp("0")
""",
)

program(
    "err_method_missing_argument",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.transpose(0)
""",
)

program(
    "err_method_extra_argument",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.t(1)
""",
)

program(
    "err_tensor_dtype_given_as_string",
    """
    import torch
    x = torch.tensor([1, 2], dtype="float")
""",
)

program(
    "err_shape_is_not_writable",
    """
    import torch
    x = torch.ones(2, 3)
    x.shape = (3, 2)
""",
)

program(
    "err_grad_fn_is_not_writable",
    """
    import torch
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.grad_fn = None
""",
)

program(
    "err_view_with_string_in_size",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.view((3, "2"))
""",
)

program(
    "err_reshape_with_float_in_shape",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.reshape(3, 2.0)
""",
)

program(
    "err_permute_duplicate_dims",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.permute(1, 1)
""",
)

program(
    "err_size_plus_number",
    """
    import torch
    x = torch.ones(2, 3)
    print(x.shape + (4,), (1,) + x.shape)
    s = x.shape + 4
""",
)

program(
    "err_eye_of_negative_size",
    """
    import torch
    e = torch.eye(-1)
""",
)

program(
    "err_softmax_without_dim",
    """
    import torch
    import torch.nn.functional as F
    scores = torch.tensor([1.0, 2.0, 3.0])
    print(F.softmax(scores), F.log_softmax(scores))
    p = torch.softmax(scores)
""",
)

program(
    "err_tensor_softmax_method_without_dim",
    """
    import torch
    scores = torch.tensor([[1.0, 2.0], [0.5, 0.0]])
    print(scores.softmax(1), scores.log_softmax(dim=0))
    p = scores.softmax()
""",
)

program(
    "relu_in_place_through_functional",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 3
    out = F.relu(h, inplace=True)
    out.sum().backward()
    print(out is h, h, x.grad)
""",
)

program(
    "err_where_with_float_condition",
    """
    import torch
    x = torch.tensor([1.0, -2.0])
    y = torch.where(x, x, torch.zeros(2))
""",
)

program(
    "tensor_type_by_name",
    """
    import torch
    x = torch.tensor([1.5, 2.0])
    print(x.type(), x.type("torch.IntTensor"), x.type(torch.float64).type())
""",
)

program(
    "err_tensor_type_by_number",
    """
    import torch
    x = torch.tensor([1.5, 2.0])
    y = x.type(5)
""",
)

program(
    "err_in_place_add_of_string_before_leaf_rule",
    """
    import torch
    w = torch.ones(2, requires_grad=True)
    w.add_("1")
""",
)

program(
    "err_fill_with_vector",
    """
    import torch
    x = torch.zeros(2, 3)
    x.fill_(torch.ones(3))
""",
)

program(
    "err_copy_from_wrong_shape",
    """
    import torch
    x = torch.zeros(2, 3)
    x.copy_(torch.ones(4))
""",
)

program(
    "err_add_alpha_given_as_string",
    """
    import torch
    x = torch.ones(2)
    y = x.add(torch.ones(2), alpha="2")
""",
)

program(
    "err_argmax_of_empty_tensor",
    """
    import torch
    e = torch.ones(0)
    i = e.argmax()
""",
)

program(
    "err_bool_of_empty_tensor",
    """
    import torch
    e = torch.ones(0)
    go = bool(e)
""",
)

program(
    "err_requires_grad_method_given_string",
    """
    import torch
    w = torch.ones(2)
    w.requires_grad_("yes")
""",
)

program(
    "err_flatten_start_after_end",
    """
    import torch
    x = torch.ones(2, 3, 4)
    y = x.flatten(2, 0)
""",
)

program(
    "any_all_and_in",
    """
    import torch
    x = torch.tensor([[0.0, 1.0], [0.0, 0.0]], requires_grad=True)
    print(x.any(), x.all(), torch.any(x, dim=1), x.all(0, keepdim=True), (x > 0).any(dim=0))
    print(1.0 in x, 5 in x, torch.tensor(0.0) in x, torch.tensor([]).all())
""",
)

program(
    "err_sub_alpha_given_positionally",
    """
    import torch
    x = torch.ones(2)
    y = x.sub(torch.ones(2), 2)
""",
)

program(
    "err_clone_given_an_argument",
    """
    import torch
    x = torch.ones(2)
    y = x.clone(1)
""",
)

program(
    "err_optimizer_given_a_tensor",
    """
    import torch
    w = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD(w, lr=0.1)
""",
)

program(
    "err_optimizer_negative_learning_rate",
    """
    import torch
    w = torch.ones(2, requires_grad=True)
    opt = torch.optim.SGD([w], lr=-0.1)
""",
)

program(
    "err_adam_beta_out_of_range",
    """
    import torch
    w = torch.ones(2, requires_grad=True)
    opt = torch.optim.Adam([w], betas=(0.9, 1.0))
""",
)

# ---------------------------------------------------------------- indexing and torch.tensor errors

program(
    "err_index_with_float",
    """
    import torch
    x = torch.arange(6.0).reshape(2, 3)
    y = x[1.0]
""",
)

program(
    "err_index_out_of_range_after_ellipsis",
    """
    import torch
    x = torch.ones(3, 1, 2)
    y = x[0, ..., 5]
""",
)

program(
    "err_index_0d_in_tuple",
    """
    import torch
    s = torch.tensor(1.0)
    y = s[None, 0]
""",
)

program(
    "err_mask_shape_mismatch",
    """
    import torch
    x = torch.arange(6.0).reshape(2, 3)
    y = x[torch.tensor([True, False, True])]
""",
)

program(
    "err_fancy_index_out_of_range",
    """
    import torch
    x = torch.ones(2, 3)
    y = x[[0, 1], [0, 5]]
""",
)

program(
    "err_setitem_value_wrong_shape",
    """
    import torch
    x = torch.zeros(2, 3)
    x[0] = torch.ones(2)
""",
)

program(
    "err_setitem_value_too_many_dims",
    """
    import torch
    x = torch.zeros(2, 3)
    x[0] = torch.ones(2, 3)
""",
)

program(
    "err_setitem_mask_value_wrong_shape",
    """
    import torch
    x = torch.arange(6.0).reshape(2, 3)
    x[x > 2] = torch.tensor([1.0, 2.0])
""",
)

program(
    "err_setitem_string_value",
    """
    import torch
    x = torch.zeros(2, 3)
    x[0] = "1"
""",
)

program(
    "err_setitem_full_slice_of_leaf",
    """
    import torch
    w = torch.ones(3, requires_grad=True)
    w[:] = 0.0
""",
)

program(
    "err_setitem_mask_of_leaf",
    """
    import torch
    w = torch.ones(3, requires_grad=True)
    w[w > 0] = 0.0
""",
)

program(
    "setitem_mask_and_list_record_index_put",
    """
    import torch
    x = torch.ones(2, 3, requires_grad=True)
    y = x * 2
    y[0] = torch.tensor([5.0, 6.0, 7.0])
    y[y > 4] = 0.0
    y[[1]] = 3.0
    y.sum().backward()
    print(y, x.grad)
""",
)

program(
    "tensor_of_scalar_tensors_promotes",
    """
    import torch
    a = torch.tensor([torch.tensor(1.5, dtype=torch.float64), 2])
    b = torch.tensor([torch.tensor(1), torch.tensor(2)])
    c = torch.tensor([[1.0, 2.0], torch.tensor([3.0, 4.0])])
    print(a, b, c)
""",
)

program(
    "err_tensor_of_ragged_rows",
    """
    import torch
    m = torch.tensor([[1.0, 2.0], [3.0]])
""",
)

program(
    "err_tensor_row_not_a_list",
    """
    import torch
    m = torch.tensor([[1, 2], 3])
""",
)

program(
    "err_tensor_of_string",
    """
    import torch
    m = torch.tensor("1.5")
""",
)

program(
    "err_tensor_of_none",
    """
    import torch
    m = torch.tensor([1.0, None])
""",
)

# ---------------------------------------------------------------- kernels PyTorch does not have, numbers at the edges

program(
    "int_power_in_place_with_negative_tensor",
    """
    import torch
    b = torch.tensor([3, 2, -1, 1])
    b **= torch.tensor([-1, 2, -3, -5])
    print(b, torch.pow(2, torch.tensor([-1, 3])))
""",
)

program(
    "err_int_power_in_place_with_negative_number",
    """
    import torch
    b = torch.tensor([3, 2])
    b.pow_(-1)
""",
)

program(
    "err_log_softmax_of_int_rows",
    """
    import torch
    scores = torch.tensor([[1, 2], [3, 4]])
    p = torch.log_softmax(scores, dim=0)
""",
)

program(
    "err_nll_loss_1d_input_two_targets",
    """
    import torch
    import torch.nn.functional as F
    logp = torch.log_softmax(torch.zeros(3), dim=0)
    loss = F.nll_loss(logp, torch.tensor([0, 1]))
""",
)

program(
    "err_bce_with_logits_long_target",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([0.2, -0.5], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(logits, torch.tensor([1, 0]))
""",
)

program(
    "err_mse_loss_of_int_tensors",
    """
    import torch
    import torch.nn.functional as F
    loss = F.mse_loss(torch.tensor([1, 2]), torch.tensor([1, 0]))
""",
)

program(
    "sigmoid_float32_underflow_boundary",
    """
    import torch
    x = torch.tensor([-88.0, -88.72, -88.73, -103.0, 90.0], requires_grad=True)
    s = torch.sigmoid(x)
    s.sum().backward()
    print(s, x.grad)
    print(torch.sigmoid(x.detach().double()))
""",
)


# ---------------------------------------------------------------- printing

program(
    "print_int_tensors",
    """
    import torch
    print(torch.tensor([1, 2, 3]))
    print(torch.tensor(5))
    print(torch.tensor([[1, -2], [30, 4]]))
    print(torch.tensor([100000, -3]))
""",
)

program(
    "print_float_tensors",
    """
    import torch
    print(torch.tensor([1.0, 2.5]))
    print(torch.tensor([0.1, 0.2, 0.3333]))
    print(torch.tensor(3.14159))
    print(torch.tensor([1.0, 2.0, 3.0]))
    print(torch.tensor([-0.0, 0.0]))
""",
)

program(
    "print_scientific_notation",
    """
    import torch
    print(torch.tensor([1e-5, 1.0]))
    print(torch.tensor([1e10, 1.0]))
    print(torch.tensor([123456789.0]))
    print(torch.tensor([0.00001234, 0.5]))
    print(torch.tensor(1e-8))
    print(torch.tensor([1e-3, 1e3]))
""",
)

program(
    "print_large_and_small_values",
    """
    import torch
    print(torch.tensor([1000.0, 2000.5]))
    print(torch.tensor([99999.0, 0.5]))
    print(torch.tensor([0.001, 0.002]))
    print(torch.tensor([12345.678]))
""",
)

program(
    "print_negative_values",
    """
    import torch
    print(torch.tensor([-1.5, 2.25, -0.125]))
    print(torch.tensor([[-1.0, 2.0], [3.0, -4.0]]))
    print(torch.tensor(-7.0))
""",
)

program(
    "print_nan_and_inf",
    """
    import torch
    x = torch.tensor([1.0, 0.0, -1.0])
    y = x / 0
    print(y)
    print(torch.tensor([float('nan'), 1.5, float('inf')]))
    print(torch.tensor(float('-inf')))
    z = torch.log(torch.tensor([0.0, 1.0, -1.0]))
    print(z)
""",
)

program(
    "print_2d_and_3d",
    """
    import torch
    print(torch.ones(2, 3))
    print(torch.arange(12.0).reshape(2, 2, 3))
    print(torch.arange(8).reshape(2, 2, 2))
    print(torch.zeros(3, 1))
""",
)

program(
    "print_summarized_large_tensors",
    """
    import torch
    print(torch.arange(2000))
    print(torch.ones(1001))
    print(torch.arange(3000.0).reshape(30, 100))
    print(torch.arange(1000))
""",
)

program(
    "print_grad_fn_suffix",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    print(x * 2)
    print(x + 1)
    print((x * x).sum())
    print(x.mean())
    print(torch.exp(x))
""",
)

program(
    "print_requires_grad_suffix",
    """
    import torch
    print(torch.tensor([1.0, 2.0], requires_grad=True))
    print(torch.tensor(3.0, requires_grad=True))
    print(torch.zeros(2, 2, requires_grad=True))
""",
)

program(
    "print_dtype_suffixes",
    """
    import torch
    print(torch.tensor([1.0, 2.0], dtype=torch.float64))
    print(torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True))
    print(torch.tensor([True, False]))
    print(torch.tensor([1, 2], dtype=torch.float32))
    print(torch.tensor(2.0, dtype=torch.float64))
    print(torch.tensor([1.5]).double() * 2)
""",
)

program(
    "print_torch_size",
    """
    import torch
    x = torch.ones(2, 3)
    print(x.shape)
    print(x.size())
    print(torch.tensor(1.0).shape)
    print(torch.ones(5).size())
    print(x.T.shape, x.reshape(-1).shape)
""",
)

program(
    "print_grad_fn_objects",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y.sum()
    print(y.grad_fn)
    print(z.grad_fn)
    print((x + 1).grad_fn)
    print(x.grad_fn)
""",
)

program(
    "print_repr_str_and_format",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    print(repr(x))
    print(str(x * 3))
    print(f"x = {x}")
    print("value:", torch.tensor(0.5))
    print([torch.tensor(1.0), torch.tensor(2)])
""",
)

program(
    "print_empty_and_single",
    """
    import torch
    print(torch.tensor([]))
    print(torch.zeros(0))
    print(torch.tensor([7.0]))
    print(torch.tensor([[7.0]]))
""",
)

program(
    "print_mixed_magnitudes",
    """
    import torch
    print(torch.tensor([0.5, 100.25, 3.0]))
    print(torch.tensor([1.0, 1e-4]))
    print(torch.tensor([[1e-6, 1.0], [2.0, 3.0]]))
    print(torch.tensor([2.0, 4.0]) / 3)
""",
)

program(
    "print_0d_values",
    """
    import torch
    print(torch.tensor(2.0))
    print(torch.tensor(-0.5))
    print(torch.tensor(1e20))
    print(torch.tensor(0.0))
    print(torch.tensor(123.456))
""",
)

# ---------------------------------------------------------------- creation

program(
    "create_zeros_ones_full",
    """
    import torch
    a = torch.zeros(2, 3)
    b = torch.ones(3)
    c = torch.full((2, 2), 7.0)
    d = torch.full((3,), 3)
    e = torch.zeros((2, 2))
    print(a)
    print(b)
    print(c)
    print(d, d.dtype)
    print(e)
""",
)

program(
    "create_like",
    """
    import torch
    x = torch.tensor([[1.5, 2.0], [3.0, 4.0]])
    i = torch.tensor([1, 2, 3])
    z = torch.zeros_like(x)
    o = torch.ones_like(i)
    g = torch.ones_like(x, requires_grad=True)
    print(z)
    print(o)
    print(g)
""",
)

program(
    "create_arange",
    """
    import torch
    print(torch.arange(5))
    print(torch.arange(1, 4))
    print(torch.arange(0, 1, 0.25))
    print(torch.arange(5.0))
    print(torch.arange(0, 10, 3))
    print(torch.arange(3, dtype=torch.float32))
""",
)

program(
    "create_linspace",
    """
    import torch
    a = torch.linspace(0, 1, 5)
    b = torch.linspace(-1, 1, steps=3)
    c = torch.linspace(0, 10, 4)
    print(a)
    print(b)
    print(c)
""",
)

program(
    "create_eye",
    """
    import torch
    print(torch.eye(3))
    print(torch.eye(2, 3))
    I = torch.eye(2)
    A = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    print(A @ I)
""",
)

program(
    "create_random_with_seed",
    """
    import torch
    torch.manual_seed(0)
    a = torch.rand(2, 3)
    b = torch.randn(3)
    c = torch.randint(0, 10, (4,))
    d = torch.randint(5, (2, 2))
    print(a.shape, b.shape, c.shape, d.shape)
    print(c.dtype, a.dtype)
""",
)

program(
    "create_random_reproducible",
    """
    import torch
    torch.manual_seed(42)
    a = torch.randn(3)
    torch.manual_seed(42)
    b = torch.randn(3)
    print(a == b)
    c = torch.randn(3)
    print((a == c).sum())
""",
)

program(
    "create_randn_requires_grad",
    """
    import torch
    torch.manual_seed(1)
    w = torch.randn(3, requires_grad=True)
    x = torch.randn(3)
    y = (w * x).sum()
    y.backward()
    print(w.requires_grad, w.is_leaf)
    print(y.grad_fn)
""",
)

program(
    "create_random_without_seed",
    """
    import torch
    a = torch.randn(2, 2)
    b = torch.rand(3)
    n = torch.randint(1, 7, (5,))
    s = a.sum() + b.sum()
""",
)

program(
    "create_float_tensor",
    """
    import torch
    a = torch.FloatTensor([1, 2, 3])
    b = torch.FloatTensor([[1.5, 2.0]])
    print(a, a.dtype)
    print(b)
""",
)

program(
    "create_variable",
    """
    import torch
    from torch.autograd import Variable
    t = torch.tensor([1.0, 2.0])
    v = Variable(t, requires_grad=True)
    u = Variable(torch.tensor([3.0, 4.0]))
    print(v)
    print(u, u.requires_grad)
    y = (v * u).sum()
    y.backward()
    print(v.grad, u.grad)
""",
)

program(
    "create_tensor_forms",
    """
    import torch
    a = torch.tensor([1, 2.5])
    b = torch.tensor([[1, 2], [3, 4]])
    c = torch.tensor(True)
    d = torch.tensor([[0.5], [1.5]])
    e = torch.tensor([])
    print(a, b, c, d, e, sep="\\n")
    print(a.dtype, b.dtype, c.dtype, e.dtype)
""",
)

program(
    "create_factories_requires_grad",
    """
    import torch
    w = torch.zeros(3, requires_grad=True)
    b = torch.ones(1, requires_grad=True)
    y = (w * 2 + b).sum()
    y.backward()
    print(w.grad, b.grad)
""",
)

# ---------------------------------------------------------------- binary operators

program(
    "op_add_sub_tensors",
    """
    import torch
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    c = a + b
    d = a - b
    s = (c * d).sum()
    s.backward()
    print(c, d)
    print(a.grad, b.grad)
""",
)

program(
    "op_add_scalar_0d",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x + 3
    z = y - 1.5
    z.backward()
    print(y, z, x.grad)
""",
)

program(
    "op_add_broadcast_matrix_row",
    """
    import torch
    M = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    r = torch.tensor([10.0, 20.0, 30.0], requires_grad=True)
    y = M + r
    y.sum().backward()
    print(y)
    print(M.grad, r.grad)
""",
)

program(
    "op_add_broadcast_column",
    """
    import torch
    col = torch.tensor([[1.0], [2.0]], requires_grad=True)
    row = torch.tensor([[10.0, 20.0, 30.0]], requires_grad=True)
    y = col + row
    (y * y).sum().backward()
    print(y)
    print(col.grad)
    print(row.grad)
""",
)

program(
    "op_sub_broadcast_with_0d",
    """
    import torch
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = torch.tensor(0.5, requires_grad=True)
    y = v - s
    (y ** 2).sum().backward()
    print(y, v.grad, s.grad)
""",
)

program(
    "op_mul_tensors",
    """
    import torch
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([4.0, -1.0], requires_grad=True)
    c = a * b
    c.sum().backward()
    print(c, a.grad, b.grad)
""",
)

program(
    "op_mul_broadcast_3d",
    """
    import torch
    a = torch.ones(2, 1, 3, requires_grad=True)
    b = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    c = a * b
    print(c.shape)
    c.sum().backward()
    print(a.grad)
    print(b.grad)
""",
)

program(
    "op_div_tensors",
    """
    import torch
    a = torch.tensor([1.0, 4.0, 9.0], requires_grad=True)
    b = torch.tensor([2.0, 4.0, 3.0], requires_grad=True)
    c = a / b
    c.sum().backward()
    print(c)
    print(a.grad, b.grad)
""",
)

program(
    "op_div_by_scalar_and_broadcast",
    """
    import torch
    M = torch.tensor([[2.0, 4.0], [6.0, 8.0]], requires_grad=True)
    d = torch.tensor([2.0, 0.5], requires_grad=True)
    y = M / d / 2
    y.sum().backward()
    print(y)
    print(M.grad, d.grad)
""",
)

program(
    "op_pow_scalar_exponent",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x ** 2
    z = x ** 0.5
    w = x.pow(3)
    v = torch.pow(x, -1)
    (y + z + w + v).sum().backward()
    print(y, z, w, v, sep="\\n")
    print(x.grad)
""",
)

program(
    "op_pow_tensor_exponent",
    """
    import torch
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([3.0, 2.0], requires_grad=True)
    c = a ** b
    c.sum().backward()
    print(c)
    print(a.grad, b.grad)
""",
)

program(
    "op_neg",
    """
    import torch
    x = torch.tensor([1.0, -2.0], requires_grad=True)
    y = -x
    z = torch.neg(x * 2)
    (y + z).sum().backward()
    print(y, z, x.grad)
""",
)

program(
    "op_reflected_scalars",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
    a = 2 - x
    b = 2 / x
    c = 2 ** x
    d = 3 * x
    e = 1 + x
    print(a, b, c, d, e, sep="\\n")
    (a + b + c + d + e).sum().backward()
    print(x.grad)
""",
)

program(
    "op_reflected_0d",
    """
    import torch
    x = torch.tensor(0.5, requires_grad=True)
    y = 1 - x
    y.backward()
    print(y, x.grad)
    z = 1 / x
    z.backward()
    print(z, x.grad)
""",
)

program(
    "op_operations_with_constant_tensor",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    c = torch.tensor([3.0, 5.0])
    y = x * c + c / x - c
    y.sum().backward()
    print(y, x.grad, c.grad)
""",
)

program(
    "op_chain_of_arithmetic",
    """
    import torch
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(-3.0, requires_grad=True)
    c = torch.tensor(10.0, requires_grad=True)
    e = a * b
    d = e + c
    f = torch.tensor(-2.0, requires_grad=True)
    L = d * f
    L.backward()
    print(L, a.grad, b.grad, c.grad, f.grad)
""",
)

# ---------------------------------------------------------------- unary functions

program(
    "op_exp_both_forms",
    """
    import torch
    x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
    a = torch.exp(x)
    b = x.exp()
    (a + b).sum().backward()
    print(a, b, x.grad, sep="\\n")
""",
)

program(
    "op_exp_0d_and_2d",
    """
    import torch
    s = torch.tensor(2.0, requires_grad=True)
    m = torch.tensor([[0.5, -0.5], [1.5, 0.0]], requires_grad=True)
    y = s.exp()
    z = torch.exp(m)
    y.backward()
    z.sum().backward()
    print(y, z, s.grad, m.grad, sep="\\n")
""",
)

program(
    "op_log_both_forms",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
    a = torch.log(x)
    b = x.log()
    (a * b).sum().backward()
    print(a, b, x.grad, sep="\\n")
""",
)

program(
    "op_sqrt_both_forms",
    """
    import torch
    x = torch.tensor([[1.0, 4.0], [9.0, 2.0]], requires_grad=True)
    a = torch.sqrt(x)
    b = x.sqrt()
    (a + b).sum().backward()
    print(a, x.grad, sep="\\n")
""",
)

program(
    "op_abs_both_forms",
    """
    import torch
    x = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    a = torch.abs(x)
    b = x.abs()
    (a + 2 * b).sum().backward()
    print(a, x.grad)
""",
)

program(
    "op_sin_cos",
    """
    import torch
    x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
    s = torch.sin(x)
    c = x.cos()
    (s * c).sum().backward()
    print(s, c, x.grad, sep="\\n")
""",
)

program(
    "op_sin_cos_0d",
    """
    import torch
    t = torch.tensor(0.7, requires_grad=True)
    y = t.sin() ** 2 + torch.cos(t) ** 2
    y.backward()
    print(y, t.grad)
""",
)

program(
    "op_tanh_both_forms",
    """
    import torch
    x = torch.tensor([-1.0, 0.0, 0.5, 3.0], requires_grad=True)
    a = torch.tanh(x)
    b = x.tanh()
    (a + b).sum().backward()
    print(a, x.grad)
""",
)

program(
    "op_sigmoid_both_forms",
    """
    import torch
    x = torch.tensor([[-2.0, 0.0], [1.0, 5.0]], requires_grad=True)
    a = torch.sigmoid(x)
    b = x.sigmoid()
    (a * b).sum().backward()
    print(a, x.grad, sep="\\n")
""",
)

program(
    "op_relu_both_forms",
    """
    import torch
    x = torch.tensor([-1.0, 0.0, 2.0, -3.5, 4.0], requires_grad=True)
    a = torch.relu(x)
    b = x.relu()
    (a * 3 + b).sum().backward()
    print(a, x.grad)
""",
)

program(
    "op_relu_at_zero_and_0d",
    """
    import torch
    z = torch.tensor(0.0, requires_grad=True)
    y = z.relu()
    y.backward()
    print(y, z.grad)
    n = torch.tensor(-2.0, requires_grad=True)
    m = torch.relu(n) * 5
    m.backward()
    print(m, n.grad)
""",
)

program(
    "op_clamp_min_max",
    """
    import torch
    x = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
    a = torch.clamp(x, min=0)
    b = x.clamp(-1, 1)
    c = x.clamp(max=1.0)
    (a + b + c).sum().backward()
    print(a, b, c, x.grad, sep="\\n")
""",
)

program(
    "op_clamp_at_boundary",
    """
    import torch
    x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    y = x.clamp(min=-1.0, max=1.0)
    y.sum().backward()
    print(y, x.grad)
""",
)

program(
    "op_maximum_minimum",
    """
    import torch
    a = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)
    b = torch.tensor([4.0, 2.0, 3.0], requires_grad=True)
    mx = torch.maximum(a, b)
    mn = torch.minimum(a, b)
    (mx + 2 * mn).sum().backward()
    print(mx, mn)
    print(a.grad, b.grad)
""",
)

program(
    "op_maximum_broadcast",
    """
    import torch
    M = torch.tensor([[1.0, -1.0], [0.5, 3.0]], requires_grad=True)
    z = torch.tensor([0.0, 2.0], requires_grad=True)
    y = torch.maximum(M, z)
    y.sum().backward()
    print(y)
    print(M.grad, z.grad)
""",
)

program(
    "op_where",
    """
    import torch
    x = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    y = torch.tensor([10.0, 20.0, 30.0, 40.0], requires_grad=True)
    w = torch.where(x > 0, x, y)
    (w * w).sum().backward()
    print(w)
    print(x.grad, y.grad)
""",
)

program(
    "op_where_broadcast_scalar",
    """
    import torch
    x = torch.tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    y = torch.where(x > 0, x, torch.zeros(1))
    y.sum().backward()
    print(y)
    print(x.grad)
""",
)

# ---------------------------------------------------------------- reductions

program(
    "op_sum_all_and_dim",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    a = x.sum()
    b = x.sum(dim=0)
    c = torch.sum(x, 1)
    d = x.sum(dim=1, keepdim=True)
    print(a, b, c, d, sep="\\n")
    (a + b.sum() + (c * c).sum() + d.sum()).backward()
    print(x.grad)
""",
)

program(
    "op_sum_negative_dim_and_tuple",
    """
    import torch
    x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
    a = x.sum(-1)
    b = x.sum(dim=(0, 2))
    print(a)
    print(b)
    (a.sum() + b.sum()).backward()
    print(x.grad.shape, x.grad[0, 0])
""",
)

program(
    "op_mean_all_and_dim",
    """
    import torch
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    a = x.mean()
    b = x.mean(dim=0)
    c = torch.mean(x, dim=1, keepdim=True)
    print(a, b, c, sep="\\n")
    (a + b.sum() + c.sum()).backward()
    print(x.grad)
""",
)

program(
    "op_mean_0d_and_1d",
    """
    import torch
    s = torch.tensor(4.0, requires_grad=True)
    v = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    m = s.mean()
    n = v.mean()
    (m + n).backward()
    print(m, n, s.grad, v.grad)
""",
)

program(
    "op_max_min_all",
    """
    import torch
    x = torch.tensor([[1.0, 7.0], [3.0, -2.0]], requires_grad=True)
    mx = x.max()
    mn = torch.min(x)
    (mx - mn).backward()
    print(mx, mn)
    print(x.grad)
""",
)

program(
    "op_max_all_with_ties",
    """
    import torch
    x = torch.tensor([3.0, 1.0, 3.0], requires_grad=True)
    m = x.max()
    m.backward()
    print(m, x.grad)
""",
)

program(
    "op_max_along_dim",
    """
    import torch
    x = torch.tensor([[1.0, 7.0, 3.0], [4.0, 2.0, 9.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    print(values, indices)
    values.sum().backward()
    print(x.grad)
""",
)

program(
    "op_min_along_dim_keepdim",
    """
    import torch
    x = torch.tensor([[1.0, 7.0, 3.0], [4.0, 2.0, 9.0]], requires_grad=True)
    v, i = torch.min(x, dim=0, keepdim=True)
    print(v, i)
    (v * 2).sum().backward()
    print(x.grad)
""",
)

program(
    "op_max_along_dim_printed",
    """
    import torch
    x = torch.tensor([[1.0, 5.0], [6.0, 2.0]], requires_grad=True)
    r = x.max(dim=0)
    print(r)
    print(r.values, r.indices)
    print(r[0])
""",
)

program(
    "op_prod",
    """
    import torch
    x = torch.tensor([2.0, 3.0, 4.0], requires_grad=True)
    p = x.prod()
    p.backward()
    print(p, x.grad)
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    q = torch.prod(m, dim=1)
    q.sum().backward()
    print(q, m.grad)
""",
)

program(
    "op_prod_with_zero",
    """
    import torch
    x = torch.tensor([2.0, 0.0, 5.0], requires_grad=True)
    p = x.prod()
    p.backward()
    print(p, x.grad)
""",
)

# ---------------------------------------------------------------- matrix products

program(
    "op_matmul_2d_2d",
    """
    import torch
    A = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    B = torch.tensor([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]], requires_grad=True)
    C = torch.matmul(A, B)
    C.sum().backward()
    print(C)
    print(A.grad)
    print(B.grad)
""",
)

program(
    "op_matmul_operator",
    """
    import torch
    x = torch.tensor([[1.0, 2.0]], requires_grad=True)
    W = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, 1.0]], requires_grad=True)
    y = x @ W
    (y ** 2).sum().backward()
    print(y)
    print(x.grad)
    print(W.grad)
""",
)

program(
    "op_mm",
    """
    import torch
    A = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    B = torch.tensor([[2.0, 0.0], [1.0, 3.0]], requires_grad=True)
    C = torch.mm(A, B)
    D = A.mm(B)
    (C + D).sum().backward()
    print(C)
    print(A.grad, B.grad, sep="\\n")
""",
)

program(
    "op_mv",
    """
    import torch
    M = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    v = torch.tensor([1.0, 0.5, -1.0], requires_grad=True)
    y = torch.mv(M, v)
    z = M.mv(v)
    (y + z).sum().backward()
    print(y)
    print(M.grad)
    print(v.grad)
""",
)

program(
    "op_dot",
    """
    import torch
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    d = torch.dot(a, b)
    e = a.dot(b)
    (d + e).backward()
    print(d, a.grad, b.grad)
""",
)

program(
    "op_matmul_1d_1d",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    c = a @ b
    c.backward()
    print(c, a.grad, b.grad)
""",
)

program(
    "op_matmul_2d_1d",
    """
    import torch
    M = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    v = torch.tensor([1.0, -1.0], requires_grad=True)
    y = torch.matmul(M, v)
    y.sum().backward()
    print(y)
    print(M.grad, v.grad)
""",
)

program(
    "op_matmul_1d_2d",
    """
    import torch
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    M = torch.tensor([[1.0, 0.0, 1.0], [2.0, 1.0, 0.0]], requires_grad=True)
    y = v @ M
    y.sum().backward()
    print(y)
    print(v.grad)
    print(M.grad)
""",
)

program(
    "op_matmul_batched_3d",
    """
    import torch
    A = torch.arange(12.0).reshape(2, 2, 3).requires_grad_()
    B = torch.ones(3, 2, requires_grad=True)
    C = A @ B
    C.sum().backward()
    print(C)
    print(A.grad)
    print(B.grad)
""",
)

program(
    "op_linear_layer_by_hand",
    """
    import torch
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
    W = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], requires_grad=True)
    b = torch.tensor([0.01, 0.02, 0.03], requires_grad=True)
    out = X @ W + b
    loss = out.pow(2).mean()
    loss.backward()
    print(out)
    print(loss)
    print(W.grad)
    print(b.grad)
""",
)

# ---------------------------------------------------------------- shapes

program(
    "op_t_transpose_T",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    a = x.t()
    b = torch.transpose(x, 0, 1)
    c = x.T
    d = x.transpose(1, 0)
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    ((a + b + c + d) * w).sum().backward()
    print(a)
    print(x.grad)
""",
)

program(
    "op_t_of_vector",
    """
    import torch
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = v.t()
    print(w, w.shape)
    (w * 2).sum().backward()
    print(v.grad)
""",
)

program(
    "op_reshape_view",
    """
    import torch
    x = torch.arange(6.0, requires_grad=True)
    a = x.reshape(2, 3)
    b = x.view(3, 2)
    c = torch.reshape(x, (3, -1))
    d = a.view(-1)
    print(a, b, c, d, sep="\\n")
    (a.sum() + (b * b).sum() + c.sum() + d.sum()).backward()
    print(x.grad)
""",
)

program(
    "op_reshape_requires_grad_chain",
    """
    import torch
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    f = m.reshape(4)
    g = f * torch.tensor([1.0, 2.0, 3.0, 4.0])
    h = g.view(2, 2).sum(dim=0)
    h.sum().backward()
    print(h, m.grad)
""",
)

program(
    "op_squeeze_unsqueeze",
    """
    import torch
    x = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    s = x.squeeze()
    s1 = x.squeeze(1)
    s0 = torch.squeeze(x, 0)
    u = s.unsqueeze(0)
    u1 = torch.unsqueeze(s, 1)
    print(s.shape, s1.shape, s0.shape, u.shape, u1.shape)
    (s + s1 + u.sum() + u1.sum() + s0.sum()).sum().backward()
    print(x.grad)
""",
)

program(
    "op_flatten",
    """
    import torch
    x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
    a = x.flatten()
    b = torch.flatten(x, 1)
    c = x.flatten(0, 1)
    print(a.shape, b.shape, c.shape)
    (a.sum() + b.sum() + c.sum()).backward()
    print(x.grad[1])
""",
)

program(
    "op_index_int_and_slices",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    a = x[0]
    b = x[1, 2]
    c = x[:, 1]
    d = x[:, 1:]
    e = x[-1]
    f = x[0, ::2]
    print(a, b, c, d, e, f, sep="\\n")
    (a.sum() + b + c.sum() + d.sum() + e.sum() + f.sum()).backward()
    print(x.grad)
""",
)

program(
    "op_index_none_and_ellipsis",
    """
    import torch
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = v[None]
    b = v[:, None]
    c = v[None, 1:]
    print(a.shape, b.shape, c.shape)
    (a.sum() + (b * b).sum() + c.sum()).backward()
    print(v.grad)
""",
)

program(
    "op_index_vector_elements",
    """
    import torch
    x = torch.tensor([2.0, 3.0, 4.0], requires_grad=True)
    y = x[0] * x[1] + x[2]
    y.backward()
    print(y, x.grad)
    print(x[0], x[1:])
""",
)

program(
    "op_cat",
    """
    import torch
    a = torch.tensor([[1.0, 2.0]], requires_grad=True)
    b = torch.tensor([[3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    c = torch.cat([a, b])
    d = torch.cat((b, b), dim=1)
    print(c)
    print(d)
    (c * c).sum().backward()
    d.sum().backward()
    print(a.grad)
    print(b.grad)
""",
)

program(
    "op_cat_1d",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    c = torch.cat([a, b, a])
    (c * torch.arange(5.0)).sum().backward()
    print(c, a.grad, b.grad)
""",
)

program(
    "op_stack",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    s0 = torch.stack([a, b])
    s1 = torch.stack((a, b), dim=1)
    print(s0)
    print(s1)
    (s0 * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    s1.sum().backward()
    print(a.grad, b.grad)
""",
)

program(
    "op_stack_0d",
    """
    import torch
    x = torch.tensor(1.0, requires_grad=True)
    y = torch.tensor(2.0, requires_grad=True)
    v = torch.stack([x, y, x * y])
    (v ** 2).sum().backward()
    print(v, x.grad, y.grad)
""",
)

# ---------------------------------------------------------------- softmax and losses

program(
    "op_softmax_forms",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
    a = torch.softmax(x, dim=1)
    b = x.softmax(dim=-1)
    c = F.softmax(x, dim=0)
    print(a, b, c, sep="\\n")
    (a[:, 0].sum() + b[0, 2] + c[1, 1]).backward()
    print(x.grad)
""",
)

program(
    "op_softmax_1d",
    """
    import torch
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    p = torch.softmax(x, dim=0)
    loss = -torch.log(p[2])
    loss.backward()
    print(p, loss, x.grad, sep="\\n")
""",
)

program(
    "op_log_softmax_forms",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]], requires_grad=True)
    a = torch.log_softmax(x, dim=1)
    b = F.log_softmax(x, dim=1)
    c = x.log_softmax(dim=0)
    print(a, c, sep="\\n")
    (a * torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])).sum().backward()
    (b.sum() + c.sum()).backward()
    print(x.grad)
""",
)

program(
    "op_F_activations",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
    r = F.relu(x)
    s = F.sigmoid(x)
    t = F.tanh(x)
    print(r, s, t, sep="\\n")
    (r + s + t).sum().backward()
    print(x.grad)
""",
)

program(
    "op_F_mse_loss",
    """
    import torch
    import torch.nn.functional as F
    pred = torch.tensor([2.5, 0.0, 2.0, 8.0], requires_grad=True)
    target = torch.tensor([3.0, -0.5, 2.0, 7.0])
    loss = F.mse_loss(pred, target)
    loss.backward()
    print(loss, pred.grad)
""",
)

program(
    "op_F_mse_loss_reductions_2d",
    """
    import torch
    import torch.nn.functional as F
    pred = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    target = torch.tensor([[1.5, 2.0], [2.0, 5.0]])
    s = F.mse_loss(pred, target, reduction='sum')
    n = F.mse_loss(pred, target, reduction='none')
    print(s)
    print(n)
    (s + n.sum()).backward()
    print(pred.grad)
""",
)

program(
    "op_F_binary_cross_entropy",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    p = torch.sigmoid(logits)
    y = torch.tensor([1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(p, y)
    loss.backward()
    print(p)
    print(loss, logits.grad)
""",
)

program(
    "op_F_binary_cross_entropy_direct",
    """
    import torch
    import torch.nn.functional as F
    p = torch.tensor([[0.9, 0.2], [0.4, 0.6]], requires_grad=True)
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    loss = F.binary_cross_entropy(p, y)
    s = F.binary_cross_entropy(p, y, reduction='sum')
    (loss + s).backward()
    print(loss, s)
    print(p.grad)
""",
)

program(
    "op_F_cross_entropy",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], requires_grad=True)
    target = torch.tensor([0, 1])
    loss = F.cross_entropy(logits, target)
    loss.backward()
    print(loss)
    print(logits.grad)
""",
)

program(
    "op_F_cross_entropy_sum_and_1d",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([[0.0, 1.0], [3.0, -1.0], [0.2, 0.2]], requires_grad=True)
    target = torch.tensor([1, 1, 0])
    total = F.cross_entropy(logits, target, reduction='sum')
    total.backward()
    print(total, logits.grad, sep="\\n")
    z = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
    one = F.cross_entropy(z, torch.tensor(1))
    one.backward()
    print(one, z.grad)
""",
)

program(
    "op_manual_cross_entropy",
    """
    import torch
    logits = torch.tensor([[1.0, 2.0, 0.5]], requires_grad=True)
    probs = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
    loss = -probs[0, 1].log()
    loss.backward()
    print(probs)
    print(loss, logits.grad)
""",
)

# ---------------------------------------------------------------- autograd rules

program(
    "rg_requires_grad_propagation",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0])
    c = a + b
    d = b * 2
    e = d + c
    print(c.requires_grad, d.requires_grad, e.requires_grad)
    print(a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf, e.is_leaf)
    print(d.grad_fn, e.grad_fn)
""",
)

program(
    "rg_non_leaf_grad_is_none",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y.sum()
    z.backward()
    print(y.grad, z.grad)
    print(x.grad)
""",
)

program(
    "rg_retain_grad_on_intermediate",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = x ** 2
    y.retain_grad()
    z = 2 * y + 1
    z.retain_grad()
    z.backward()
    print(x.grad, y.grad, z.grad)
""",
)

program(
    "rg_accumulation_across_backwards",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    print(x.grad)
    (x * x).sum().backward()
    print(x.grad)
    (x * 3).sum().backward()
    print(x.grad)
""",
)

program(
    "rg_fanout_x_times_x",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = x * x
    y.backward()
    print(y, x.grad)
""",
)

program(
    "rg_fanout_x_plus_x",
    """
    import torch
    x = torch.tensor([1.0, -2.0], requires_grad=True)
    y = x + x
    y.sum().backward()
    print(y, x.grad)
""",
)

program(
    "rg_diamond_relu",
    """
    import torch
    a = torch.tensor(3.0, requires_grad=True)
    y = a.relu()
    z = y * y
    z.backward()
    print(z, a.grad)
""",
)

program(
    "rg_diamond_deeper",
    """
    import torch
    a = torch.tensor(2.0, requires_grad=True)
    b = a * 3
    c = b + b
    d = c * b
    e = d + a
    e.backward()
    print(b, c, d, e)
    print(a.grad)
""",
)

program(
    "rg_micrograd_expression",
    """
    import torch
    a = torch.tensor(-4.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    print(g)
    print(a.grad, b.grad)
""",
)

program(
    "rg_retain_graph_then_second_backward",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    print(x.grad)
    y.backward()
    print(x.grad)
""",
)

program(
    "rg_backward_twice_mul_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    print(x.grad)
    y.backward()
    print(x.grad)
""",
)

program(
    "rg_backward_twice_exp_error",
    """
    import torch
    x = torch.tensor(1.0, requires_grad=True)
    y = x.exp()
    y.backward()
    y.backward()
""",
)

program(
    "rg_backward_twice_add_works",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    y = (x + b).sum()
    y.backward()
    y.backward()
    print(x.grad, b.grad)
""",
)

program(
    "rg_backward_twice_add_scalar_works",
    """
    import torch
    x = torch.tensor(5.0, requires_grad=True)
    y = x + 1
    y.backward()
    y.backward()
    y.backward()
    print(x.grad)
""",
)

program(
    "rg_backward_three_times_retain_once",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x * x
    y.backward(retain_graph=True)
    y.backward()
    print(x.grad)
    y.backward()
""",
)

program(
    "rg_vector_jacobian_product",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = torch.tensor([0.1, 1.0, 0.0001])
    y.backward(gradient=v)
    print(x.grad)
""",
)

program(
    "rg_vjp_positional_2d",
    """
    import torch
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x ** 2
    y.backward(torch.tensor([[1.0, 0.0], [0.5, 2.0]]))
    print(x.grad)
""",
)

program(
    "rg_vjp_ones_like",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp() * x
    y.backward(torch.ones_like(y))
    print(y, x.grad)
""",
)

program(
    "rg_backward_scalar_with_gradient",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = x * x
    y.backward(torch.tensor(2.0))
    print(x.grad)
""",
)

program(
    "rg_no_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
        print(torch.is_grad_enabled())
    print(y, y.requires_grad, y.grad_fn, y.is_leaf)
    print(torch.is_grad_enabled())
    z = x * 2
    print(z.requires_grad)
""",
)

program(
    "rg_enable_grad_inside_no_grad",
    """
    import torch
    x = torch.tensor(1.0, requires_grad=True)
    with torch.no_grad():
        a = x * 2
        with torch.enable_grad():
            b = x * 2
        c = x * 3
    print(a.requires_grad, b.requires_grad, c.requires_grad)
    b.backward()
    print(x.grad)
""",
)

program(
    "rg_set_grad_enabled",
    """
    import torch
    x = torch.tensor([1.0], requires_grad=True)
    with torch.set_grad_enabled(False):
        a = x + 1
    with torch.set_grad_enabled(True):
        b = x + 1
    torch.set_grad_enabled(False)
    c = x + 1
    torch.set_grad_enabled(True)
    d = x + 1
    print(a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad)
""",
)

program(
    "rg_no_grad_decorator",
    """
    import torch
    @torch.no_grad()
    def double(t):
        return t * 2
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = double(x)
    print(y, y.requires_grad)
""",
)

program(
    "rg_detach_stops_gradient",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x
    z = y.detach() * x
    z.backward()
    print(z, x.grad)
""",
)

program(
    "rg_detach_then_requires_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).detach().requires_grad_()
    z = (y * y).sum()
    z.backward()
    print(y.is_leaf, y.grad, x.grad)
""",
)

program(
    "rg_leaf_inplace_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x += 1
""",
)

program(
    "rg_leaf_inplace_method_error",
    """
    import torch
    w = torch.tensor([0.5], requires_grad=True)
    w.mul_(2)
""",
)

program(
    "rg_leaf_inplace_under_no_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with torch.no_grad():
        x.add_(1)
        print(x)
        x.sub_(0.5)
        x.mul_(2)
        x.div_(4)
    print(x, x.is_leaf, x.requires_grad, x.grad_fn)
    with torch.no_grad():
        x.fill_(7.0)
    print(x)
    with torch.no_grad():
        x.zero_()
    print(x)
""",
)

program(
    "rg_leaf_augmented_assign_under_no_grad",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        w += 1
        w -= 0.5
        w *= 4
        w /= 2
    print(w)
    (w * w).sum().backward()
    print(w.grad)
""",
)

program(
    "rg_inplace_on_non_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y += 1
    print(y)
    y *= 3
    print(y, y.is_leaf)
    y.sum().backward()
    print(x.grad)
""",
)

program(
    "rg_inplace_methods_on_non_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x + 0
    y.add_(1)
    y.mul_(x)
    y.sub_(2)
    y.div_(2)
    print(y)
    y.sum().backward()
    print(x.grad)
""",
)

program(
    "rg_zero_and_fill_non_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.zero_()
    print(y)
    z = x * 3
    z.fill_(5.0)
    print(z)
    (y + z + x).sum().backward()
    print(x.grad)
""",
)

program(
    "rg_inplace_modifies_saved_output_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    print(y)
    y.sum().backward()
""",
)

program(
    "rg_inplace_modifies_saved_input_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    b = a * a
    a.mul_(3)
    b.sum().backward()
""",
)

program(
    "rg_inplace_modifies_saved_leaf_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    with torch.no_grad():
        x.mul_(2)
    y.sum().backward()
""",
)

program(
    "rg_inplace_augmented_on_saved_error",
    """
    import torch
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    h = w.sigmoid()
    h *= 2
    h.sum().backward()
""",
)

program(
    "rg_inplace_on_unsaved_tensor_is_fine",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1
    z = y.sum()
    y.mul_(10)
    z.backward()
    print(y, x.grad)
""",
)

program(
    "rg_sgd_loop_scalar",
    """
    import torch
    w = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    xs = torch.tensor([1.0, 2.0, 3.0])
    ys = torch.tensor([3.0, 5.0, 7.0])
    lr = 0.05
    for step in range(5):
        pred = w * xs + b
        loss = ((pred - ys) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        print(step, loss.item())
    print(w, b)
""",
)

program(
    "rg_sgd_loop_matrix",
    """
    import torch
    X = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0], [0.0, 1.0]])
    y = torch.tensor([[5.0], [4.0], [9.0], [2.0]])
    W = torch.zeros(2, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for i in range(10):
        loss = ((X @ W + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            W -= 0.02 * W.grad
            b -= 0.02 * b.grad
            W.grad.zero_()
            b.grad.zero_()
    print(loss)
    print(W)
    print(b)
""",
)

program(
    "rg_sgd_loop_forgetting_zero_grad",
    """
    import torch
    w = torch.tensor(0.0, requires_grad=True)
    for i in range(3):
        loss = (w - 2) ** 2
        loss.backward()
        print(w.grad)
        with torch.no_grad():
            w -= 0.1 * w.grad
    print(w)
""",
)

program(
    "rg_sgd_loop_with_data_update",
    """
    import torch
    W = torch.tensor([[0.5, -0.5]], requires_grad=True)
    x = torch.tensor([[1.0], [2.0]])
    target = torch.tensor([[1.0]])
    for _ in range(4):
        out = W @ x
        loss = (out - target).pow(2).sum()
        loss.backward()
        W.data -= 0.1 * W.grad.data
        W.grad.data.zero_()
    print(W, loss)
""",
)

program(
    "rg_sgd_mse_loss_loop",
    """
    import torch
    import torch.nn.functional as F
    x = torch.linspace(-1, 1, 5)
    y = 3 * x - 1
    a = torch.tensor(0.0, requires_grad=True)
    c = torch.tensor(0.0, requires_grad=True)
    for epoch in range(6):
        loss = F.mse_loss(a * x + c, y)
        loss.backward()
        with torch.no_grad():
            a -= 0.2 * a.grad
            c -= 0.2 * c.grad
            a.grad.zero_()
            c.grad.zero_()
    print(a, c, loss)
""",
)

program(
    "rg_sgd_logistic_regression",
    """
    import torch
    import torch.nn.functional as F
    X = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    t = torch.tensor([1.0, 1.0, 1.0, 0.0])
    w = torch.zeros(2, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for step in range(5):
        p = torch.sigmoid(X.mv(w) + b)
        loss = F.binary_cross_entropy(p, t)
        loss.backward()
        with torch.no_grad():
            w -= 1.0 * w.grad
            b -= 1.0 * b.grad
        w.grad.zero_()
        b.grad.zero_()
    print(loss)
    print(w, b)
""",
)

program(
    "rg_two_layer_network_step",
    """
    import torch
    import torch.nn.functional as F
    X = torch.tensor([[0.5, -1.0], [1.5, 2.0], [-0.5, 0.0]])
    labels = torch.tensor([0, 1, 1])
    W1 = torch.tensor([[0.1, 0.2, -0.1], [0.3, -0.2, 0.4]], requires_grad=True)
    b1 = torch.zeros(3, requires_grad=True)
    W2 = torch.tensor([[0.2, -0.3], [0.1, 0.5], [-0.4, 0.2]], requires_grad=True)
    h = torch.relu(X @ W1 + b1)
    logits = h @ W2
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    print(loss)
    print(W1.grad)
    print(b1.grad)
    print(W2.grad)
""",
)

program(
    "rg_autograd_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    g = torch.autograd.grad(y, x)
    print(g)
    print(x.grad)
""",
)

program(
    "rg_autograd_backward_function",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    torch.autograd.backward(y)
    print(x.grad)
""",
)

program(
    "rg_results_without_grad_are_leaves",
    """
    import torch
    a = torch.tensor([1.0, 2.0])
    b = a * 2
    c = b.sum()
    print(b.is_leaf, c.is_leaf, b.requires_grad, b.grad_fn)
    x = torch.tensor(1.0, requires_grad=True)
    with torch.no_grad():
        y = x * 2
    print(y.is_leaf, y.requires_grad)
""",
)

program(
    "rg_grad_of_constant_input_is_none",
    """
    import torch
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    x = torch.tensor([1.0, 4.0])
    y = (w * x).sum()
    y.backward()
    print(w.grad, x.grad)
""",
)

program(
    "rg_partial_graph_requires_grad",
    """
    import torch
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    c = torch.tensor(3.0, requires_grad=True)
    y = a * b
    z = b * c
    y.backward()
    print(a.grad, b.grad, c.grad)
    z.backward()
    print(a.grad, b.grad, c.grad)
""",
)

program(
    "rg_grad_flows_through_indexing_assignments",
    """
    import torch
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2
    first = y[0]
    last = y[-1]
    out = first * last
    out.backward()
    print(out, w.grad)
""",
)

program(
    "rg_tensor_bool_ambiguous_error",
    """
    import torch
    x = torch.tensor([1.0, -1.0])
    if x[0] > 0:
        print("positive")
    if x > 0:
        print("all positive")
""",
)

# ---------------------------------------------------------------- errors

program(
    "err_backward_non_scalar",
    """
    import torch
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 2
    print(y)
    y.backward()
    print("unreachable")
""",
)

program(
    "err_backward_without_grad",
    """
    import torch
    x = torch.tensor(2.0)
    y = x * 3
    y.backward()
""",
)

program(
    "err_backward_of_no_grad_result",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    with torch.no_grad():
        y = x * 3
    y.backward()
""",
)

program(
    "err_backward_on_detached",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum().detach()
    loss.backward()
""",
)

program(
    "err_broadcast_add_mismatch",
    """
    import torch
    a = torch.ones(2, 3)
    b = torch.ones(2)
    c = a + b
""",
)

program(
    "err_broadcast_mul_mismatch_requires_grad",
    """
    import torch
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0])
    s = a.sum()
    c = a * b
""",
)

program(
    "err_broadcast_2d_mismatch",
    """
    import torch
    a = torch.ones(3, 4)
    b = torch.ones(4, 3)
    c = a - b
""",
)

program(
    "err_mm_shape_mismatch",
    """
    import torch
    A = torch.ones(2, 3)
    B = torch.ones(2, 3)
    C = torch.mm(A, B)
""",
)

program(
    "err_matmul_shape_mismatch",
    """
    import torch
    x = torch.ones(4, 3, requires_grad=True)
    W = torch.ones(4, 2)
    y = x @ W
""",
)

program(
    "err_matmul_2d_1d_mismatch",
    """
    import torch
    M = torch.ones(2, 3)
    v = torch.ones(2)
    y = torch.matmul(M, v)
""",
)

program(
    "err_mv_mismatch",
    """
    import torch
    M = torch.ones(2, 3)
    v = torch.ones(2)
    y = torch.mv(M, v)
""",
)

program(
    "err_dot_mismatch",
    """
    import torch
    a = torch.tensor([1.0, 2.0, 3.0])
    b = torch.tensor([1.0, 2.0])
    d = torch.dot(a, b)
""",
)

program(
    "err_dot_2d",
    """
    import torch
    a = torch.ones(2, 2)
    d = torch.dot(a, a)
""",
)

program(
    "err_mm_of_vector",
    """
    import torch
    v = torch.ones(3)
    M = torch.ones(3, 3)
    y = torch.mm(v, M)
""",
)

program(
    "err_matmul_1d_1d_mismatch",
    """
    import torch
    a = torch.ones(3)
    b = torch.ones(4)
    c = a @ b
""",
)

program(
    "err_backward_gradient_wrong_shape",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.backward(torch.tensor([1.0, 1.0]))
""",
)

program(
    "err_backward_gradient_wrong_shape_2d",
    """
    import torch
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 1
    y.backward(gradient=torch.ones(4))
""",
)

program(
    "err_view_invalid_size",
    """
    import torch
    x = torch.arange(6.0)
    y = x.view(4)
""",
)

program(
    "err_reshape_invalid_size",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.reshape(4, 2)
""",
)

program(
    "err_cat_size_mismatch",
    """
    import torch
    a = torch.ones(1, 2)
    b = torch.ones(1, 3)
    c = torch.cat([a, b])
""",
)

program(
    "err_stack_size_mismatch",
    """
    import torch
    a = torch.ones(2)
    b = torch.ones(3)
    c = torch.stack([a, b])
""",
)

program(
    "err_index_out_of_range",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0])
    y = x[5]
""",
)

program(
    "err_dim_out_of_range",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.sum(dim=2)
""",
)

program(
    "err_state_kept_until_error",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0])
    y = w * x
    loss = y.sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    z = w @ torch.ones(3)
    print("unreachable")
    after = torch.zeros(1)
""",
)

program(
    "err_after_partial_loop",
    """
    import torch
    w = torch.tensor(1.0, requires_grad=True)
    for i in range(3):
        loss = (w * 2) ** 2
        loss.backward()
        print(i, w.grad)
    loss.backward()
""",
)

program(
    "err_variable_int_requires_grad",
    """
    import torch
    from torch.autograd import Variable
    v = Variable(torch.tensor([1, 2]), requires_grad=True)
""",
)

program(
    "err_zeros_int_requires_grad",
    """
    import torch
    z = torch.zeros(3, dtype=torch.int64, requires_grad=True)
""",
)

program(
    "err_leaf_inplace_sub",
    """
    import torch
    W = torch.tensor([[1.0, 2.0]], requires_grad=True)
    W.grad = torch.tensor([[0.5, 0.5]])
    W -= 0.1 * W.grad
""",
)

program(
    "err_leaf_zero_requires_grad",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.zero_()
""",
)


# ---------------------------------------------------------------- more of what learners write

program(
    "more_reductions_on_0d_tensor",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    a = x.sum(dim=0)
    b = x.mean(0, keepdim=True)
    c = torch.softmax(x, dim=0)
    d = x.max(dim=0).values
    print(a, b, c, d)
    (a + b + c + d).backward()
    print(x.grad)
""",
)

program(
    "more_sum_axis_keepdims_aliases",
    """
    import torch
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    a = x.sum(axis=0)
    b = x.sum(1, keepdims=True)
    print(a, b)
    (a.sum() + b.sum()).backward()
    print(x.grad)
""",
)

program(
    "more_torch_max_of_two_tensors",
    """
    import torch
    a = torch.tensor([1.0, 5.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 2.0, 2.0], requires_grad=True)
    m = torch.max(a, b)
    n = torch.min(a, b)
    (m * 2 + n).sum().backward()
    print(m, n)
    print(a.grad, b.grad)
""",
)

program(
    "more_maximum_ties_split_gradient",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 3.0], requires_grad=True)
    m = torch.maximum(a, b)
    m.sum().backward()
    print(a.grad, b.grad)
""",
)

program(
    "more_min_along_dim_ties",
    """
    import torch
    x = torch.tensor([[2.0, 1.0, 1.0], [0.0, 0.0, 5.0]], requires_grad=True)
    v, i = x.min(dim=1)
    v.sum().backward()
    print(v, i)
    print(x.grad)
""",
)

program(
    "more_matmul_mixed_dtype_error",
    """
    import torch
    a = torch.tensor([[1.0, 2.0]])
    b = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    c = a @ b
""",
)

program(
    "more_dot_mixed_dtype_error",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], dtype=torch.float64)
    c = torch.dot(a, b)
""",
)

program(
    "more_unary_float_ops_on_int_tensors",
    """
    import torch
    i = torch.tensor([1, 4, 9])
    print(torch.sqrt(i))
    print(torch.exp(torch.tensor([0, 1])))
    print(i.sigmoid())
    print(torch.log(i))
    print(i.abs(), torch.relu(torch.tensor([-1, 2])))
    print(torch.tensor([-3, 3]).clamp(min=0))
""",
)

program(
    "more_int_pow",
    """
    import torch
    i = torch.tensor([1, 2, 3])
    print(i ** 2)
    print(i ** 0.5)
    print(2 ** i)
    print(i.pow(2).dtype)
    n = i ** -1
""",
)

program(
    "more_float_pow_int_tensor_exponent",
    """
    import torch
    x = torch.tensor([1.5, 2.0], requires_grad=True)
    e = torch.tensor([2, 3])
    y = x ** e
    y.sum().backward()
    print(y, x.grad)
""",
)

program(
    "more_setitem_on_non_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y[0] = 10.0
    print(y)
    y.sum().backward()
    print(x.grad)
""",
)

program(
    "more_setitem_on_leaf_error",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w[0] = 5.0
""",
)

program(
    "more_setitem_on_plain_tensor",
    """
    import torch
    x = torch.zeros(2, 3)
    x[0] = 1.0
    x[1, 2] = 7.0
    x[:, 0] = torch.tensor([4.0, 5.0])
    print(x)
""",
)

program(
    "more_retain_grad_without_requires_grad_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0])
    y = x * 2
    y.retain_grad()
""",
)

program(
    "more_len_of_0d_error",
    """
    import torch
    m = torch.ones(3, 2)
    print(len(m))
    s = torch.tensor(1.0)
    n = len(s)
""",
)

program(
    "more_format_spec_on_0d_tensor",
    """
    import torch
    loss = torch.tensor(0.123456, requires_grad=True) * 2
    print(f"{loss:.4f}")
    print("{:.2f}".format(torch.tensor(3.14159)))
    print(f"{loss.item():.6f}")
""",
)

program(
    "more_iterate_over_rows",
    """
    import torch
    M = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    total = 0
    for row in M:
        print(row)
        total = total + row.sum()
    total.backward()
    print(total, M.grad)
""",
)

program(
    "more_python_sum_of_tensors",
    """
    import torch
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    total = sum([a * a, b * 3, a * b])
    total.backward()
    print(total, a.grad, b.grad)
""",
)

program(
    "more_size_comparisons",
    """
    import torch
    x = torch.ones(2, 3)
    print(x.shape == (2, 3), x.size() == torch.Size([2, 3]))
    print(tuple(x.shape), list(x.size()), x.shape[1:])
    print(x.shape.numel(), torch.Size([4, 5]))
    rows, cols = x.shape
    print(rows, cols)
""",
)

program(
    "more_equality_and_comparison_ops",
    """
    import torch
    a = torch.tensor([1.0, 2.0, 3.0])
    b = torch.tensor([1.0, 0.0, 4.0])
    print(a == b, a != b)
    print(a < b, a <= b, a > 2, a >= 2)
    print((a > 1) & (b > 0))
""",
)

program(
    "more_where_nan_gradient_trap",
    """
    import torch
    x = torch.tensor([-1.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x))
    y.sum().backward()
    print(y, x.grad)
""",
)

program(
    "more_division_by_zero_gradient",
    """
    import torch
    x = torch.tensor([1.0, 0.0], requires_grad=True)
    y = 1 / x
    y.sum().backward()
    print(y, x.grad)
    z = torch.tensor(0.0, requires_grad=True)
    l = torch.log(z)
    l.backward()
    print(l, z.grad)
""",
)

program(
    "more_cat_promotes_dtype",
    """
    import torch
    a = torch.tensor([1, 2])
    b = torch.tensor([1.5])
    c = torch.cat([a, b])
    d = torch.stack([torch.tensor(1.0), torch.tensor(2.0, dtype=torch.float64)])
    print(c, d)
""",
)

program(
    "more_F_cross_entropy_target_out_of_range",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.zeros(2, 3, requires_grad=True)
    loss = F.cross_entropy(logits, torch.tensor([0, 3]))
""",
)

program(
    "more_F_binary_cross_entropy_out_of_range",
    """
    import torch
    import torch.nn.functional as F
    p = torch.tensor([0.5, 1.5], requires_grad=True)
    loss = F.binary_cross_entropy(p, torch.tensor([1.0, 0.0]))
""",
)

program(
    "more_F_softmax_implicit_dim",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    p = F.softmax(x)
    v = F.softmax(torch.tensor([1.0, 2.0, 3.0]))
    print(p, v, sep="\\n")
""",
)

program(
    "more_F_mse_loss_broadcast",
    """
    import torch
    import torch.nn.functional as F
    pred = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 2.0]], requires_grad=True)
    target = torch.tensor([1.0, 1.0, 1.0])
    loss = F.mse_loss(pred, target)
    loss.backward()
    print(loss, pred.grad)
""",
)

program(
    "more_to_and_type",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.to(torch.float64)
    print(y, y.dtype)
    print(x.type())
    print(torch.tensor([1, 2]).type(), torch.tensor([1.0], dtype=torch.float64).type())
    y.sum().backward()
    print(x.grad)
""",
)

program(
    "more_accumulate_grad_variable",
    """
    import torch
    x = torch.tensor(1.0, requires_grad=True)
    y = x * 2
    node = y.grad_fn.next_functions[0][0]
    print(node)
    print(node.variable)
    print(node.variable is x)
""",
)

program(
    "more_backward_on_leaf_itself",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    x.backward()
    print(x.grad)
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    v.backward(torch.tensor([5.0, 6.0]))
    print(v.grad)
""",
)

program(
    "more_retained_non_leaf_accumulates",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x
    y.retain_grad()
    z = y * 3
    z.backward(retain_graph=True)
    z.backward()
    print(y.grad, x.grad)
""",
)

program(
    "more_view_of_leaf_inplace_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x[0] += 1
""",
)

program(
    "more_data_zero_and_assign",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.data.zero_()
    print(w, w.grad)
    w.data = torch.tensor([5.0, 6.0])
    print(w, w.requires_grad, w.is_leaf)
""",
)

program(
    "more_random_training_loop",
    """
    import torch
    torch.manual_seed(3)
    X = torch.randn(8, 2)
    true_w = torch.tensor([[2.0], [-1.0]])
    y = X @ true_w + 0.5
    W = torch.randn(2, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for step in range(20):
        loss = ((X @ W + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            W -= 0.1 * W.grad
            b -= 0.1 * b.grad
        W.grad.zero_()
        b.grad.zero_()
        if step % 5 == 0:
            print(step, round(loss.item(), 4))
""",
)

program(
    "more_random_size_tuple_forms",
    """
    import torch
    torch.manual_seed(7)
    a = torch.randn((2, 3))
    b = torch.rand(3, requires_grad=True)
    c = torch.randint(0, 5, size=(3,))
    d = torch.randint(3, (2,))
    e = torch.randn(2, 2, dtype=torch.float32)
    print(a.shape, b.requires_grad, c.dtype, d.shape, e.dtype)
    (b * 2).sum().backward()
    print(b.grad)
""",
)

program(
    "more_randn_print_values",
    """
    import torch
    torch.manual_seed(0)
    w = torch.randn(3, requires_grad=True)
    print(w)
    y = (w ** 2).sum()
    y.backward()
    print(y, w.grad)
""",
)

program(
    "more_print_float64_precision",
    """
    import torch
    print(torch.tensor([0.1, 0.2], dtype=torch.float64) * 3)
    print(torch.tensor([1 / 3], dtype=torch.float64))
    print(torch.tensor([1e-10, 1.0], dtype=torch.float64))
    print(torch.tensor(2.0, dtype=torch.float64, requires_grad=True) * 2)
""",
)

program(
    "more_print_int_summarized_and_wide",
    """
    import torch
    print(torch.arange(1200).reshape(4, 300))
    print(torch.arange(-5, 5) * 1000)
    print(torch.tensor([[True, False], [False, True]]))
    print(torch.arange(12.0).reshape(2, 3, 2) / 7)
""",
)

program(
    "more_print_collections_of_tensors",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    print((x, x * 2))
    print({"w": x})
    print([x.sum(), x.mean()])
""",
)

program(
    "more_print_values_with_nan_in_matrix",
    """
    import torch
    m = torch.tensor([[1.0, float('nan')], [float('inf'), -2.5]])
    print(m)
    print(m * 0)
    print(torch.tensor([float('nan')]))
    print(torch.tensor([1e-5, float('inf')]))
""",
)

program(
    "more_chained_views_and_grad",
    """
    import torch
    x = torch.arange(12.0).reshape(3, 4).requires_grad_()
    y = x.t().reshape(2, 6)[1:, ::2].unsqueeze(0)
    print(y, y.shape)
    (y * y).sum().backward()
    print(x.grad)
""",
)

program(
    "more_sequential_backward_on_shared_leaf",
    """
    import torch
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    for target in [1.0, 2.0, 3.0]:
        loss = ((w * 2).sum() - target) ** 2
        loss.backward()
    print(w.grad)
""",
)

program(
    "more_inplace_relu_and_clamp_method",
    """
    import torch
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    y = x * 1
    y.relu_()
    z = x * 3
    z.clamp_(min=0, max=4)
    (y + z).sum().backward()
    print(y, z, x.grad)
""",
)

program(
    "more_zero_grad_none_error",
    """
    import torch
    w = torch.tensor([1.0], requires_grad=True)
    w.grad.zero_()
""",
)

program(
    "more_mean_of_bool_error",
    """
    import torch
    x = torch.tensor([1.0, -2.0, 3.0])
    acc = (x > 0).float().mean()
    print(acc)
    bad = (x > 0).mean()
""",
)

program(
    "more_argmax_and_accuracy",
    """
    import torch
    logits = torch.tensor([[0.1, 2.0, -1.0], [1.5, 0.2, 0.3]])
    pred = logits.argmax(dim=1)
    target = torch.tensor([1, 2])
    acc = (pred == target).float().mean()
    print(pred, acc)
    print(torch.argmax(logits), logits.argmin(dim=0))
""",
)


# ---------------------------------------------------------------- views, advanced indexing, shared storage

program(
    "edge_reshape_of_transposed_copies",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = x.t().reshape(-1)
    print(y)
    print(y.grad_fn, y.grad_fn.next_functions)
    (y * torch.arange(6.0)).sum().backward()
    print(x.grad)
""",
)

program(
    "edge_view_of_transposed_error",
    """
    import torch
    x = torch.ones(2, 3)
    y = x.t()
    print(y.shape)
    z = y.view(-1)
""",
)

program(
    "edge_negative_step_slice_error",
    """
    import torch
    x = torch.arange(4.0)
    print(x[1:3])
    r = x[::-1]
""",
)

program(
    "edge_list_and_mask_indexing",
    """
    import torch
    x = torch.tensor([1.0, -2.0, 3.0, -4.0], requires_grad=True)
    picked = x[[0, 2, 2]]
    positive = x[x > 0]
    print(picked, positive)
    (picked.sum() + (positive * positive).sum()).backward()
    print(x.grad)
""",
)

program(
    "edge_mask_indexing_2d",
    """
    import torch
    M = torch.tensor([[1.0, -1.0], [-2.0, 3.0]], requires_grad=True)
    sel = M[M > 0]
    rows = M[[1, 0]]
    print(sel, rows, sep="\\n")
    (sel.sum() + rows[0].sum()).backward()
    print(M.grad)
""",
)

program(
    "edge_backward_gradient_of_other_dtype",
    """
    import torch
    x = torch.ones(3, requires_grad=True)
    (x * 2).backward(torch.ones(3, dtype=torch.float64))
    print(x.grad)
    (x * 2).backward(torch.tensor([1, 2, 3]))
    print(x.grad, x.grad.dtype)
""",
)

program(
    "edge_autograd_grad_unused_input_error",
    """
    import torch
    x = torch.ones(3, requires_grad=True)
    y = torch.ones(3, requires_grad=True)
    g = torch.autograd.grad((x * 2).sum(), [x, y])
""",
)

program(
    "edge_autograd_grad_two_inputs",
    """
    import torch
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    f = a * a * b
    ga, gb = torch.autograd.grad(f, [a, b])
    print(ga, gb, a.grad)
""",
)

program(
    "edge_ragged_nested_list_error",
    """
    import torch
    ok = torch.tensor([[1, 2], [3, 4]])
    bad = torch.tensor([[1, 2], [3]])
""",
)

program(
    "edge_view_two_inferred_dims_error",
    """
    import torch
    x = torch.arange(6.0)
    print(x.view(2, -1))
    y = x.view(2, -1, -1)
""",
)

program(
    "edge_unsqueeze_dim_out_of_range",
    """
    import torch
    v = torch.ones(3)
    print(v.unsqueeze(-2).shape, v.unsqueeze(1).shape)
    w = v.unsqueeze(3)
""",
)

program(
    "edge_mse_loss_with_int_target",
    """
    import torch
    import torch.nn.functional as F
    pred = torch.tensor([1.0, 2.5], requires_grad=True)
    loss = F.mse_loss(pred, torch.tensor([1, 2]))
    loss.backward()
    print(loss, pred.grad)
""",
)

program(
    "edge_cross_entropy_float_target_error",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.ones(2, 3, requires_grad=True)
    loss = F.cross_entropy(logits, torch.tensor([0.0, 1.0]))
""",
)

program(
    "edge_matmul_int_with_float_error",
    """
    import torch
    a = torch.tensor([[1, 2]])
    b = torch.tensor([[0.5], [1.0]])
    c = a @ b
""",
)

program(
    "edge_detach_shares_version_counter",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    d = y.detach()
    d.add_(1)
    print(y)
    y.sum().backward()
""",
)

program(
    "edge_data_changes_skip_version_check",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    x.data.mul_(2)
    y.sum().backward()
    print(y, x, x.grad)
""",
)

program(
    "edge_int_scalar_tensors_promote",
    """
    import torch
    print(torch.tensor(5) / torch.tensor(2))
    print(1 / torch.tensor(0))
    print(torch.ones(2) * torch.tensor(2))
    print(torch.tensor([1.0, 2.0]) * True)
    print(torch.tensor([3, 4]) * torch.tensor(0.5, dtype=torch.float64))
""",
)

program(
    "edge_sum_mean_list_of_dims",
    """
    import torch
    x = torch.arange(6.0).reshape(2, 3).requires_grad_()
    a = x.sum(dim=[0, 1])
    b = torch.mean(x, (0, 1))
    c = x.sum([1])
    print(a, b, c)
    (a + b + c.sum()).backward()
    print(x.grad)
""",
)

program(
    "edge_squeeze_noop_and_flatten_0d",
    """
    import torch
    x = torch.ones(2, 3, requires_grad=True)
    a = x.squeeze(0)
    s = torch.tensor(5.0, requires_grad=True)
    f = s.flatten()
    u = s.unsqueeze(0)
    print(a.shape, a.grad_fn, f, u)
    (a.sum() + f.sum() + u.sum()).backward()
    print(x.grad, s.grad)
""",
)

program(
    "edge_transpose_3d_and_T_warning",
    """
    import torch
    x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
    y = x.transpose(0, 2)
    z = x.permute(2, 0, 1)
    print(y.shape, z.shape, y.grad_fn, z.grad_fn)
    (y.sum() + z[0].sum()).backward()
    print(x.grad[0])
""",
)

program(
    "edge_expand_and_repeat",
    """
    import torch
    x = torch.tensor([[1.0], [2.0]], requires_grad=True)
    e = x.expand(2, 3)
    r = x.repeat(1, 2)
    print(e, r, sep="\\n")
    (e.sum() + (r * r).sum()).backward()
    print(x.grad)
""",
)

program(
    "edge_max_min_of_int_tensor",
    """
    import torch
    i = torch.tensor([[3, 7], [5, 1]])
    print(i.max(), i.min(), torch.max(i, 0))
    print(i.sum(dim=1), i.prod())
""",
)

program(
    "edge_grad_after_no_grad_update_is_unchanged",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w.sub_(0.1 * w.grad)
    print(w, w.grad)
""",
)

program(
    "edge_in_place_on_view_of_non_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y[1:] *= 10
    print(y)
    y.sum().backward()
    print(x.grad)
""",
)


program(
    "edge_backward_explicit_none_arguments",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 3
    y.backward(gradient=None, retain_graph=None)
    print(x.grad)
""",
)

program(
    "edge_non_leaf_sub_and_div_assign",
    """
    import torch
    x = torch.tensor([2.0, 4.0], requires_grad=True)
    y = x * 3
    y -= 1
    print(y)
    y /= x
    print(y)
    y.sum().backward()
    print(x.grad)
""",
)

program(
    "edge_float_of_float_returns_same_tensor",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    f = x.float()
    print(f is x, f.is_leaf, f.grad_fn)
    d = x.double()
    back = d.float()
    print(d.grad_fn, back.grad_fn, back.dtype)
    back.sum().backward()
    print(x.grad)
""",
)

program(
    "edge_mixed_dtype_backward_grads_keep_leaf_dtype",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    c = a * b
    print(c.dtype)
    c.sum().backward()
    print(a.grad, b.grad)
    print(a.grad.dtype, b.grad.dtype)
""",
)


# ---------------------------------------------------------------- numerics at the edges

program(
    "num_softmax_of_large_values_is_stable",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([1000.0, 1000.0, 990.0], requires_grad=True)
    p = torch.softmax(x, dim=0)
    lp = F.log_softmax(x, dim=0)
    print(p)
    print(lp)
    (lp[0] + p[1]).backward()
    print(x.grad)
""",
)

program(
    "num_cross_entropy_of_large_logits",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([[500.0, -500.0], [0.0, 800.0]], requires_grad=True)
    loss = F.cross_entropy(logits, torch.tensor([1, 1]))
    loss.backward()
    print(loss)
    print(logits.grad)
""",
)

program(
    "num_binary_cross_entropy_at_zero_and_one",
    """
    import torch
    import torch.nn.functional as F
    p = torch.tensor([0.0, 1.0, 0.5], requires_grad=True)
    y = torch.tensor([1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(p, y)
    loss.backward()
    print(loss)
    print(p.grad)
""",
)

program(
    "num_sigmoid_and_tanh_saturate",
    """
    import torch
    x = torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0], requires_grad=True)
    s = torch.sigmoid(x)
    t = torch.tanh(x)
    print(s)
    print(t)
    (s + t).sum().backward()
    print(x.grad)
""",
)

program(
    "num_exp_overflow_and_log_of_zero",
    """
    import torch
    x = torch.tensor([1.0, 100.0], requires_grad=True)
    e = x.exp()
    print(e)
    e.sum().backward()
    print(x.grad)
    z = torch.tensor([0.0, 1.0], requires_grad=True)
    l = torch.log(z)
    l.sum().backward()
    print(l, z.grad)
""",
)

program(
    "num_sqrt_and_pow_at_zero",
    """
    import torch
    x = torch.tensor(0.0, requires_grad=True)
    torch.sqrt(x).backward()
    print(x.grad)
    y = torch.tensor([0.0, 2.0], requires_grad=True)
    (y ** 0).sum().backward()
    print(y.grad)
    w = torch.tensor([0.0, 2.0], requires_grad=True)
    (w ** 1.5).sum().backward()
    print(w.grad)
""",
)

program(
    "num_pow_tensor_exponent_with_zero_base",
    """
    import torch
    base = torch.tensor([0.0, 2.0, 0.0], requires_grad=True)
    e = torch.tensor([2.0, 3.0, 0.0], requires_grad=True)
    r = base ** e
    r.sum().backward()
    print(r)
    print(base.grad, e.grad)
""",
)

program(
    "num_prod_with_two_zeros",
    """
    import torch
    x = torch.tensor([0.0, 3.0, 0.0, 2.0], requires_grad=True)
    p = x.prod()
    p.backward()
    print(p, x.grad)
    m = torch.tensor([[0.0, 2.0], [3.0, 4.0]], requires_grad=True)
    q = m.prod(dim=0)
    q.sum().backward()
    print(q, m.grad)
""",
)

program(
    "num_where_with_python_scalar",
    """
    import torch
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = torch.where(x > 0, x, 0.0)
    z = torch.where(x < 1, 1.0, x * 2)
    (y + z).sum().backward()
    print(y, z, x.grad)
""",
)

program(
    "num_maximum_with_0d_tensor",
    """
    import torch
    x = torch.tensor([[-1.0, 2.0], [0.5, -3.0]], requires_grad=True)
    floor = torch.tensor(0.0, requires_grad=True)
    y = torch.maximum(x, floor)
    y.sum().backward()
    print(y)
    print(x.grad, floor.grad)
""",
)

program(
    "num_arange_and_linspace_float_steps",
    """
    import torch
    print(torch.arange(0, 1, 0.1))
    print(torch.arange(1, 2.5, 0.5))
    print(torch.linspace(0, 1, 7))
    print(torch.linspace(-2, 2, 9))
    print(torch.arange(0, 1, 0.1).shape, torch.arange(-1.0, 1.0, 0.3).shape)
""",
)

program(
    "num_long_vectors_wrap_lines",
    """
    import torch
    print(torch.arange(50) / 3)
    print(torch.arange(40))
    print(torch.arange(30.0) * 1000)
    print(torch.ones(3, 20) * 0.5)
""",
)

program(
    "num_int_in_place_with_float_error",
    """
    import torch
    i = torch.tensor([1, 2])
    i *= 2
    print(i)
    i += 0.5
""",
)

program(
    "num_float32_in_place_with_float64",
    """
    import torch
    x = torch.tensor([1.0, 2.0])
    x += torch.tensor([0.5, 0.25], dtype=torch.float64)
    x.mul_(torch.tensor(2, dtype=torch.int64))
    print(x, x.dtype)
""",
)

program(
    "num_bool_and_int_factories",
    """
    import torch
    print(torch.full((2,), True))
    print(torch.zeros(2, dtype=torch.bool))
    print(torch.ones(2, 2, dtype=torch.int64) * 3)
    print(torch.eye(2, dtype=torch.int64))
    e = torch.eye(2, requires_grad=True)
    print(e)
""",
)

program(
    "num_mixed_int_float_comparisons_and_division",
    """
    import torch
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([1.5, 2.0, 2.5])
    print(i > f, i == f)
    print(f / i, i / f)
    print(torch.tensor([5.0]) / torch.tensor([2, 4]))
""",
)

# ---------------------------------------------------------------- grad mode corners

program(
    "mode_backward_inside_no_grad_still_works",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with torch.no_grad():
        y.backward()
        print(torch.is_grad_enabled())
    print(x.grad)
""",
)

program(
    "mode_factories_under_disabled_grad",
    """
    import torch
    torch.set_grad_enabled(False)
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    y = w * 2
    print(w.requires_grad, w.is_leaf, y.requires_grad, y.grad_fn)
    torch.set_grad_enabled(True)
    z = w * 2
    print(z.requires_grad, z.grad_fn)
""",
)

program(
    "mode_requires_grad_false_again",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    x.requires_grad_(False)
    y = x * 3
    print(x.grad, x.requires_grad, y.requires_grad, y.grad_fn)
""",
)

program(
    "mode_no_grad_then_requires_grad_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        h = x * 4
    h.requires_grad_()
    out = (h * x).sum()
    out.backward()
    print(h.is_leaf, h.grad, x.grad)
""",
)

program(
    "mode_third_derivative_and_grad_of_grad_names",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    (dy,) = torch.autograd.grad(x ** 3, x, create_graph=True)
    (d2,) = torch.autograd.grad(dy, x, create_graph=True)
    print(dy, d2)
    d2.backward()
    print(x.grad)
""",
)

program(
    "mode_create_graph_through_pointwise_and_reductions",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = (x * w).sum() + (x ** 2 / w).mean() - x.exp().sum() + x.sin().sum() * x.cos().mean() + x.log().sum()
    y = y + (torch.sigmoid(x) + torch.relu(x - 2) * x + x.tanh() ** 2).sum() + (1 - x).mean()
    gx, gw = torch.autograd.grad(y, [x, w], create_graph=True)
    print(gx, gw)
    (gx.sum() + gw.sum()).backward()
    print(x.grad, w.grad)
""",
)

program(
    "mode_backward_create_graph_keeps_grad_graph",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x ** 2).sum().backward(create_graph=True)
    g = x.grad
    print(g)
    x.grad = None
    (g * g).sum().backward()
    print(x.grad)
""",
)

program(
    "mode_second_derivative_with_create_graph",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = x ** 3
    (dy,) = torch.autograd.grad(y, x, create_graph=True)
    print(dy)
    dy.backward()
    print(x.grad)
""",
)


# ---------------------------------------------------------------- grad_fn names, one line per expression

program(
    "names_grad_fn_of_every_op",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
    y = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    p = torch.tensor([0.2, 0.7, 0.9], requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    results = {
        "x + 1": x + 1, "x + y": x + y, "1 + x": 1 + x, "x - 1": x - 1, "1 - x": 1 - x, "x - y": x - y,
        "x * 2": x * 2, "x * y": x * y, "x / 2": x / 2, "x / y": x / y, "2 / x": 2 / x,
        "x ** 2": x ** 2, "y ** x": y ** x, "2 ** x": 2 ** x, "-x": -x, "x.pow(3)": x.pow(3),
        "torch.add(x, y)": torch.add(x, y), "torch.mul(x, 3)": torch.mul(x, 3),
        "x.exp()": x.exp(), "y.log()": y.log(), "y.sqrt()": y.sqrt(), "x.abs()": x.abs(),
        "x.sin()": x.sin(), "x.cos()": x.cos(), "x.tanh()": x.tanh(), "x.sigmoid()": x.sigmoid(),
        "x.relu()": x.relu(), "F.relu(x)": F.relu(x),
        "x.clamp(-1, 1)": x.clamp(-1, 1), "x.clamp(min=0)": x.clamp(min=0), "x.clamp(max=0)": x.clamp(max=0),
        "torch.maximum(x, y)": torch.maximum(x, y), "torch.minimum(x, y)": torch.minimum(x, y),
        "torch.where(x > 0, x, y)": torch.where(x > 0, x, y),
        "x.sum()": x.sum(), "x.sum(0)": x.sum(0), "x.mean()": x.mean(), "x.mean(1)": x.mean(1),
        "x.max()": x.max(), "x.max(0)[0]": x.max(0)[0], "x.min()": x.min(), "x.min(1).values": x.min(1).values,
        "x.prod()": x.prod(), "x.prod(1)": x.prod(1),
        "x.t()": x.t(), "x.T": x.T, "x.transpose(0, 1)": x.transpose(0, 1),
        "x.reshape(3, 2)": x.reshape(3, 2), "x.view(-1)": x.view(-1), "x.flatten()": x.flatten(),
        "v.flatten()": v.flatten(), "v.reshape(3)": v.reshape(3), "v.view(3)": v.view(3),
        "x.unsqueeze(0)": x.unsqueeze(0), "x.unsqueeze(0).squeeze()": x.unsqueeze(0).squeeze(),
        "x.unsqueeze(0).squeeze(0)": x.unsqueeze(0).squeeze(0),
        "x[0]": x[0], "x[0, 1]": x[0, 1], "x[:, 1]": x[:, 1], "x[1:]": x[1:], "x[:, :2]": x[:, :2],
        "x[None]": x[None], "v[:, None]": v[:, None], "x[[1, 0]]": x[[1, 0]], "x[x > 0]": x[x > 0],
        "torch.cat([x, y])": torch.cat([x, y]), "torch.stack([x, y])": torch.stack([x, y]),
        "x @ v": x @ v, "v @ v": v @ v, "v[:2] @ x": v[:2] @ x, "x @ y.t()": x @ y.t(),
        "torch.mm(x, y.t())": torch.mm(x, y.t()), "torch.mv(x, v)": torch.mv(x, v), "torch.dot(v, v)": torch.dot(v, v),
        "torch.softmax(x, 1)": torch.softmax(x, 1), "F.log_softmax(x, 1)": F.log_softmax(x, 1),
        "F.mse_loss(x, y)": F.mse_loss(x, y), "F.binary_cross_entropy(p, v / 3)": F.binary_cross_entropy(p, v / 3),
        "F.cross_entropy(x, torch.tensor([0, 2]))": F.cross_entropy(x, torch.tensor([0, 2])),
        "x.clone()": x.clone(), "x.double()": x.double(), "s * s": s * s, "s.exp()": s.exp(),
    }
    for name, result in results.items():
        print(name, result.grad_fn)
""",
)


# ---------------------------------------------------------------- signed zeros in gradients (they print as -0.)

# ---------------------------------------------------------------- writes through views (CopySlices, AsStrided)

program(
    "views_base_written_in_place_after_the_view_was_taken",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    y = x * 1
    v = y[0]
    y.mul_(3)
    print(v.grad_fn)
    v.backward()
    print(x.grad)
""",
)

program(
    "views_write_into_one_view_reaches_base_and_sibling_views",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    y = x * 1
    first, rest = y[0], y[1:]
    first.mul_(5)
    print(y.grad_fn, first.grad_fn, rest.grad_fn)
    (rest.sum() + y.sum()).backward()
    print(x.grad)
""",
)

program(
    "views_write_through_a_view_of_a_view",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    y = x * 1
    a = y.unsqueeze(0)
    b = a[0, 1:]
    b.mul_(2)
    print(y.grad_fn, a.grad_fn, b.grad_fn)
    (a * torch.tensor([[5.0, 7.0]])).sum().backward()
    print(x.grad)
""",
)

program(
    "views_write_through_transpose_and_view",
    """
    import torch
    x = torch.tensor([[2.0, 3.0], [4.0, 5.0]], requires_grad=True)
    y = x * 1
    t = y.t()
    t[0] += 1
    v = y.view(4)
    v[3] = 0.0
    print(y, t.grad_fn)
    (y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    print(x.grad)
""",
)

program(
    "views_write_into_a_strided_view_of_a_column_major_result",
    """
    import torch
    x = torch.arange(12.).reshape(3, 4).requires_grad_()
    y = x.t() * 1
    v = y[1:, ::2]
    v.mul_(2)
    (y * torch.arange(12.).reshape(4, 3)).sum().backward()
    print(y, x.grad)
""",
)

program(
    "views_in_place_unary_and_binary_ops_through_a_column",
    """
    import torch
    x = torch.tensor([[-1.0, 0.5], [2.0, -3.0]], requires_grad=True)
    for op in ["relu_()", "exp_()", "clamp_(0, 1)", "zero_()", "fill_(2.0)", "neg_()", "sigmoid_()", "tanh_()",
               "abs_()", "mul_(3)", "pow_(2)", "sub_(x[0])", "div_(2)"]:
        y = x * 1
        v = y[:, 0]
        try:  # eval: Python runs this program, the runner refuses it (see test_runner_conformance.py)
            eval("v." + op)
        except RuntimeError as e:
            print(op, e)
        (y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
        print(op, y.grad_fn, v.grad_fn, x.grad)
        x.grad = None
""",
)

program(
    "views_overlapping_writes_refused_like_torch",
    """
    import torch
    x = torch.tensor([1.0, 2.0])
    e = x.expand(3, 2)
    for code in ["e.add_(1)", "e.zero_()", "e.copy_(torch.ones(3, 2))", "e.relu_()", "x[1:].copy_(x[:1])", "x += x",
                 "x[:1] += x[1:]", "x.mul_(x[0])", "x[0] += x[0]"]:
        try:
            exec(code)
            print(code, "ok", x)
        except RuntimeError as ex:
            print(code, "->", ex)
    y = torch.tensor([1.0, 2.0, 3.0], requires_grad=True) * 1
    y[1:] += y[:2]
""",
)

program(
    "views_of_a_plain_tensor_written_with_a_graph_value",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = torch.zeros(3)
    v = y[0:2]
    y[1:] = x[:2] * 2
    print(y.grad_fn, v.grad_fn, v.requires_grad)
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    print(x.grad)
""",
)

program(
    "views_setitem_grad_fn_names",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = x * 1
    a[[0, 1]] = 5.0
    b = x * 1
    b[b > 1] = torch.tensor(7.0, requires_grad=True)
    c = x * 1
    c[0] = x[2] * 3
    d = x * 1
    d[:] = 1.0
    e = torch.zeros(3, dtype=torch.float64)
    e.copy_(x)
    print(a.grad_fn, b.grad_fn, c.grad_fn, d.grad_fn, e.grad_fn)
    (a + b + c + d + e).sum().backward()
    print(x.grad)
""",
)

program(
    "views_in_place_on_leaf_and_its_views_leaves_data_unchanged",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for code in ["x[[0, 1]] = 5.0", "x[0] = 5.0", "x[x > 1] = 0.0", "x[:] = 1.0", "x[...] = 1.0", "x[1:].zero_()",
                 "x.t().mul_(2)", "x.view(3, 1)[0] += 1"]:
        try:
            exec(code)
        except RuntimeError as e:
            print(code, "->", e)
    print(x)
""",
)

program(
    "views_unbound_rows_cannot_be_written_in_place",
    """
    import torch
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    first, second = y
    first.mul_(2)
""",
)

program(
    "views_made_under_no_grad_require_grad_like_their_base",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    with torch.no_grad():
        v = x[0]
        print(v, v.requires_grad, v.is_leaf)
    print(v.requires_grad, x[:].requires_grad)
""",
)

program(
    "views_made_under_no_grad_cannot_be_written_with_grad_mode_on",
    """
    import torch
    W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    plain = torch.tensor([1.0, 2.0])
    with torch.no_grad():
        w = W[0]
        p = plain[0:1]
    p.mul_(2)
    print(plain, p.requires_grad)
    w += 1
""",
)

program(
    "views_saved_result_of_in_place_op_is_version_checked",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    y = x * 1
    y.exp_()
    y.add_(1)
    y.sum().backward()
""",
)

program(
    "views_retained_grad_follows_the_base_through_copyslices",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    y = x * 1
    y.retain_grad()
    y[0] = 7.0
    y.sum().backward()
    print(y.grad, x.grad)
""",
)

program(
    "views_index_0d_errors",
    """
    import torch
    s = torch.tensor(1.0, requires_grad=True)
    for key in ["0", "1", "0:", ":", "..., :1", "None, 0", "True"]:
        try:
            r = eval("s[" + key + "]")
            print(key, r.shape, r.grad_fn)
        except IndexError as e:
            print(key, "->", e)
    m = torch.zeros(2, 1)
    try:
        m[1, 1]
    except IndexError as e:
        print(e)
""",
)


program(
    "views_setitem_values_broadcast_like_torch",
    """
    import torch
    x = torch.zeros(2, 3)
    for code in ["x[0] = torch.ones(2)", "x[0] = torch.ones(1, 3)", "x[0] = torch.ones(2, 3)",
                 "x[:, 0] = torch.tensor([1, 2])", "x[0] = [1.0, 2.0, 3.0]", "x[[0]] = torch.ones(4)",
                 "x[0, 0] = torch.ones(1)", "x.copy_(torch.ones(3, 3))", "x[1] = torch.tensor(5)"]:
        try:
            exec(code)
            print(code, x)
        except (RuntimeError, TypeError) as e:
            print(code, "->", type(e).__name__, e)
    w = torch.zeros(3, requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    r = torch.tensor([[3.0, 4.0]], requires_grad=True)
    y = w * 1
    y[0] = s
    y[1:] = r
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    print(w.grad, s.grad, r.grad)
""",
)


program(
    "zeros_sign_of_masked_gradients",
    """
    import torch
    x = torch.tensor([1.0, 3.0, -2.0, 0.0], requires_grad=True)
    y = torch.tensor([2.0, 2.0, 2.0, 2.0], requires_grad=True)
    (-torch.maximum(x, y)).sum().backward()
    print(x.grad, y.grad)
    x.grad = None
    (-x.clamp(-1, 1)).sum().backward()
    print(x.grad)
    x.grad = None
    (-x.relu()).sum().backward()
    print(x.grad)
    x.grad = None
    (-torch.where(x > 0, x, y)).sum().backward()
    print(x.grad)
""",
)

program(
    "num_gradients_rounded_like_torch_formulas",
    """
    import torch
    a = torch.tensor([-2.5, 1.8, -2.9], requires_grad=True)
    b = torch.tensor([0.6, 2.9, 2.5], requires_grad=True)
    (a / b).sum().backward()
    print(a.grad.tolist(), b.grad.tolist())
    p = torch.tensor([[0.7, 1.3, 2.9], [1.1, 0.3, 2.2]], requires_grad=True)
    (p.prod(1) * torch.tensor([1.5, -0.7])).sum().backward()
    print(p.grad.tolist())
    p.grad = None
    p.prod().backward()
    print(p.grad.tolist())
""",
)

program(
    "nan_and_tie_gradients_of_max_maximum_clamp",
    """
    import torch
    x = torch.tensor([1.0, float("nan"), 2.0, 2.0], requires_grad=True)
    y = torch.tensor([1.0, 0.5, 3.0, float("nan")], requires_grad=True)
    torch.maximum(x, y).sum().backward()
    print(x.grad, y.grad)
    x.grad = y.grad = None
    torch.minimum(x, y).sum().backward()
    print(x.grad, y.grad)
    x.grad = None
    x.clamp(0, 1.5).sum().backward()
    print(x.grad)
    x.grad = None
    x.max().backward()
    print(x.grad)
    z = torch.tensor([3.0, 1.0, 3.0], requires_grad=True)
    z.max().backward()
    print(z.grad)
""",
)

program(
    "zeros_sign_of_forward_ties_and_bounds",
    """
    import torch
    a = torch.tensor([0., -0., 0., -0.])
    b = torch.tensor([-0., 0., 0., -0.])
    print(torch.maximum(a, b), torch.minimum(a, b))
    print(a.max(0), b.min(0))
    print(a.clamp(min=0), b.clamp(max=0), a.clamp(-0., 0.), a.relu(), b.relu())
""",
)

program(
    "names_of_reshape_of_non_contiguous_views",
    """
    import torch
    y = torch.arange(12.).reshape(3, 4).requires_grad_()
    print(y[::2].reshape(2, 4).grad_fn, y[:, 1].reshape(-1).grad_fn, y.t().reshape(-1).grad_fn)
    print(y[1:].reshape(-1).grad_fn, y[:, :1].flatten().grad_fn, y.t().reshape(4, 3).grad_fn)
""",
)

program(
    "zeros_sign_of_multiplied_gradients",
    """
    import torch
    x = torch.tensor([1.0, 0.0, -2.0], requires_grad=True)
    (-x.abs()).sum().backward()
    print(x.grad)
    x.grad = None
    (-(x * torch.tensor([0.0, 1.0, 0.0]))).sum().backward()
    print(x.grad)
    m = torch.tensor([[1.0, 5.0], [4.0, 2.0]], requires_grad=True)
    (-m.max(dim=1).values).sum().backward()
    print(m.grad)
    print(-torch.zeros(2), torch.tensor([0.0]) * -1)
""",
)

program(
    "zeros_int_power_with_negative_exponent_tensor",
    """
    import torch
    e = torch.tensor([-3, 0, 2])
    print(2 ** e)
    print(torch.tensor([2, 3]) ** torch.tensor([1, 2]))
    print(torch.tensor(2) ** 2, 2 ** torch.tensor(3))
""",
)


program(
    "print_summarized_with_suffixes",
    """
    import torch
    w = torch.ones(1500, requires_grad=True)
    print(w)
    print(w * 2)
    print(torch.ones(40, 40, dtype=torch.float64) * 2)
    print(torch.arange(2000.0).reshape(2, 10, 100))
    print(torch.arange(1001) > 500)
""",
)


program(
    "imports_in_other_spellings",
    """
    import torch as th
    import torch.nn.functional as F
    from torch.autograd import Variable
    from torch import autograd
    x = th.autograd.Variable(th.tensor([1.0, -2.0]), requires_grad=True)
    v = Variable(th.ones(2))
    y = F.relu(x) * v
    g = autograd.grad(y.sum(), x)
    print(x, v, y, g, sep="\\n")
""",
)


# ---------------------------------------------------------------- more shape errors learners meet

program(
    "err_cat_different_number_of_dims",
    """
    import torch
    features = torch.ones(2, 3, requires_grad=True)
    bias = torch.ones(3)
    both = torch.cat([features, bias])
""",
)

program(
    "err_cat_different_number_of_dims_dim1",
    """
    import torch
    a = torch.ones(4, 2)
    b = torch.ones(4)
    c = torch.cat([a, b], dim=1)
""",
)

program(
    "err_second_index_out_of_range",
    """
    import torch
    x = torch.ones(3, 1)
    print(x[2, 0])
    y = x[0, -2]
""",
)

program(
    "err_batched_matmul_mismatch",
    """
    import torch
    A = torch.ones(2, 4, 2, requires_grad=True)
    W = torch.ones(4, 1)
    y = A @ W
""",
)

program(
    "err_vector_times_batch_mismatch",
    """
    import torch
    v = torch.ones(3)
    B = torch.ones(4, 4, 3)
    y = torch.matmul(v, B)
""",
)

program(
    "err_batch_times_vector_mismatch",
    """
    import torch
    B = torch.ones(2, 3, 4)
    v = torch.ones(3)
    y = B @ v
""",
)

program(
    "err_batch_dims_do_not_broadcast",
    """
    import torch
    A = torch.ones(2, 3, 4)
    B = torch.ones(3, 4, 5)
    C = A @ B
""",
)


program(
    "err_index_into_scalar_loss",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    print(loss.item())
    first = loss[0]
""",
)

program(
    "err_index_one_into_0d",
    """
    import torch
    s = torch.tensor(1.0)
    t = s[1]
""",
)

program(
    "err_slice_of_0d",
    """
    import torch
    s = torch.tensor(1.0, requires_grad=True)
    t = s[0:]
""",
)


program(
    "err_leaf_view_in_place_leaves_data_unchanged",
    """
    import torch
    W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    print(W[:, 0])
    W[:, 0] *= 2
""",
)

program(
    "err_leaf_view_ellipsis_in_place",
    """
    import torch
    x = torch.tensor([[[0.5, 1.5]]], requires_grad=True)
    x[..., :1] *= 2
""",
)


# ---------------------------------------------------------------- which nodes free saved tensors
# A second backward() without retain_graph fails only if some node on the path saved a tensor.

_SECOND_BACKWARD = {
    "mul_scalar": "x * 2",
    "div_scalar": "x / 2",
    "add_scalar": "x + 1",
    "rsub": "2 - x",
    "neg": "-x",
    "t": "x.t()",
    "select": "x[0] * 1",
    "reshape": "x.reshape(2, 1)",
    "clamp": "x.clamp(0, 1)",
    "relu": "x.relu()",
    "abs": "x.abs()",
    "pow": "x ** 2",
    "rpow": "2 ** x",
    "exp": "x.exp()",
    "mean": "x.mean()",
    "stack": "torch.stack([x, x])",
    "cat": "torch.cat([x, x])",
    "unsqueeze": "x.unsqueeze(0)",
    "max": "x.max()",
    "sigmoid": "x.sigmoid()",
    "clone": "x.clone()",
    "double": "x.double()",
    "where": "torch.where(x > 1, x, x * 0)",
    "mul_tensor": "x * torch.tensor([1.0, 2.0])",
    "add_tensor": "x + torch.tensor([1.0, 2.0])",
    "sub_tensors": "x - x",
    "softmax": "torch.softmax(x, 0)",
    "slice": "x[1:]",
    "prod_dim": "x.prod(0)",
    "min": "x.min()",
    "maximum": "torch.maximum(x, x * 2)",
    "sqrt": "x.sqrt()",
    "log": "x.log()",
    "tanh": "x.tanh()",
    "log_softmax": "torch.log_softmax(x, 0)",
    "dot": "torch.dot(x, x)",
    "mse_loss": "torch.nn.functional.mse_loss(x, torch.ones(2))",
    "mm": "x[None] @ x[:, None]",
    "cross_entropy": "torch.nn.functional.cross_entropy(x[None], torch.tensor([1]))",
    "sub_scalar": "x - 1",
    "div_tensor": "x / torch.tensor([2.0, 4.0])",
    "rdiv": "1 / x",
    "pow_tensor": "x ** x",
    "transpose": "x[None].transpose(0, 1)",
    "view": "x.view(2, 1)",
    "index_list": "x[[1, 0]]",
    "sin": "x.sin()",
    "cos": "x.cos()",
}
for _slug, _expr in _SECOND_BACKWARD.items():
    program(
        f"second_backward_{_slug}",
        f"""
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = ({_expr}).sum()
        y.backward()
        print(x.grad)
        y.backward()
        print(x.grad)
    """,
    )


# ---------------------------------------------------------------- which nodes check saved versions
# Modify the input a (a non-leaf) or the output y in place after the op: backward() fails only if
# the op saved that tensor; the message names the node that produced it.

_SAVED = {
    "mul_scalar": "a * 2",
    "add_scalar": "a + 1",
    "exp": "a.exp()",
    "sigmoid": "a.sigmoid()",
    "tanh": "a.tanh()",
    "relu": "a.relu()",
    "pow": "a ** 2",
    "sqrt": "a.sqrt()",
    "log": "a.log()",
    "abs": "a.abs()",
    "sin": "a.sin()",
    "div_tensor": "torch.tensor([1.0, 2.0]) / a",
    "mean": "a.mean()",
    "softmax": "torch.softmax(a, 0)",
    "log_softmax": "torch.log_softmax(a, 0)",
    "clamp": "a.clamp(0, 2)",
    "max": "a.max()",
    "prod": "a.prod()",
    "dot": "torch.dot(a, a)",
    "neg": "-a",
    "prod_dim": "a.prod(0)",
    "min": "a.min()",
    "max_dim": "a.max(0)[0]",
    "maximum": "torch.maximum(a, a * 2)",
    "where": "torch.where(a > 1, a, a * 3)",
    "mse_loss": "torch.nn.functional.mse_loss(a, torch.ones(2))",
    "cat": "torch.cat([a, a])",
    "stack": "torch.stack([a, a])",
    "matmul": "a @ a",
    "cos": "a.cos()",
    "div_scalar": "a / 2",
    "pow_tensor": "a ** a",
    "rpow": "2 ** a",
}
for _slug, _expr in _SAVED.items():
    for _changed in ("a", "y"):
        program(
            f"saved_version_{_slug}_{'input' if _changed == 'a' else 'output'}_changed",
            f"""
            import torch
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            a = x * 1
            y = {_expr}
            {_changed}.add_(1)
            y.sum().backward()
            print(x.grad)
        """,
        )


# ---------------------------------------------------------------- type promotion, the whole table

program(
    "promotion_table_add_mul_div",
    """
    import torch
    operands = {
        "i64": torch.tensor([1, 2]), "f32": torch.tensor([1.0, 2.0]),
        "f64": torch.tensor([1.0, 2.0], dtype=torch.float64), "b": torch.tensor([True, False]),
        "i64_0d": torch.tensor(3), "f32_0d": torch.tensor(1.5), "f64_0d": torch.tensor(1.5, dtype=torch.float64),
        "b_0d": torch.tensor(True), "int": 2, "float": 2.5, "bool": True,
    }
    for op in ["+", "*", "/"]:
        for an in operands:
            for bn in operands:
                a = operands[an]
                b = operands[bn]
                if not (torch.is_tensor(a) or torch.is_tensor(b)):
                    continue
                if op == "+":
                    r = a + b
                elif op == "*":
                    r = a * b
                else:
                    r = a / b
                print(an, op, bn, "->", r.dtype, r.tolist())
""",
)

program(
    "err_bool_subtraction",
    """
    import torch
    m = torch.tensor([True, False])
    print(m.float() - 1)
    d = m - torch.tensor([False, False])
""",
)

program(
    "err_subtract_bool_from_float",
    """
    import torch
    x = torch.tensor([1.0, 2.0])
    y = x - torch.tensor(True)
""",
)


program(
    "int_tensor_through_every_op",
    """
    import torch
    t = torch.tensor([1, 4])
    print(torch.exp(t), t.sqrt(), t.log(), t.abs(), -t, t.relu())
    print(t.sigmoid(), t.tanh(), t.sin(), t.sum(), t.prod(), t.max())
    print(t.clamp(0, 1), t.clamp(0.5), t ** 2, t ** 0.5, t ** 2.0, 2 ** t)
    print(t.sum(0), torch.where(t > 1, t, 0), torch.maximum(t, t), t @ t)
    print(torch.cat([t, t.float()]), torch.stack([t, t.double()]), 1 - t, 1 / t, t.clone())
""",
)

program(
    "bool_tensor_through_every_op",
    """
    import torch
    m = torch.tensor([True, False])
    print(torch.exp(m), m.sqrt(), m.log(), m.sigmoid(), m.tanh(), m.sin())
    print(m.sum(), m.prod(), m.max(), m.clamp(0, 1), m.clamp(0.5), m ** 2, m ** 0.5)
    print(m.sum(0), torch.where(m, m, 0), torch.maximum(m, m), torch.cat([m, m.float()]), 1 / m, 2 ** m, m.clone())
""",
)

program(
    "err_softmax_of_int_tensor",
    """
    import torch
    scores = torch.tensor([1, 2, 3])
    p = torch.softmax(scores, dim=0)
""",
)

program(
    "err_negate_bool_mask",
    """
    import torch
    mask = torch.tensor([True, False])
    inverse = -mask
""",
)


program(
    "reductions_over_every_dim",
    """
    import torch
    x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
    total = 0
    for d in [-3, -2, -1, 0, 1, 2]:
        for keep in [False, True]:
            s = x.sum(d, keepdim=keep)
            m = x.mean(dim=d, keepdim=keep)
            mx = x.max(dim=d, keepdim=keep)
            mn = torch.min(x, d, keep)
            p = (x / 10).prod(d, keepdim=keep)
            print(d, keep, s.shape, m.shape, mx.values.shape, mx.indices.shape, mn[1].shape, p.shape)
            total = total + s.sum() + m.sum() + mx.values.sum() + mn.values.sum() + p.sum()
    total.backward()
    print(total)
    print(x.grad)
""",
)

program(
    "softmax_over_every_dim",
    """
    import torch
    x = (torch.arange(24.0).reshape(2, 3, 4) / 10).requires_grad_()
    w = torch.arange(24.0).reshape(2, 3, 4).cos()
    total = 0
    for d in [-3, -2, -1, 0, 1, 2]:
        s = torch.softmax(x, d)
        l = x.log_softmax(dim=d)
        total = total + (s * w).sum() + (l * w).sum()
    total.backward()
    print(total)
    print(x.grad)
""",
)

program(
    "shape_ops_over_every_dim",
    """
    import torch
    x = torch.arange(24.0).reshape(2, 1, 3, 4).requires_grad_()
    outs = [
        x.squeeze(), x.squeeze(1), x.squeeze(-3), x.squeeze(0), x.unsqueeze(0), x.unsqueeze(-1), x.unsqueeze(2),
        x.transpose(0, 3), x.transpose(-1, -2), x.flatten(), x.flatten(1), x.flatten(1, 2), x.flatten(-2),
        x.reshape(4, -1), x.reshape(-1, 2, 3), x.view(6, 4), x.view(-1), x[1, 0], x[:, :, 1:], x[..., 0],
        x[:, 0, :, None], torch.cat([x, x], dim=2), torch.stack([x, x], dim=-1),
    ]
    total = 0
    for i, o in enumerate(outs):
        print(i, o.shape, o.grad_fn)
        total = total + (o * (i + 1)).sum()
    total.backward()
    print(x.grad.sum(), x.grad[1, 0, 2])
""",
)


# ---------------------------------------------------------------- dimension and index errors, op by op

_BAD_DIMS = {
    "sum": "x.sum(2)",
    "sum_negative": "x.sum(-3)",
    "mean": "x.mean(dim=5)",
    "softmax": "torch.softmax(x, 2)",
    "log_softmax": "x.log_softmax(-3)",
    "unsqueeze": "x.unsqueeze(3)",
    "unsqueeze_negative": "x.unsqueeze(-4)",
    "squeeze": "x.squeeze(2)",
    "transpose": "x.transpose(0, 2)",
    "cat": "torch.cat([x, x], dim=2)",
    "stack": "torch.stack([x, x], dim=4)",
    "max": "x.max(dim=2)",
    "min": "x.min(-3)",
    "flatten": "x.flatten(2)",
    "prod": "x.prod(3)",
    "row_index": "x[2]",
    "column_index": "x[:, 3]",
    "reshape": "x.reshape(-1, 4)",
    "t_of_3d": "torch.ones(2, 2, 2).t()",
}
for _slug, _expr in _BAD_DIMS.items():
    program(
        f"bad_dim_{_slug}",
        f"""
        import torch
        x = torch.ones(2, 3, requires_grad=True)
        y = x * 2
        z = {_expr}
    """,
    )


# ---------------------------------------------------------------- loss-function mistakes learners make

_LOSS_ERRORS = {
    "bce_target_size": "F.binary_cross_entropy(p, torch.ones(2))",
    "bce_column_vs_vector": "F.binary_cross_entropy(p.unsqueeze(1), torch.ones(3))",
    "bce_long_target": "F.binary_cross_entropy(p, torch.tensor([1, 0, 1]))",
    "cross_entropy_batch_size": "F.cross_entropy(logits, torch.tensor([0, 1]))",
    "cross_entropy_column_target": "F.cross_entropy(logits, torch.tensor([[0], [1], [2]]))",
    "cross_entropy_negative_target": "F.cross_entropy(logits, torch.tensor([0, 1, -1]))",
    "mse_sizes": "F.mse_loss(p, torch.zeros(2))",
    "mse_bad_reduction": "F.mse_loss(p, torch.ones(3), reduction='avg')",
}
for _slug, _expr in _LOSS_ERRORS.items():
    program(
        f"loss_error_{_slug}",
        f"""
        import torch
        import torch.nn.functional as F
        p = torch.tensor([0.2, 0.5, 0.9], requires_grad=True)
        logits = torch.zeros(3, 4, requires_grad=True)
        loss = {_expr}
    """,
    )

program(
    "loss_reductions_none_and_broadcast_warning",
    """
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], requires_grad=True)
    per_sample = F.cross_entropy(logits, torch.tensor([0, 2]), reduction='none')
    print(per_sample)
    per_sample.backward(torch.tensor([1.0, 0.5]))
    print(logits.grad)
    col = torch.tensor([[0.5], [1.5], [2.5]], requires_grad=True)
    m = F.mse_loss(col, torch.tensor([1.0, 2.0, 3.0]))
    m.backward()
    print(m, col.grad)
    b = F.binary_cross_entropy(torch.tensor([0.3, 0.8], requires_grad=True), torch.tensor([0.0, 1.0]), reduction='none')
    print(b)
""",
)


# ---------------------------------------------------------------- torch.optim (what tutorials move on to)

program(
    "optim_sgd_training_loop",
    """
    import torch
    X = torch.tensor([[1.0, 2.0], [2.0, 0.5], [0.0, 1.0]])
    y = torch.tensor([[3.0], [2.0], [1.0]])
    W = torch.zeros(2, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=0.1)
    for step in range(5):
        optimizer.zero_grad()
        loss = ((X @ W + b - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        print(step, loss)
    print(W, b, W.grad)
""",
)

program(
    "optim_zero_grad_sets_none",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    print(w.grad)
    opt.step()
    opt.zero_grad()
    print(w, w.grad)
""",
)

program(
    "optim_sgd_momentum_and_weight_decay",
    """
    import torch
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    for _ in range(4):
        opt.zero_grad()
        loss = ((w - torch.tensor([0.5, 0.5])) ** 2).sum()
        loss.backward()
        opt.step()
    print(w, loss)
""",
)

program(
    "optim_adam_steps",
    """
    import torch
    import torch.nn.functional as F
    logits_w = torch.tensor([[0.1, -0.2, 0.3], [0.0, 0.2, -0.1]], requires_grad=True)
    X = torch.tensor([[1.0, 0.5], [-1.0, 2.0], [0.3, 0.3]])
    target = torch.tensor([2, 0, 1])
    opt = torch.optim.Adam([logits_w], lr=0.05)
    for _ in range(5):
        opt.zero_grad()
        loss = F.cross_entropy(X @ logits_w, target)
        loss.backward()
        opt.step()
    print(loss)
    print(logits_w)
""",
)

program(
    "optim_printed",
    """
    import torch
    w = torch.zeros(2, requires_grad=True)
    print(torch.optim.SGD([w], lr=0.1))
    print(torch.optim.Adam([w], lr=0.01))
""",
)


program(
    "print_formatting_branches",
    """
    import torch
    values = [
        [1e8, 1.0], [99999999.0], [123456.0, 1.0], [0.1 + 0.2], [1e-4, 1.0], [1.5e-4, 0.2], [1000.0, 0.5],
        [1001.0, 0.5], [-1e-5], [float('inf'), 1.0], [float('inf')], [float('nan')], [0.0, 0.0], [-0.5, 1e3],
        [3.0, -4.0, 1e5], [2.5e-8, 1.0], [1e15], [123.456789], [-123.456789, 1.0], [1.0, 2.0, float('nan')],
        [[1e-3, 2.0], [3e3, -4.0]], [[1.0, float('-inf')], [0.5, 0.25]], [1e38, 1.0], [5e-45],
    ]
    for v in values:
        print(torch.tensor(v))
    for v in [[1e8, 1.0], [0.1], [1e-10, 1.0], [123456789.123]]:
        print(torch.tensor(v, dtype=torch.float64))
    for v in [[1, -100000], [123456789012], [0], [-1, 0, 1]]:
        print(torch.tensor(v))
""",
)


program(
    "graph_next_functions_of_every_op",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
    y = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    c = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    results = {
        "x + 1": x + 1, "x + y": x + y, "x + c": x + c, "c + x": c + x, "1 - x": 1 - x, "x * 2": x * 2,
        "x * c": x * c, "x / y": x / y, "2 / x": 2 / x, "x ** 2": x ** 2, "y ** x": y ** x, "2 ** x": 2 ** x,
        "-x": -x, "x.exp()": x.exp(), "x.relu()": x.relu(), "x.clamp(-1, 1)": x.clamp(-1, 1),
        "torch.maximum(x, c)": torch.maximum(x, c), "torch.where(x > 0, x, y)": torch.where(x > 0, x, y),
        "torch.where(x > 0, x, c)": torch.where(x > 0, x, c), "x.sum()": x.sum(), "x.mean(0)": x.mean(0),
        "x.max()": x.max(), "x.max(1)[0]": x.max(1)[0], "x.t()": x.t(), "x.reshape(-1)": x.reshape(-1),
        "x[0]": x[0], "x[:, 1:]": x[:, 1:], "x[None]": x[None], "x[[1, 0]]": x[[1, 0]],
        "torch.cat([x, y, c])": torch.cat([x, y, c]), "torch.stack([x, c])": torch.stack([x, c]),
        "x @ v": x @ v, "v @ v": v @ v, "v[:2] @ x": v[:2] @ x, "x @ y.t()": x @ y.t(),
        "torch.softmax(x, 1)": torch.softmax(x, 1), "F.mse_loss(x, c)": F.mse_loss(x, c),
        "F.mse_loss(x, y)": F.mse_loss(x, y), "F.cross_entropy(x, torch.tensor([0, 2]))": F.cross_entropy(x, torch.tensor([0, 2])),
        "F.binary_cross_entropy(x.sigmoid(), c / 6)": F.binary_cross_entropy(x.sigmoid(), c / 6),
        "x.double()": x.double(), "x.clone()": x.clone(), "x.unsqueeze(0).squeeze(0)": x.unsqueeze(0).squeeze(0),
    }
    for name, result in results.items():
        print(name, result.grad_fn, result.grad_fn.next_functions)
""",
)


program(
    "variable_wraps_a_detached_alias",
    """
    import torch
    from torch.autograd import Variable
    t = torch.tensor([1.0, 2.0])
    v = Variable(t, requires_grad=True)
    print(v is t, t.requires_grad, v.is_leaf)
    t.add_(1)
    print(v)
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = Variable(w)
    print(x is w, x.requires_grad, x.is_leaf)
    y = w * 2
    z = Variable(y)
    print(z.grad_fn, z.requires_grad)
    (v * v).sum().backward()
    print(v.grad, t.grad)
""",
)


program(
    "err_setitem_into_0d_leaf",
    """
    import torch
    w = torch.tensor(0.5, requires_grad=True)
    w[0] = 1.0
""",
)

program(
    "err_setitem_into_0d_tensor",
    """
    import torch
    s = torch.tensor(1.0)
    s[0] = 2.0
""",
)


# ---------------------------------------------------------------- Python builtins on tensors

program(
    "builtins_tensor_of_tensors",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor(a)
    print(b, b.requires_grad, b.is_leaf)
    losses = [(a * 2).sum(), (a * a).sum()]
    history = torch.tensor(losses)
    print(history, history.requires_grad)
    print(torch.tensor([torch.tensor(1.0), torch.tensor(2.5)]))
""",
)

program(
    "builtins_tensor_of_vectors_error",
    """
    import torch
    rows = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])]
    m = torch.tensor(rows)
""",
)

program(
    "builtins_conversions",
    """
    import torch
    x = torch.tensor(2.5)
    print(float(x), int(x), bool(x), round(x.item()))
    loss = torch.tensor(0.05)
    print("stop" if loss < 0.1 else "go")
    v = torch.tensor([1.0, 2.0])
    print(v.mean().item() > 1, v.sum() == 3)
    f = float(v)
""",
)

program(
    "builtins_sum_max_abs_pow",
    """
    import torch
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    s = sum(x)
    m = max(x)
    a = abs(x)
    p = pow(x, 2)
    print(s, m, a, p, sep="\\n")
    (s + m + a.sum() + p.sum()).backward()
    print(x.grad)
""",
)


# ---------------------------------------------------------------- the official PyTorch autograd tutorials, as published

program(
    "tutorial_gentle_intro_external_grad",
    """
    import torch
    a = torch.tensor([2., 3.], requires_grad=True)
    b = torch.tensor([6., 4.], requires_grad=True)
    Q = 3*a**3 - b**2
    external_grad = torch.tensor([1., 1.])
    Q.backward(gradient=external_grad)
    print(9*a**2 == a.grad)
    print(-2*b == b.grad)
""",
)

program(
    "tutorial_gentle_intro_exclusion",
    """
    import torch
    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)
    a = x + y
    print(f"Does `a` require gradients?: {a.requires_grad}")
    b = x + z
    print(f"Does `b` require gradients?: {b.requires_grad}")
""",
)

program(
    "tutorial_autogradqs_basics",
    """
    import torch
    x = torch.ones(5)  # input tensor
    y = torch.zeros(3)  # expected output
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w)+b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    loss.backward()
    print(w.grad)
    print(b.grad)
""",
)

program(
    "tutorial_autogradqs_disabling_tracking",
    """
    import torch
    x = torch.ones(5)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w)+b
    print(z.requires_grad)
    with torch.no_grad():
        z = torch.matmul(x, w)+b
    print(z.requires_grad)
    z = torch.matmul(x, w)+b
    z_det = z.detach()
    print(z_det.requires_grad)
""",
)

program(
    "tutorial_autogradqs_jacobian_products",
    """
    import torch
    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp+1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"First call\\n{inp.grad}")
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\\nSecond call\\n{inp.grad}")
    inp.grad.zero_()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\\nCall after zeroing gradients\\n{inp.grad}")
""",
)


program(
    "tutorial_d2l_autograd",
    """
    import torch
    x = torch.arange(4.0)
    print(x)
    x.requires_grad_(True)
    print(x.grad)
    y = 2 * torch.dot(x, x)
    print(y)
    y.backward()
    print(x.grad)
    print(x.grad == 4 * x)
    x.grad.zero_()
    y = x.sum()
    y.backward()
    print(x.grad)
    x.grad.zero_()
    y = x * x
    y.backward(gradient=torch.ones(len(y)))
    print(x.grad)
    x.grad.zero_()
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    print(x.grad == u)
    x.grad.zero_()
    y.sum().backward()
    print(x.grad == 2 * x)
""",
)

program(
    "tutorial_d2l_control_flow_inline",
    """
    import torch
    a = torch.tensor(0.3, requires_grad=True)
    b = a * 2
    while (b * b).sum().sqrt() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    c.backward()
    print(a.grad == c / a)
    print(c, a.grad)
""",
)


# ---------------------------------------------------------------- classic training-loop mistakes

program(
    "mistake_graph_built_outside_the_loop",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    for i in range(2):
        loss = (y ** 2).sum()
        loss.backward()
        print(i, x.grad)
""",
)

program(
    "mistake_rebinding_weight_makes_a_non_leaf",
    """
    import torch
    W = torch.tensor([1.0, 2.0], requires_grad=True)
    for i in range(2):
        loss = (W * W).sum()
        loss.backward()
        print(i, W.is_leaf, W.grad)
        W = W - 0.1 * W.grad
        print(W.is_leaf, W.grad_fn)
""",
)

program(
    "mistake_rebinding_under_no_grad_loses_requires_grad",
    """
    import torch
    W = torch.tensor([1.0, 2.0], requires_grad=True)
    for i in range(2):
        loss = (W * W).sum()
        loss.backward()
        with torch.no_grad():
            W = W - 0.1 * W.grad
        print(i, W, W.requires_grad, W.is_leaf)
""",
)


program(
    "err_in_place_shape_checked_before_dtype",
    """
    import torch
    counts = torch.tensor([[1], [2], [3]])
    step = torch.tensor([0.5, 0.5, 0.5])
    counts -= step
""",
)


program(
    "names_in_place_through_full_and_partial_views",
    """
    import torch
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    y = x * 1
    y[:] *= 2
    w = x * 1
    w[0:1] *= 2
    print(y.grad_fn, w.grad_fn)
    (y + w).sum().backward()
    print(x.grad)
""",
)


program(
    "grad_accumulates_into_the_same_tensor",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    (x * 3).sum().backward()
    print(g, x.grad, g is x.grad)
    x.grad.zero_()
    h = x.grad
    (x * 3).sum().backward()
    print(h, h is x.grad)
""",
)


program(
    "tutorial_blitz_autograd_part1",
    """
    import torch
    x = torch.ones(2, 2, requires_grad=True)
    print(x)
    y = x + 2
    print(y)
    print(y.grad_fn)
    z = y * y * 3
    out = z.mean()
    print(z, out)
    a = torch.randn(2, 2)
    a = ((a * 3) / (a - 1))
    print(a.requires_grad)
    a.requires_grad_(True)
    print(a.requires_grad)
    b = (a * a).sum()
    print(b.grad_fn)
    out.backward()
    print(x.grad)
""",
)

program(
    "tutorial_blitz_autograd_part2_uses_norm",
    """
    import torch
    x = torch.randn(3, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    print(y)
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    print(x.grad)
    print(x.requires_grad)
    print((x ** 2).requires_grad)
    with torch.no_grad():
        print((x ** 2).requires_grad)
""",
)


program(
    "legacy_constructors_and_casts",
    """
    import torch
    print(torch.LongTensor([1, 2]), torch.DoubleTensor([1.5]), torch.BoolTensor([True]))
    a = torch.FloatTensor([[1, 2], [3, 4]])
    a.requires_grad = True
    (a ** 2).sum().backward()
    print(a.grad, a.type())
    print(torch.tensor(3.7).int(), torch.tensor(-3.7).long(), torch.tensor([0.0, 0.5]).bool())
    x = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
    y = x.float()
    y.sum().backward()
    print(y, x.grad)
    s = torch.Size([2, 3])
    print(s, s[0], len(s), list(s), s == (2, 3), torch.zeros(s).shape)
""",
)


program(
    "names_matmul_batched_forms",
    """
    import torch
    W = torch.ones(3, 3, requires_grad=True)
    X = torch.ones(2, 3, 4)
    left_2d = W @ X
    r = torch.ones(1, 4, requires_grad=True)
    row_times_batch = torch.matmul(r, torch.ones(1, 4, 4))
    A = torch.ones(2, 3, 4, requires_grad=True)
    batch_times_2d = A @ torch.ones(4, 5)
    batch_times_batch = A @ torch.ones(2, 4, 5)
    batch_times_vector = A @ torch.ones(4)
    vector_times_batch = torch.ones(3) @ A
    for y in [left_2d, row_times_batch, batch_times_2d, batch_times_batch, batch_times_vector, vector_times_batch]:
        print(y.shape, y.grad_fn, y.grad_fn.next_functions)
    (left_2d.sum() + row_times_batch.sum() + batch_times_2d.sum() + batch_times_batch.sum()
     + batch_times_vector.sum() + vector_times_batch.sum()).backward()
    print(W.grad, r.grad, A.grad.sum())
""",
)


program(
    "print_random_values_in_many_scales",
    """
    import torch
    torch.manual_seed(123)
    print(torch.randn(4, 5))
    print(torch.rand(3, 3) * 100)
    print(torch.randn(2, 2, 3) * 1e-3)
    print(torch.randn(10) * 1e6)
    print(torch.randn(3, dtype=torch.float32) - 5)
    print(torch.randint(-50, 50, (3, 4)))
    print(torch.rand(2, 3, requires_grad=True))
    print(torch.randn(40, 30))
""",
)


program(
    "autograd_api_grad_variants",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 2).sum()
    g1 = torch.autograd.grad(y, x, retain_graph=True)
    g2 = torch.autograd.grad(y, [x])
    print(g1, g2, x.grad)
    v = x ** 2
    print(torch.autograd.grad(v, x, grad_outputs=torch.ones(2)))
    torch.autograd.backward([(x * 2).sum(), (x * 3).sum()])
    print(x.grad)
""",
)

program(
    "autograd_api_backward_inputs",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0], requires_grad=True)
    y = (x ** 2).sum() + z.sum()
    y.backward(inputs=[x])
    print(x.grad, z.grad)
""",
)

program(
    "autograd_api_grad_allow_unused",
    """
    import torch
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    y = a * 2
    g = torch.autograd.grad(y, [a, b], allow_unused=True)
    print(g)
""",
)

program(
    "autograd_api_grad_twice_error",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 2).sum()
    g = torch.autograd.grad(y, x)
    print(g)
    g = torch.autograd.grad(y, x)
""",
)


program(
    "err_int_tensor_divided_in_place",
    """
    import torch
    counts = torch.tensor([2, 4])
    print(counts / 2)
    counts /= 2
""",
)


# ---------------------------------------------------------------- scalar and broadcast binary ops (the engine's lean path)

program(
    "lean_zero_d_saved_operand_modified_in_place",
    """
    import torch
    a = torch.tensor(2.0, requires_grad=True)
    b = a * 1
    c = b * b
    b.add_(1)
    print(c)
    c.backward()
""",
)

program(
    "lean_zero_d_divisor_modified_in_place",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = x * 2
    q = x / y
    y.mul_(2)
    q.backward()
""",
)

program(
    "lean_div_output_changed_through_data_keeps_gradients",
    """
    import torch
    x = torch.tensor(3.0, requires_grad=True)
    y = torch.tensor(-4.0, requires_grad=True)
    q = x / y
    q.data.add_(100)
    q.backward()
    m = torch.tensor([[1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    d = torch.tensor([[0.5], [-2.0]], requires_grad=True)
    r = m / d
    r.data.mul_(-7)
    r.sum().backward()
    print(q, x.grad, y.grad, r, m.grad, d.grad)
""",
)

program(
    "lean_zero_d_create_graph_with_equal_operands",
    """
    import torch
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    y = a * b * a / b + b / a - a * a
    ga, gb = torch.autograd.grad(y, [a, b], create_graph=True)
    print(ga, gb)
    (ga * 3 + gb).backward()
    print(a.grad, b.grad)
""",
)

program(
    "lean_scalar_chain_in_each_float_dtype",
    """
    import torch
    for dtype in (torch.float16, torch.float32, torch.float64):
        x = torch.tensor(0.5, dtype=dtype, requires_grad=True)
        w = torch.tensor(1.25, dtype=dtype, requires_grad=True)
        y = x
        for _ in range(6):
            y = y * w - x / w + y
        y.backward()
        print(y, x.grad, w.grad, y.dtype)
""",
)

program(
    "lean_mixed_dtypes_and_numbers_take_the_general_path",
    """
    import torch
    x = torch.tensor(1.5, requires_grad=True)
    d = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    i = torch.tensor(3)
    y = (x * d + x / i - 2 * x + x * 0.5 - d / 4) * i
    y.backward()
    print(y, x.grad, d.grad)
""",
)

program(
    "lean_signed_zeros_of_scalar_ops",
    """
    import torch
    z = torch.tensor(-0.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    a = z * w
    b = z + z
    c = w * z - z
    d = z / w
    (a + b + c + d).backward()
    print(a, b, c, d, z.grad, w.grad)
""",
)

program(
    "lean_broadcast_mismatch_message",
    """
    import torch
    a = torch.ones(2, 3, requires_grad=True)
    b = torch.ones(4, requires_grad=True)
    y = a * b
""",
)

program(
    "lean_broadcast_both_ways_reduces_each_gradient",
    """
    import torch
    col = torch.tensor([[1.0], [2.0], [-3.0]], requires_grad=True)
    row = torch.tensor([[0.5, -1.0, 2.0, 4.0]], requires_grad=True)
    full = torch.tensor([[1.0, 2.0, 3.0, 4.0]] * 3, requires_grad=True)
    y = (col * row + full) / col - row * full + col - row
    y.sum().backward()
    print(y, col.grad, row.grad, full.grad)
""",
)

program(
    "lean_no_grad_scalar_ops_build_no_graph",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    with torch.no_grad():
        y = x * x + x / 2 - x
    z = x * 3
    print(y, y.requires_grad, y.grad_fn, y.is_leaf, z, z.is_leaf)
""",
)


# ---------------------------------------------------------------- create_graph: second derivatives through every op

program(
    "create_graph_through_pointwise_ops",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([0.5, 1.25, 2.0], requires_grad=True)
    w = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)
    second("exp", lambda x: (x.exp() * x).sum(), x)
    second("log", lambda x: (x.log() * x).sum(), x)
    second("sqrt", lambda x: (x.sqrt() * x).sum(), x)
    second("abs", lambda w: (w.abs() * w).sum(), w)
    second("sin", lambda x: (x.sin() * x).sum(), x)
    second("cos", lambda x: (torch.cos(x) * x).sum(), x)
    second("tanh", lambda w: (w.tanh() * w).sum(), w)
    second("sigmoid", lambda w: (torch.sigmoid(w) * w).sum(), w)
    second("relu", lambda w: (w.relu() * w * w).sum(), w)
    second("rounding", lambda x: (x.floor() * x + x.ceil() * x * x + x.round() * x + x.trunc() * x * x).sum(), x)
    second("clamp", lambda w: (w.clamp(-0.5, 1.0) * w * w + w.clamp_min(0.0) * w + torch.clamp_max(w, 0.0) * w).sum(), w)
    second("clip", lambda w: (torch.clip(w, min=-1.0) * w * w).sum(), w)
    second("maximum", lambda x, w: (torch.maximum(x, w) * x * w).sum(), x, w)
    second("minimum", lambda x, w: (torch.minimum(x, w) ** 2 * x).sum(), x, w)
    second("where", lambda x, w: (torch.where(x > 1.0, x * w, w * w) * x).sum(), x, w)
""",
)

program(
    "create_graph_through_arithmetic_ops",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([0.5, 1.25, 2.0], requires_grad=True)
    w = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)
    s = torch.tensor(0.75, requires_grad=True)
    second("add", lambda x, w: ((x + w) ** 2 + torch.add(x, w, alpha=2) * x).sum(), x, w)
    second("sub", lambda x, w: ((x - w) ** 3 + torch.sub(w, x, alpha=0.5) * w).sum(), x, w)
    second("mul", lambda x, w: (x * w * x).sum(), x, w)
    second("div", lambda x, w: (w / x + x / (w + 3)).sum(), x, w)
    second("broadcast", lambda x, s: (x * s + x / s - s * s * x).sum(), x, s)
    second("neg", lambda w: (-w * w * w).sum(), w)
    second("rsub", lambda w: ((1 - w) * w * w).sum(), w)
    second("reciprocal", lambda x: (x.reciprocal() * x * x).sum(), x)
    second("rdiv", lambda x: (2 / x).sum(), x)
    second("pow_scalar", lambda x: (x ** 3 + x ** 0.5 + x ** 0 * x).sum(), x)
    second("pow_tensor", lambda x, w: (x ** w).sum(), x, w)
    second("rpow", lambda w: (2 ** w * w).sum(), w)
    second("remainder", lambda x, w: ((x % 0.75) * x + torch.remainder(x, w + 3) * w).sum(), x, w)
""",
)

program(
    "create_graph_through_reductions",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    z = torch.tensor([[0.5, 0.0, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    second("sum", lambda x: x.sum() ** 2 + (x.sum(1) ** 3).sum() + x.sum(0, keepdim=True).exp().sum(), x)
    second("mean", lambda x: x.mean() ** 2 + (x.mean(dim=0) ** 3).sum() + x.mean(1, keepdim=True).exp().sum(), x)
    second("prod", lambda x: x.prod() + (x.prod(1) ** 2).sum() + x.prod(0, keepdim=True).sum(), x)
    second("prod_with_a_zero", lambda z: z.prod() + (z.prod(1) ** 2).sum() + z.prod(0).sum(), z)
    second("max_min", lambda x: x.max() ** 2 + x.min() ** 3 + (x.max(1).values ** 2).sum() + (x.min(0)[0] ** 3).sum(), x)
    second("var_std", lambda x: x.var() ** 2 + x.std() ** 3 + (x.var(1) * x.std(0, keepdim=True).sum()).sum(), x)
    second("norm", lambda x: x.norm() ** 3 + (x.norm(dim=1) ** 2).sum() + x.norm(p=1) ** 2 + x.norm(p=3) ** 2, x)
    second("norm_inf", lambda x: x.norm(p=float("inf")) ** 2 + (x * x).sum(), x)
""",
)

program(
    "create_graph_through_shape_ops",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    w = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)
    second("view_reshape", lambda x: (x.view(3, 2) ** 3).sum() + (x.reshape(-1) ** 3).sum() + (x.flatten() * x.view(6)).sum(), x)
    second("t_transpose_permute", lambda x: (x.t() ** 3 @ x.t().t() ** 2).sum() + (x.transpose(0, 1) ** 3).sum() + (x.permute(1, 0) * x.T).sum(), x)
    second("squeeze_unsqueeze", lambda x: (x.unsqueeze(0) ** 3).sum() + (x.unsqueeze(-1).squeeze() ** 3).sum() + (x.unsqueeze(1).squeeze(1) ** 2).sum(), x)
    second("expand", lambda w: (w.expand(2, 3) ** 3 * torch.tensor([[1.0], [2.0]])).sum(), w)
    second("select_slice", lambda x: (x[0] ** 3).sum() + (x[:, 1:] ** 3).sum() + (x[1, ::2] * x[0, :2]).sum(), x)
    second("advanced_index", lambda x: (x[[0, 1, 1]] ** 3).sum() + (x[x > 1.0] ** 2).sum() + (x[:, [2, 0]] ** 3).sum(), x)
    second("cat_stack", lambda x, w: (torch.cat([x, w.unsqueeze(0)]) ** 3).sum() + (torch.stack([w, x[0]], 1) ** 3).sum(), x, w)
    second("unbind", lambda x: sum(((row ** 3).sum() for row in x), torch.tensor(0.0)) + (x.unbind(1)[2] ** 2).sum(), x)
    second("repeat", lambda w: (w.repeat(2, 2) ** 3 * torch.arange(12.0).reshape(2, 6)).sum(), w)
    second("clone_contiguous", lambda x: (x.clone() ** 3).sum() + (x.t().contiguous() ** 3).sum(), x)
    second("to_double", lambda w: (w.double() ** 3).sum().float() + (w.to(torch.float64) * w.double()).sum().float(), w)
    second("sort", lambda w: (w.sort().values ** 3 * torch.tensor([1.0, 2.0, 3.0])).sum() + (w.sort(descending=True)[0] * w).sum(), w)
""",
)

program(
    "create_graph_through_more_views_and_fills",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    w = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)
    second("alias", lambda x: (x[...] ** 3).sum() + (x[:] ** 2).sum(), x)
    second("reshape_alias", lambda x: (x.t().reshape(3, 2) ** 3).sum(), x)
    second("squeeze_dims", lambda x: (x.unsqueeze(0).unsqueeze(2).squeeze((0, 2)) ** 3).sum(), x)
    second("vector_matrix", lambda x, w: ((w[:2] @ x) ** 3).sum(), x, w)

    def filled(x):
        y = x * x
        y[1].fill_(2.0)
        return (y ** 3).sum()

    second("fill_number", filled, x)
""",
)


program(
    "create_graph_third_derivatives_through_backward_ops",
    """
    import torch
    x = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)

    def third(f):
        (g,) = torch.autograd.grad(f(x), x, create_graph=True)
        (h,) = torch.autograd.grad((g ** 3).sum(), x, create_graph=True)
        (k,) = torch.autograd.grad((h ** 3).sum(), x)
        return torch.stack([g.detach(), h.detach(), k])

    third_tanh = third(lambda x: (x.tanh() * x).sum())
    third_sigmoid = third(lambda x: (x.sigmoid() * x).sum())
    third_relu = third(lambda x: (x.relu() * x * x).sum())
    third_select_slice = third(lambda x: (x[1] ** 3).sum() + (x[:, 1:] ** 4).sum())
    third_index = third(lambda x: (x[[0, 1, 1]] ** 3).sum())
    third_sort_max = third(lambda x: (x.sort(1).values ** 3 * torch.arange(3.0)).sum() + (x.max(0).values ** 4).sum())

    def written_through_a_view(x):
        y = x * 1.0
        row = y[1]
        y.mul_(x)
        y[0, 1:].mul_(x[1, :2])
        return (row ** 3).sum() + (y ** 3).sum()

    third_in_place = third(written_through_a_view)
""",
)


program(
    "create_graph_through_matrix_and_loss_ops",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    a = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    b = torch.tensor([[1.5, -0.5], [0.25, 2.0], [-1.0, 0.75]], requires_grad=True)
    v = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)
    p = torch.tensor([[0.2, 0.7], [0.9, 0.4]], requires_grad=True)
    second("mm_matmul", lambda a, b: ((a @ b) ** 2).sum() + (torch.mm(a, b) ** 3).sum() + (a.matmul(b) * 2).sum(), a, b)
    second("mv", lambda a, v: (torch.mv(a, v) ** 3).sum() + ((a @ v) ** 2).sum(), a, v)
    second("dot", lambda v: torch.dot(v, v * 2) ** 2 + (v @ v) ** 2, v)
    second("bmm", lambda a, b: (torch.bmm(a.unsqueeze(0), b.unsqueeze(0)) ** 3).sum() + ((a.expand(2, 2, 3) @ b) ** 2).sum(), a, b)
    second("softmax", lambda a: (a.softmax(1) ** 2 * a).sum() + (torch.softmax(a, dim=0) * a * a).sum(), a)
    second("log_softmax", lambda a: (a.log_softmax(1) ** 2).sum() + (torch.log_softmax(a, dim=0) * a).sum(), a)
    second("mse_loss", lambda a, b: torch.nn.functional.mse_loss(a, b.t()) ** 2 + torch.nn.functional.mse_loss(a, b.t(), reduction="sum") * a.sum(), a, b)
    second("mse_loss_none", lambda a: (torch.nn.functional.mse_loss(a, torch.ones(2, 3), reduction="none") ** 2).sum(), a)
    second("bce", lambda p: torch.nn.functional.binary_cross_entropy(p, torch.tensor([[0.0, 1.0], [1.0, 0.5]])) ** 2, p)
    second("bce_with_logits", lambda a, b: torch.nn.functional.binary_cross_entropy_with_logits(a, b.t().sigmoid()) ** 2, a, b)
    second("cross_entropy", lambda a: torch.nn.functional.cross_entropy(a, torch.tensor([2, 0])) ** 2 + torch.nn.functional.cross_entropy(a, torch.tensor([1, 1]), reduction="sum") * a.sum(), a)
    second("nll_loss", lambda a: (torch.nn.functional.nll_loss(a.log_softmax(1), torch.tensor([1, 2]), reduction="none") ** 2).sum() + torch.nn.functional.nll_loss(a[0].log_softmax(0), torch.tensor(2)) ** 2, a)
""",
)

program(
    "create_graph_through_in_place_ops",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    w = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)

    def written(x, w):
        y = x * 1.0
        y[0] = w * w
        y[1, [0, 2]] = w[:2] ** 3
        y.mul_(x)
        y[:, 1].add_(w[:2] * x[:, 0])
        return (y ** 2).sum()

    def filled(x, w):
        y = x * x
        y[0].zero_()
        y[1, :2].fill_(w[0] * 2)
        z = x * 1.0
        z.copy_(w * w)
        return (y ** 2).sum() + (z ** 3).sum()

    def through_views(x):
        y = x * 1.0
        row = y[1]
        y.mul_(x)
        return (row ** 3).sum() + (y ** 2).sum()

    second("setitem_and_in_place", written, x, w)
    second("zero_fill_copy", filled, x, w)
    second("view_after_in_place", through_views, x)
""",
)

program(
    "create_graph_through_operands_of_different_dtypes",
    """
    import torch
    x = torch.tensor([0.5, 1.25, 2.0], requires_grad=True)
    y = torch.tensor([1.5, -0.75, 0.25], dtype=torch.float64, requires_grad=True)
    i = torch.tensor([2, -1, 3])
    (gx, gy) = torch.autograd.grad((x * y * x).sum() + (x / (y + 2)).sum() + (x ** (y * y)).sum(), [x, y], create_graph=True)
    (hx, hy) = torch.autograd.grad((gx * gx).sum() + (gy * gy).sum(), [x, y])
    (gi,) = torch.autograd.grad((x * x * i).sum() + (x ** 2 / i).sum(), x, create_graph=True)
    (hi,) = torch.autograd.grad((gi * gi).sum(), x)
    print(gx.dtype, gy.dtype, gi.dtype)
    gx, gy, gi = gx.detach(), gy.detach(), gi.detach()
""",
)

program(
    "create_graph_gradients_are_named_as_pytorch_names_them",
    """
    import torch
    x = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    w = torch.tensor([1.5, -0.75, 0.25], requires_grad=True)
    (g_exp,) = torch.autograd.grad(x.exp().sum(), x, create_graph=True)
    (g_log,) = torch.autograd.grad(x.abs().log().sum(), x, create_graph=True)
    (g_tanh,) = torch.autograd.grad(x.tanh().sum(), x, create_graph=True)
    (g_sigmoid,) = torch.autograd.grad(x.sigmoid().sum(), x, create_graph=True)
    (g_relu,) = torch.autograd.grad(x.relu().sum(), x, create_graph=True)
    (g_sqrt,) = torch.autograd.grad(w.abs().sqrt().sum(), w, create_graph=True)
    (g_broadcast,) = torch.autograd.grad((x * w).sum(), w, create_graph=True)
    (g_mean,) = torch.autograd.grad(x.mean(), x, create_graph=True)
    (g_sum_dim,) = torch.autograd.grad(x.sum(1).pow(2).sum(), x, create_graph=True)
    (g_prod,) = torch.autograd.grad(x.prod(), x, create_graph=True)
    (g_max,) = torch.autograd.grad(x.max(1).values.sum(), x, create_graph=True)
    (g_var,) = torch.autograd.grad(x.var(), x, create_graph=True)
    (g_norm,) = torch.autograd.grad(x.norm(), x, create_graph=True)
    (g_mm,) = torch.autograd.grad((x @ x.t()).sum(), x, create_graph=True)
    (g_softmax,) = torch.autograd.grad((x.softmax(1) * x).sum(), x, create_graph=True)
    (g_index,) = torch.autograd.grad((x[[0, 1, 1]] ** 2).sum(), x, create_graph=True)
    (g_select,) = torch.autograd.grad((x[1] ** 2).sum(), x, create_graph=True)
    (g_slice,) = torch.autograd.grad((x[:, 1:] ** 2).sum(), x, create_graph=True)
    (g_cat,) = torch.autograd.grad((torch.cat([w, w]) ** 2).sum(), w, create_graph=True)
    (g_stack,) = torch.autograd.grad((torch.stack([w, w * 2]) ** 2).sum(), w, create_graph=True)
    (g_expand,) = torch.autograd.grad((w.expand(2, 3) ** 2).sum(), w, create_graph=True)
    (g_repeat,) = torch.autograd.grad((w.repeat(2, 2) ** 2).sum(), w, create_graph=True)
    (g_transpose,) = torch.autograd.grad((x.t() ** 2).sum(), x, create_graph=True)
    (g_sort,) = torch.autograd.grad((w.sort().values ** 2).sum(), w, create_graph=True)
    print(g_exp.grad_fn, g_index.grad_fn, g_expand.grad_fn.next_functions)
""",
)

program(
    "create_graph_third_derivatives",
    """
    import torch

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    x = torch.tensor([0.5, 1.25, 2.0], requires_grad=True)
    a = torch.tensor([[0.5, 1.25], [-1.0, 3.0]], requires_grad=True)

    def third(f, t):
        (g,) = torch.autograd.grad(f(t), t, create_graph=True)
        (h,) = torch.autograd.grad((g * g).sum(), t, create_graph=True)
        (k,) = torch.autograd.grad(h.sum(), t)
        return torch.stack([g.detach(), h.detach(), k])

    third_exp_sin = third(lambda x: (x.exp() * x.sin()).sum(), x)
    third_matmul_softmax = third(lambda a: ((a @ a).softmax(1) * a).sum(), a)
    third_index_prod = third(lambda x: x[[0, 2, 2]].prod() + x.max(), x)
""",
)


# ---------------------------------------------------------------- torch's random numbers

program(
    "random_manual_seed_then_randn_prints_torchs_numbers",
    """
    import torch
    torch.manual_seed(0)
    print(torch.randn(3))
    print(torch.randn(2, 8))
    print(torch.rand(4))
    print(torch.randint(0, 10, (6,)))
    print(torch.randperm(8))
""",
)

program(
    "create_graph_through_random_samplers_gives_zero_gradients",
    """
    import torch
    torch.manual_seed(3)
    x = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    p = torch.tensor([0.25, 0.5, 0.75], requires_grad=True)

    def through(sample):
        y = x * x
        out = sample(y)
        (g,) = torch.autograd.grad((out * x).sum(), x, create_graph=True)
        return out.detach(), g

    uniform, g_uniform = through(lambda y: y.uniform_())
    normal, g_normal = through(lambda y: y.normal_(1.0, 2.0))
    random_from_to, g_random_from_to = through(lambda y: y.random_(0, 5))
    random_to, g_random_to = through(lambda y: y.random_(5))
    random_all, g_random_all = through(lambda y: y.random_())
    bernoulli_p, g_bernoulli_p = through(lambda y: y.bernoulli_(p))
    bernoulli_float, g_bernoulli_float = through(lambda y: y.bernoulli_(0.5))
    exponential, g_exponential = through(lambda y: y.exponential_())
    bernoulli_of, g_bernoulli_of = through(lambda y: torch.bernoulli(y.sigmoid()))
    normal_mean, g_normal_mean = through(lambda y: torch.normal(y, 1.0))
    normal_std, g_normal_std = through(lambda y: torch.normal(0.0, y))
    normal_both, g_normal_both = through(lambda y: torch.normal(y, y))
""",
)

program(
    "random_default_seed_of_a_fresh_run",
    """
    import torch
    print(torch.initial_seed())
    print(torch.randn(5))
    print(torch.rand(2, 2))
""",
)

program(
    "random_small_randn_shares_the_box_muller_cache",
    """
    import torch
    torch.manual_seed(3)
    a = torch.randn(3)
    b = torch.randn(1)
    c = torch.randn(20)
    d = torch.randn(2)
    print(a, b, d)
    print(c)
""",
)

program(
    "random_seeds_and_dtypes",
    """
    import torch
    for seed in [1, 42, 1234]:
        torch.manual_seed(seed)
        print(torch.randn(2, dtype=torch.float64), torch.rand(3, dtype=torch.float16))
        print(torch.randn(17))
""",
)

program(
    "random_in_place_samplers",
    """
    import torch
    torch.manual_seed(7)
    w = torch.empty(3, 4)
    w.uniform_(-0.5, 0.5)
    b = torch.zeros(5).normal_(1.0, 0.1)
    m = torch.empty(6).bernoulli_(0.3)
    e = torch.empty(3).exponential_()
    r = torch.zeros(4, dtype=torch.int64).random_(10)
    print(w, b, m, e, r)
""",
)

program(
    "random_init_a_parameter_under_no_grad",
    """
    import torch
    torch.manual_seed(0)
    w = torch.empty(4, 3, requires_grad=True)
    with torch.no_grad():
        w.uniform_(-0.577, 0.577)
    y = (w * 2).sum()
    y.backward()
    print(w, w.is_leaf, w.grad)
""",
)

program(
    "random_dropout_train_and_eval",
    """
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    x = torch.ones(2, 6, requires_grad=True)
    y = F.dropout(x, p=0.5)
    y.sum().backward()
    print(y)
    print(x.grad)
    z = F.dropout(x, p=0.5, training=False)
    print(z is x, F.dropout(x, 1.0))
""",
)

program(
    "random_bernoulli_and_normal_forms",
    """
    import torch
    torch.manual_seed(2)
    p = torch.tensor([0.1, 0.5, 0.9, 0.5])
    print(torch.bernoulli(p), torch.bernoulli(p, 0.5))
    print(torch.normal(torch.zeros(3), 2.0))
    print(torch.normal(1.0, torch.ones(3)))
    print(torch.normal(torch.zeros(2, 1), torch.ones(1, 3)))
    print(torch.normal(0.0, 1.0, size=(2, 2)))
""",
)

program(
    "random_generator_objects",
    """
    import torch
    g = torch.Generator()
    print(g.initial_seed())
    g.manual_seed(42)
    a = torch.randn(3, generator=g)
    b = torch.rand(2, generator=g)
    print(a, b)
    print(torch.randint(0, 100, (4,), generator=torch.Generator().manual_seed(5)))
    print(torch.manual_seed(1).initial_seed())
""",
)

program(
    "random_rng_state_restores_the_stream",
    """
    import torch
    torch.manual_seed(0)
    torch.randn(3)
    state = torch.get_rng_state()
    a = torch.randn(4)
    torch.set_rng_state(state)
    b = torch.randn(4)
    print(a, b, state.dtype, state.shape)
    g = torch.Generator()
    g.set_state(state)
    print(torch.randn(4, generator=g))
""",
)

program(
    "random_noise_on_a_transposed_view",
    """
    import torch
    torch.manual_seed(4)
    w = torch.zeros(4, 5).t()
    w.normal_()
    print(w)
    print(torch.rand_like(torch.zeros(3, 2).t()))
""",
)

program(
    "random_samplers_on_graph_tensors_pass_zero_gradients",
    """
    import torch
    torch.manual_seed(0)
    x = torch.ones(4, requires_grad=True)
    a = x * 2
    a.uniform_()
    b = x * 3
    b.normal_()
    c = x * 1
    c.random_(5)
    d = x + 0
    d.bernoulli_(0.5)
    e = x - 1
    e.exponential_()
    f = x * 4
    f.bernoulli_(torch.full((4,), 0.5))
    print(a.grad_fn, b.grad_fn, c.grad_fn, d.grad_fn, e.grad_fn, f.grad_fn)
    (a + b + c + d + e + f).sum().backward()
    print(x.grad)
""",
)

program(
    "random_sampled_from_tensors_pass_zero_gradients",
    """
    import torch
    torch.manual_seed(0)
    p = torch.full((3,), 0.5, requires_grad=True)
    m = torch.zeros(3, requires_grad=True)
    s = torch.ones(3, requires_grad=True)
    y = torch.bernoulli(p)
    n1 = torch.normal(m, 1.0)
    n2 = torch.normal(0.0, s)
    n3 = torch.normal(m, s)
    print(y.grad_fn, n1.grad_fn, n2.grad_fn, n3.grad_fn)
    (y + n1 + n2 + n3).sum().backward()
    print(p.grad, m.grad, s.grad)
""",
)

program(
    "err_random_uniform_on_a_leaf_that_requires_grad",
    """
    import torch
    w = torch.zeros(3, requires_grad=True)
    w.uniform_()
""",
)

program(
    "err_random_uniform_from_above_to",
    """
    import torch
    x = torch.zeros(3)
    x.uniform_(1.0, 0.0)
""",
)

program(
    "err_random_bernoulli_p_out_of_range",
    """
    import torch
    torch.bernoulli(torch.tensor([0.5, 1.5]))
""",
)

program(
    "err_random_randint_empty_range",
    """
    import torch
    torch.randint(3, 3, (2,))
""",
)

program(
    "err_random_dropout_p_out_of_range",
    """
    import torch
    import torch.nn.functional as F
    F.dropout(torch.ones(3), p=1.2)
""",
)


# ---------------------------------------------------------------- seed examples (shared/seed-examples)


def _seed_programs() -> list[tuple[str, str]]:
    return [(f"seed_{path.stem}", path.read_text()) for path in sorted(SEED_DIR.glob("*.py"))]


def _sibling_programs(filename: str, attribute: str) -> list[tuple[str, str]]:
    """The programs of a sibling file (loaded by path however this module was imported)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"_{Path(filename).stem}", Path(__file__).with_name(filename)
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attribute)


PROGRAMS: list[tuple[str, str]] = (
    _WRITTEN
    + _sibling_programs("conformance_language.py", "LANGUAGE")
    + _sibling_programs("conformance_programs_nn.py", "PROGRAMS")
    + _sibling_programs("conformance_ops_programs.py", "WRITTEN")
    + _seed_programs()
)

_names = [name for name, _ in PROGRAMS]
assert len(_names) == len(set(_names)), "program names must be unique"
