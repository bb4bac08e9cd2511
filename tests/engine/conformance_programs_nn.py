"""torch.nn conformance programs (modules, options, errors, print(model), state_dict, F.conv2d ...).

Default initialisation is checked against torch's own generator at the end; most programs set every
parameter to fixed eighths first (`SET_PARAMS(model)` expands to that loop), so their sums are exact
whatever the order of summation.
"""

from __future__ import annotations

from textwrap import dedent

PROGRAMS: list[tuple[str, str]] = []


def set_params(variable: str) -> str:
    """Every parameter set to eighths in [-3/8, 3/8]: exact in binary, so sums do not depend on order."""
    return (
        f"with torch.no_grad():\n"
        f"    for p in {variable}.parameters():\n"
        f"        p.copy_(((torch.arange(p.numel()) % 7 - 3) / 8).reshape(p.shape))\n"
    )


def program(name: str, source: str) -> None:
    lines = []
    for line in dedent(source).lstrip("\n").splitlines(keepends=True):
        if line.startswith("SET_PARAMS("):
            lines.append(set_params(line.strip()[len("SET_PARAMS(") : -1]))
        else:
            lines.append(line)
    PROGRAMS.append((f"nn_{name}", "".join(lines)))


# ---------------------------------------------------------------- Module basics, repr, state_dict

program(
    "sequential_repr_len_index_and_state_dict_keys",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    print(model)
    print(len(model), model[0], model[-1])
    print(model[0:2])
    print(list(model.state_dict().keys()))
    print([name for name, p in model.named_parameters()])
    print([name for name, m in model.named_modules()])
    print([name for name, m in model.named_children()])
    print(len(list(model.parameters())), len(list(model.children())), len(list(model.modules())))
    for m in model:
        print(m)
""",
)

program(
    "module_list_repr_compacts_equal_children",
    """
    import torch
    import torch.nn as nn
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3)])
    print(layers)
    print(len(layers), layers[3], layers[-1])
    layers.append(nn.Tanh())
    print(len(layers), list(layers.state_dict().keys()))
    print(nn.ModuleList())
""",
)

program(
    "layer_reprs_with_options",
    """
    import torch
    import torch.nn as nn
    print(nn.Linear(2, 3), nn.Linear(2, 3, bias=False))
    print(nn.ReLU(), nn.ReLU(inplace=True), nn.LeakyReLU(), nn.LeakyReLU(0.2, True))
    print(nn.Tanh(), nn.Sigmoid(), nn.GELU(), nn.GELU(approximate='tanh'))
    print(nn.Softmax(), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1))
    print(nn.Dropout(), nn.Dropout(0.2, inplace=True), nn.Flatten(), nn.Flatten(0, 1), nn.Identity())
    print(nn.Embedding(10, 3), nn.Embedding(10, 3, padding_idx=0, scale_grad_by_freq=True))
    print(nn.LayerNorm(3), nn.LayerNorm([2, 3], eps=1e-3, elementwise_affine=False), nn.LayerNorm(4, bias=False))
    print(nn.BatchNorm1d(3), nn.BatchNorm1d(3, momentum=None, affine=False, track_running_stats=False))
    print(nn.Conv2d(1, 2, 3), nn.Conv2d(2, 4, (3, 2), stride=2, padding=1, dilation=2, groups=2, bias=False))
    print(nn.Conv2d(1, 1, 3, padding='same'), nn.Conv2d(1, 1, 3, padding='valid'))
    print(nn.MaxPool2d(2), nn.MaxPool2d((2, 3), stride=1, padding=1, ceil_mode=True))
    print(nn.MSELoss(), nn.L1Loss(), nn.CrossEntropyLoss(), nn.NLLLoss(), nn.BCELoss(), nn.BCEWithLogitsLoss())
    print(nn.Module())
""",
)

program(
    "parameter_repr_and_arithmetic",
    """
    import torch
    import torch.nn as nn
    p = nn.Parameter(torch.tensor([1.0, 2.0]))
    q = nn.Parameter(torch.tensor([3.0]), requires_grad=False)
    print(p)
    print(q)
    y = p * 2 + torch.tensor([1.0, 1.0]) * p + p / p
    y.sum().backward()
    print(y, p.grad, p.is_leaf, q.requires_grad)
""",
)

program(
    "parameter_of_integer_tensor_is_an_error",
    """
    import torch
    import torch.nn as nn
    p = nn.Parameter(torch.tensor([1, 2]))
""",
)

program(
    "train_eval_modes_and_zero_grad",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    print(model.training, model[0].training)
    model.eval()
    print(model.training, model[1].training)
    model.train()
    print(model.training, model[1].training)
    model.train(False)
    print(model.training)
    SET_PARAMS(model)
    out = model(torch.tensor([[1.0, 2.0]]))
    out.sum().backward()
    print(model[0].weight.grad)
    model.zero_grad()
    print(model[0].weight.grad)
    out = model(torch.tensor([[1.0, 2.0]]))
    out.sum().backward()
    model.zero_grad(set_to_none=False)
    print(model[0].weight.grad, model[0].bias.grad)
""",
)

program(
    "state_dict_values_and_load_state_dict",
    """
    import torch
    import torch.nn as nn
    a = nn.Linear(2, 2)
    b = nn.Linear(2, 2)
    SET_PARAMS(a)
    sd = a.state_dict()
    print(sd)
    print(b.load_state_dict(sd))
    print(b.weight, b.bias)
    print(b.load_state_dict({'weight': torch.zeros(2, 2)}, strict=False))
    print(b.weight.requires_grad, sd['weight'].requires_grad)
""",
)

program(
    "load_state_dict_missing_key_is_an_error",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    model.load_state_dict({'weight': torch.zeros(2, 2)})
""",
)

program(
    "load_state_dict_size_mismatch_is_an_error",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    model.load_state_dict({'weight': torch.zeros(3, 2), 'bias': torch.zeros(2)})
""",
)

program(
    "module_attribute_errors",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    model.foo
""",
)

program(
    "assigning_a_number_to_a_parameter_is_an_error",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    model.weight = 3
""",
)

program(
    "unknown_constructor_keyword_is_an_error",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(2, 3, foo=1)
""",
)

program(
    "module_without_forward_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Module()(torch.ones(1))
""",
)

program(
    "sequential_index_out_of_range",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    model[5]
""",
)

program(
    "module_dtype_conversion_and_requires_grad",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    model.double()
    print(model[0].weight.dtype, model[1].running_mean.dtype, model[1].num_batches_tracked.dtype)
    model.float()
    print(model[0].bias.dtype)
    model.to(torch.float64)
    print(model[0].bias.dtype)
    lin = nn.Linear(2, 2, dtype=torch.float64)
    print(lin.weight.dtype)
    model.requires_grad_(False)
    print([p.requires_grad for p in model.parameters()])
""",
)

program(
    "register_buffer_and_extra_attributes",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    model.register_buffer('scale', torch.tensor([2.0, 3.0]))
    model.register_buffer('tmp', torch.tensor(1.0), persistent=False)
    model.note = 'hello'
    print(list(model.state_dict().keys()), model.scale, model.note)
    print([n for n, b in model.named_buffers()])
""",
)

# ---------------------------------------------------------------- Linear (grad_fn per input rank)

for _rank, _shape in (
    ("1d", "(3,)"),
    ("2d", "(4, 3)"),
    ("3d", "(2, 4, 3)"),
    ("4d", "(2, 1, 2, 3)"),
):
    for _bias in (True, False):
        program(
            f"linear_{_rank}_input_bias_{_bias}",
            f"""
            import torch
            import torch.nn as nn
            layer = nn.Linear(3, 2, bias={_bias})
            SET_PARAMS(layer)
            x = torch.linspace(-1.0, 1.0, torch.Size({_shape}).numel()).reshape({_shape}).requires_grad_()
            y = layer(x)
            y.pow(2).sum().backward()
            print(y, y.grad_fn, y.grad_fn.next_functions)
            w = layer.weight
            b = layer.bias
            print(w.grad, b.grad if b is not None else None)
        """,
        )

program(
    "linear_transposed_input_takes_matmul_and_add",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(3, 2)
    SET_PARAMS(layer)
    x = torch.arange(12.0).reshape(2, 3, 2).transpose(1, 2).requires_grad_()
    y = layer(x)
    y.sum().backward()
    print(y, y.grad_fn, y.grad_fn.next_functions)
    w = layer.weight
""",
)

program(
    "linear_wrong_in_features_is_an_error",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(3, 2)
    layer(torch.ones(4, 4))
""",
)

program(
    "linear_double_input_float_weight_is_an_error",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(3, 2)
    layer(torch.ones(4, 3, dtype=torch.float64))
""",
)

program(
    "functional_linear_and_addmm",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
    w = torch.tensor([[0.5, -0.5], [1.0, 2.0], [0.0, 1.0]], requires_grad=True)
    b = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
    y = F.linear(x, w, b)
    z = torch.addmm(b, x, w.t(), beta=0.5, alpha=2.0)
    (y * z).sum().backward()
    print(y, z, x.grad, w.grad, b.grad)
""",
)

# ---------------------------------------------------------------- activations

program(
    "activation_modules_values_grads_and_grad_fns",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
    outs = [nn.ReLU()(x), nn.LeakyReLU()(x), nn.LeakyReLU(0.2)(x), nn.Tanh()(x), nn.Sigmoid()(x),
            nn.GELU()(x), nn.GELU(approximate='tanh')(x), nn.Softmax(dim=0)(x), nn.LogSoftmax(dim=0)(x),
            nn.Identity()(x)]
    total = outs[0].sum()
    for i in range(1, len(outs)):
        total = total + outs[i].sum() * (i + 1)
    total.backward()
    for o in outs:
        print(o, o.grad_fn)
    print(x.grad)
""",
)

program(
    "gelu_on_a_matrix",
    """
    import torch
    import torch.nn.functional as F
    x = torch.linspace(-2.0, 2.5, 12).reshape(3, 4).requires_grad_()
    y = F.gelu(x)
    t = F.gelu(x, approximate='tanh')
    (y * t).sum().backward()
    print(y, t, x.grad)
""",
)

program(
    "gelu_bad_approximate_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.GELU(approximate='fast')(torch.ones(2))
""",
)

program(
    "relu_inplace_module",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 2
    y = nn.ReLU(inplace=True)(h)
    y.sum().backward()
    print(y, h, y.grad_fn, x.grad)
""",
)

program(
    "softmax_module_on_2d_input_without_dim",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]], requires_grad=True)
    y = nn.Softmax()(x)
    z = nn.LogSoftmax(dim=1)(x)
    (y[:, 0] + z[:, 1]).sum().backward()
    print(y, z, x.grad)
""",
)

# ---------------------------------------------------------------- Dropout

program(
    "dropout_eval_and_edge_probabilities",
    """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    d = nn.Dropout(0.5)
    d.eval()
    e = d(x)
    z = nn.Dropout(0.0)(x)
    o = nn.Dropout(1.0)(x)
    f = F.dropout(x, 0.5, training=False)
    (e + o).sum().backward()
    print(e, e is x, z is x, o, o.grad_fn, f is x, x.grad)
""",
)

program(
    "dropout_bad_probability_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Dropout(1.5)
""",
)

# ---------------------------------------------------------------- Embedding

program(
    "embedding_lookup_grads_and_padding_idx",
    """
    import torch
    import torch.nn as nn
    emb = nn.Embedding(5, 3, padding_idx=0)
    SET_PARAMS(emb)
    idx = torch.tensor([[1, 0, 3], [3, 3, 4]])
    out = emb(idx)
    out.pow(2).sum().backward()
    w = emb.weight
    print(out, out.grad_fn, w.grad)
""",
)

program(
    "embedding_scale_grad_by_freq",
    """
    import torch
    import torch.nn.functional as F
    w = torch.linspace(-1.0, 1.0, 8).reshape(4, 2).requires_grad_()
    out = F.embedding(torch.tensor([1, 1, 2]), w, scale_grad_by_freq=True)
    out.sum().backward()
    print(out, w.grad)
""",
)

program(
    "embedding_index_out_of_range_is_an_error",
    """
    import torch
    import torch.nn as nn
    emb = nn.Embedding(4, 2)
    emb(torch.tensor([4]))
""",
)

program(
    "embedding_float_indices_is_an_error",
    """
    import torch
    import torch.nn as nn
    emb = nn.Embedding(4, 2)
    emb(torch.tensor([1.0]))
""",
)

# ---------------------------------------------------------------- LayerNorm, BatchNorm1d

program(
    "layer_norm_values_grads",
    """
    import torch
    import torch.nn as nn
    ln = nn.LayerNorm(4)
    SET_PARAMS(ln)
    x = torch.tensor([[1.0, 2.0, 4.0, 8.0], [0.5, -0.5, 1.5, 0.0]], requires_grad=True)
    y = ln(x)
    (y * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    w = ln.weight
    b = ln.bias
    print(y, y.grad_fn, x.grad, w.grad, b.grad)
""",
)

program(
    "layer_norm_without_affine_over_two_dims",
    """
    import torch
    import torch.nn as nn
    ln = nn.LayerNorm([2, 3], elementwise_affine=False, eps=1e-3)
    x = torch.arange(12.0).reshape(2, 2, 3).pow(1.5).requires_grad_()
    y = ln(x)
    (y * y * torch.arange(6.0).reshape(2, 3)).sum().backward()
    print(y, y.grad_fn, x.grad, list(ln.state_dict().keys()))
""",
)

program(
    "layer_norm_wrong_shape_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.LayerNorm(3)(torch.ones(2, 4))
""",
)

program(
    "batch_norm_training_updates_running_stats",
    """
    import torch
    import torch.nn as nn
    bn = nn.BatchNorm1d(3)
    SET_PARAMS(bn)
    x = torch.tensor([[1.0, 2.0, 3.0], [2.0, 0.0, -1.0], [4.0, 1.0, 0.5], [0.0, 1.0, 2.0]], requires_grad=True)
    y = bn(x)
    (y * torch.arange(12.0).reshape(4, 3)).sum().backward()
    w = bn.weight
    b = bn.bias
    rm = bn.running_mean
    rv = bn.running_var
    print(y, y.grad_fn, x.grad, w.grad, b.grad)
    print(rm, rv, bn.num_batches_tracked)
    y2 = bn(x * 2)
    print(rm, rv, bn.num_batches_tracked)
    print(list(bn.state_dict().keys()))
""",
)

program(
    "batch_norm_eval_uses_running_stats",
    """
    import torch
    import torch.nn as nn
    bn = nn.BatchNorm1d(2)
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]], requires_grad=True)
    bn(x)
    bn.eval()
    y = bn(x)
    y.sum().backward()
    print(y, y.grad_fn, x.grad, bn.running_mean, bn.running_var)
""",
)

program(
    "batch_norm_3d_input_and_momentum_none",
    """
    import torch
    import torch.nn as nn
    bn = nn.BatchNorm1d(2, momentum=None)
    x = torch.tensor([[[1.0, 2.0], [0.5, -1.0]], [[3.0, -2.0], [1.5, 0.0]], [[0.0, 4.0], [2.0, 2.5]]],
                     requires_grad=True)
    y = bn(x)
    y2 = bn(x * 2)
    (y * torch.arange(12.0).reshape(3, 2, 2) + y2 * y2 * y2).sum().backward()
    print(y, x.grad, bn.running_mean, bn.running_var, bn.num_batches_tracked)
""",
)

program(
    "batch_norm_no_running_stats_no_affine",
    """
    import torch
    import torch.nn as nn
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False)
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0], [-1.0, 0.5]], requires_grad=True)
    bn.eval()
    y = bn(x)
    (y * torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.5, -2.0]])).sum().backward()
    print(y, x.grad, bn.running_mean, list(bn.state_dict().keys()))
""",
)

program(
    "batch_norm_one_value_per_channel_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.BatchNorm1d(3)(torch.ones(1, 3))
""",
)

program(
    "batch_norm_1d_input_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.BatchNorm1d(3)(torch.ones(3))
""",
)

# ---------------------------------------------------------------- Conv2d, MaxPool2d, Flatten

program(
    "conv2d_values_grads_and_grad_fn",
    """
    import torch
    import torch.nn as nn
    conv = nn.Conv2d(2, 3, 2)
    SET_PARAMS(conv)
    x = ((torch.arange(64.0) % 9 - 4) / 4).reshape(2, 2, 4, 4).requires_grad_()
    y = conv(x)
    (y * y).sum().backward()
    w = conv.weight
    b = conv.bias
    print(y, y.grad_fn, y.grad_fn.next_functions)
    print(x.grad, w.grad, b.grad)
""",
)

program(
    "conv2d_stride_padding_dilation_groups",
    """
    import torch
    import torch.nn as nn
    conv = nn.Conv2d(2, 4, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, bias=False)
    SET_PARAMS(conv)
    x = ((torch.arange(50.0) % 11 - 5) / 4).reshape(1, 2, 5, 5).requires_grad_()
    y = conv(x)
    (y * (torch.arange(y.numel()) % 5 / 4).reshape(y.shape)).sum().backward()
    w = conv.weight
    print(y.shape, y, y.grad_fn.next_functions, x.grad, w.grad)
""",
)

program(
    "conv2d_unbatched_and_same_padding",
    """
    import torch
    import torch.nn as nn
    conv = nn.Conv2d(1, 2, 3, padding='same')
    SET_PARAMS(conv)
    x = torch.arange(16.0).reshape(1, 4, 4).requires_grad_()
    y = conv(x)
    y.sum().backward()
    print(y.shape, y, y.grad_fn, y.grad_fn.next_functions, x.grad)
""",
)

program(
    "functional_conv2d",
    """
    import torch
    import torch.nn.functional as F
    x = torch.arange(18.0).reshape(1, 2, 3, 3).requires_grad_()
    w = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]], [[0.5, 0.5], [0.5, 0.5]]]], requires_grad=True)
    y = F.conv2d(x, w, stride=1, padding=1)
    y.pow(2).sum().backward()
    print(y, x.grad, w.grad)
""",
)

program(
    "conv2d_channel_mismatch_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Conv2d(1, 2, 3)(torch.ones(1, 3, 5, 5))
""",
)

program(
    "conv2d_kernel_larger_than_input_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Conv2d(1, 2, 3)(torch.ones(1, 1, 2, 2))
""",
)

program(
    "conv2d_2d_input_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Conv2d(1, 2, 3)(torch.ones(5, 5))
""",
)

program(
    "conv2d_out_channels_not_divisible_by_groups_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Conv2d(2, 3, 3, groups=2)
""",
)

program(
    "conv2d_same_padding_with_stride_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.Conv2d(2, 4, 3, padding='same', stride=2)
""",
)

program(
    "max_pool2d_values_grads_and_indices",
    """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    x = torch.tensor([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0], [0.0, 2.0, 2.0, 9.0], [7.0, 1.0, 3.0, 3.0]]]],
                     requires_grad=True)
    y = nn.MaxPool2d(2)(x)
    (y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    out, idx = F.max_pool2d(x.detach(), 2, return_indices=True)
    print(y, y.grad_fn, x.grad, out, idx)
""",
)

program(
    "max_pool2d_stride_padding_ceil_mode_dilation",
    """
    import torch
    import torch.nn as nn
    x = torch.linspace(-3.0, 3.0, 2 * 5 * 5).reshape(2, 5, 5).sin().requires_grad_()
    a = nn.MaxPool2d(3, stride=2, padding=1)(x)
    b = nn.MaxPool2d(2, ceil_mode=True)(x)
    c = nn.MaxPool2d((2, 3), stride=1, dilation=(2, 1))(x)
    (a.sum() + 2 * b.sum() + 3 * c.sum()).backward()
    print(a.shape, b.shape, c.shape, a, b, c, x.grad)
""",
)

program(
    "max_pool2d_padding_too_large_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.MaxPool2d(3, padding=2)(torch.ones(1, 1, 4, 4))
""",
)

program(
    "max_pool2d_output_too_small_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.MaxPool2d(5)(torch.ones(1, 1, 4, 4))
""",
)

program(
    "flatten_module",
    """
    import torch
    import torch.nn as nn
    x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
    a = nn.Flatten()(x)
    b = nn.Flatten(0, 1)(x)
    c = nn.Flatten()(torch.ones(2, 3))
    (a.sum() + b.sum()).backward()
    print(a.shape, b.shape, c.shape, a.grad_fn, b.grad_fn, x.grad)
""",
)

program(
    "tiny_cnn_forward_backward",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(2 * 4 * 4, 3))
    SET_PARAMS(model)
    x = ((torch.arange(128.0) % 13 - 6) / 8).reshape(2, 1, 8, 8)
    target = torch.tensor([0, 2])
    loss = nn.CrossEntropyLoss()(model(x), target)
    loss.backward()
    print(model)
    print(loss, loss.grad_fn)
    for name, p in model.named_parameters():
        print(name, p.grad.shape, p.grad.abs().sum())
""",
)

# ---------------------------------------------------------------- losses

program(
    "loss_modules_values_grads_and_grad_fns",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([[0.2, -1.0, 0.5], [1.5, 0.3, -0.2]], requires_grad=True)
    t = torch.tensor([[0.0, 1.0, 0.5], [1.0, 0.0, 0.0]])
    labels = torch.tensor([2, 0])
    losses = [nn.MSELoss()(x, t), nn.MSELoss(reduction='sum')(x, t), nn.L1Loss()(x, t),
              nn.L1Loss(reduction='sum')(x, t), nn.CrossEntropyLoss()(x, labels),
              nn.CrossEntropyLoss(reduction='sum')(x, labels), nn.NLLLoss()(x.log_softmax(1), labels),
              nn.BCELoss()(x.sigmoid(), t), nn.BCEWithLogitsLoss()(x, t)]
    total = losses[0]
    for i in range(1, len(losses)):
        total = total + losses[i] * (i + 1)
    total.backward()
    for l in losses:
        print(l, l.grad_fn)
    print(x.grad)
""",
)

program(
    "loss_modules_reduction_none",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([[0.2, -1.0], [1.5, 0.3]], requires_grad=True)
    t = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    a = nn.MSELoss(reduction='none')(x, t)
    b = nn.L1Loss(reduction='none')(x, t)
    c = nn.BCEWithLogitsLoss(reduction='none')(x, t)
    (a + b + c).sum().backward()
    print(a, b, c, a.grad_fn, b.grad_fn, x.grad)
""",
)

program(
    "loss_modules_legacy_size_average_and_reduce",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    t = torch.tensor([0.0, 0.0, 0.0])
    print(nn.MSELoss(size_average=False).reduction, nn.L1Loss(reduce=False).reduction,
          nn.MSELoss(size_average=True, reduce=True).reduction)
    print(nn.MSELoss(size_average=False)(x, t), nn.L1Loss(reduce=False)(x, t))
""",
)

program(
    "l1_loss_broadcasts_and_bad_reduction",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    t = torch.tensor([0.5, 1.0], requires_grad=True)
    l = nn.L1Loss()(x, t)
    l.backward()
    print(l, x.grad, t.grad)
    nn.L1Loss(reduction='avg')(x, t)
""",
)

program(
    "loss_weights_are_buffers",
    """
    import torch
    import torch.nn as nn
    ce = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 3.0]))
    bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0]))
    print(list(ce.state_dict().keys()), list(bce.state_dict().keys()), ce.weight, bce.pos_weight)
""",
)

# ---------------------------------------------------------------- nn.init, clip_grad_norm_

program(
    "init_deterministic_fills_and_gain",
    """
    import torch
    import torch.nn as nn
    w = torch.empty(2, 3)
    nn.init.constant_(w, 0.25)
    print(w)
    nn.init.ones_(w)
    print(w)
    nn.init.zeros_(w)
    print(w)
    p = nn.Linear(2, 2).weight
    nn.init.zeros_(p)
    print(p, p.requires_grad, p.is_leaf)
    print(nn.init.calculate_gain('relu'), nn.init.calculate_gain('tanh'), nn.init.calculate_gain('sigmoid'),
          nn.init.calculate_gain('leaky_relu'), nn.init.calculate_gain('leaky_relu', 0.2),
          nn.init.calculate_gain('linear'), nn.init.calculate_gain('selu'), nn.init.calculate_gain('conv2d'))
""",
)

program(
    "init_bad_nonlinearity_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.init.calculate_gain('swish')
""",
)

program(
    "init_fan_of_a_vector_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.init.xavier_uniform_(torch.empty(3))
""",
)

program(
    "clip_grad_norm_scales_gradients",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(3, 2)
    SET_PARAMS(model)
    model(torch.tensor([[1.0, 2.0, 3.0]])).pow(2).sum().backward()
    total = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    w = model.weight
    b = model.bias
    print(total, w.grad, b.grad)
    total2 = nn.utils.clip_grad_norm_(model.parameters(), 10.0)
    print(total2, w.grad)
    total3 = nn.utils.clip_grad_norm_(model.parameters(), 0.1, norm_type=float('inf'))
    print(total3, w.grad, b.grad)
""",
)

# ---------------------------------------------------------------- training loops

program(
    "mlp_training_with_adam_and_cross_entropy",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    SET_PARAMS(model)
    x = torch.linspace(-1.0, 1.0, 24).reshape(6, 4)
    target = torch.tensor([0, 1, 2, 0, 1, 2])
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for step in range(5):
        opt.zero_grad()
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()
        print(step, f'{loss.item():.5f}')
    w = model[0].weight
    print(w, model[2].bias)
""",
)

program(
    "regression_with_sgd_and_mse",
    """
    import torch
    import torch.nn as nn
    model = nn.Linear(1, 1)
    SET_PARAMS(model)
    x = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
    y = 2 * x + 1
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = nn.MSELoss()
    for epoch in range(20):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(loss, model.weight, model.bias)
""",
)

program(
    "module_call_scope_has_no_effect_on_values",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Sequential(nn.Linear(3, 2), nn.Sigmoid()))
    SET_PARAMS(model)
    print(model)
    y = model(torch.tensor([[1.0, -1.0], [0.5, 2.0]]))
    y.sum().backward()
    print(y, model[2][0].weight.grad)
""",
)

# ---------------------------------------------------------------- nn.Module subclasses (class Net(nn.Module))

program(
    "subclass_mlp_repr_parameters_and_training",
    """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Net(nn.Module):
        def __init__(self, hidden=4):
            super().__init__()
            self.fc1 = nn.Linear(3, hidden)
            self.fc2 = nn.Linear(hidden, 2)
            self.scale = 0.5

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(x))) * self.scale

    model = Net()
    SET_PARAMS(model)
    print(model)
    print([name for name, p in model.named_parameters()], list(model.state_dict().keys()))
    x = torch.tensor([[1.0, -2.0, 0.5], [0.0, 1.0, 2.0]])
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(3):
        out = model(x)
        loss = F.mse_loss(out, torch.ones(2, 2))
        opt.zero_grad()
        loss.backward()
        opt.step()
    w = model.fc1.weight
    print(out, out.grad_fn, loss, w, model.fc2.bias)
""",
)

program(
    "subclass_with_buffers_submodule_lists_and_custom_parameter",
    """
    import torch
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(n, n) for _ in range(2)])
            self.gain = nn.Parameter(torch.tensor(2.0))
            self.register_buffer('offset', torch.tensor([1.0, -1.0]))

        def forward(self, x):
            for layer in self.layers:
                x = torch.tanh(layer(x))
            return x * self.gain + self.offset

    block = Block(2)
    SET_PARAMS(block)
    print(block)
    print([n for n, p in block.named_parameters()], [n for n, b in block.named_buffers()])
    print(list(block.state_dict().keys()))
    y = block(torch.tensor([[0.5, -0.5]]))
    y.sum().backward()
    g = block.gain
    print(y, g.grad, block.layers[1].weight.grad)
    block.eval()
    print(block.training, block.layers[0].training)
""",
)

program(
    "subclass_assigning_before_super_init_is_an_error",
    """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    Net()
""",
)

program(
    "subclass_without_forward_is_an_error",
    """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(1, 1)

    Net()(torch.ones(1))
""",
)

program(
    "subclass_apply_and_named_modules",
    """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
            self.head = nn.Sigmoid()

        def forward(self, x):
            return self.head(self.body(x))

    def init_weights(m):
        if type(m) == nn.Linear:
            nn.init.constant_(m.weight, 0.25)
            nn.init.zeros_(m.bias)

    net = Net()
    net.apply(init_weights)
    print([name for name, m in net.named_modules()])
    y = net(torch.tensor([[1.0, 2.0]]))
    y.backward()
    print(y, net.body[0].weight.grad, net.body[2].bias.grad)
""",
)

program(
    "l1_loss_with_weight",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, -2.0], [0.5, 4.0]], requires_grad=True)
    t = torch.tensor([[0.0, 1.0], [1.0, 1.0]])
    w = torch.tensor([[1.0, 2.0], [0.5, 0.25]])
    a = F.l1_loss(x, t, weight=w)
    b = F.l1_loss(x, t, weight=w, reduction='sum')
    c = F.l1_loss(x, t, weight=w, reduction='none')
    (a + b + c.sum()).backward()
    print(a, b, c, a.grad_fn, x.grad)
""",
)

program(
    "leaky_relu_in_place",
    """
    import torch
    import torch.nn as nn
    x = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    h = x * 2
    y = nn.LeakyReLU(0.1, inplace=True)(h)
    y.sum().backward()
    print(y, h, y is h, y.grad_fn, x.grad)
""",
)

program(
    "leaky_relu_in_place_then_modified_is_an_error",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    h = x * 2
    y = F.leaky_relu(h, inplace=True)
    h.mul_(2)
    y.sum().backward()
""",
)

program(
    "init_random_fills_return_the_tensor_within_their_bounds",
    """
    import torch
    import torch.nn as nn
    w = torch.empty(30, 40)
    a = nn.init.uniform_(w, -0.1, 0.2)
    print(a is w, w.min() >= -0.1, w.max() < 0.2)
    b = nn.init.xavier_uniform_(w, gain=2.0)
    bound = 2.0 * (6.0 / 70) ** 0.5
    print(b is w, w.abs().max() <= bound)
    c = nn.init.kaiming_uniform_(w, a=0.0, mode='fan_out', nonlinearity='relu')
    print(c is w, w.abs().max() <= (2.0 ** 0.5) * (3.0 / 30) ** 0.5)
    d = nn.init.normal_(w, mean=5.0, std=0.001)
    print(d is w, (w - 5.0).abs().max() < 0.01)
    e = nn.init.kaiming_normal_(w)
    f = nn.init.xavier_normal_(w)
    print(e is w, f is w, w.shape, w.requires_grad)
    w = a = b = c = d = e = f = None  # the values themselves come from the generator
""",
)

program(
    "init_kaiming_bad_mode_is_an_error",
    """
    import torch
    import torch.nn as nn
    nn.init.kaiming_uniform_(torch.empty(2, 2), mode='fan_avg')
""",
)

program(
    "module_traversal_helpers",
    """
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1), nn.Tanh()))
    model.add_module('head', nn.Sigmoid())
    print(model.get_submodule('1.0'), model.get_parameter('1.0.bias').shape)
    print([n for n, p in model.named_parameters(prefix='net')])
    print(len(list(model.parameters(recurse=False))), len(list(model[1].parameters())))
    print(model)
""",
)

program(
    "max_pool2d_module_with_return_indices",
    """
    import torch
    import torch.nn as nn
    pool = nn.MaxPool2d(2, return_indices=True)
    x = (15 - torch.arange(16.0)).reshape(1, 1, 4, 4).requires_grad_()
    out, idx = pool(x)
    out.sum().backward()
    print(out, idx, x.grad)
""",
)

program(
    "embedding_from_pretrained_is_frozen",
    """
    import torch
    import torch.nn as nn
    emb = nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    out = emb(torch.tensor([1, 0, 1]))
    w = emb.weight
    print(out, out.requires_grad, w.requires_grad, emb)
""",
)

program(
    "conv2d_float64_module_and_input",
    """
    import torch
    import torch.nn as nn
    conv = nn.Conv2d(1, 1, 2, bias=False, dtype=torch.float64)
    SET_PARAMS(conv)
    x = torch.arange(9.0, dtype=torch.float64).reshape(1, 1, 3, 3).requires_grad_()
    y = conv(x)
    y.sum().backward()
    w = conv.weight
    print(y, y.dtype, x.grad, w.grad)
""",
)

program(
    "softmax_module_implicit_dim_on_3d_input",
    """
    import torch
    import torch.nn as nn
    x = torch.arange(8.0).reshape(2, 2, 2).requires_grad_()
    y = nn.Softmax()(x)
    y[0, 0, 0].backward()
    print(y, x.grad)
""",
)

program(
    "nll_loss_module_reduction_none",
    """
    import torch
    import torch.nn as nn
    logp = torch.tensor([[-0.5, -1.0, -2.0], [-1.5, -0.2, -3.0]], requires_grad=True)
    l = nn.NLLLoss(reduction='none')(logp, torch.tensor([2, 1]))
    l.sum().backward()
    print(l, l.grad_fn, logp.grad)
""",
)

program(
    "linear_weight_changed_in_place_before_backward_is_an_error",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(2, 2)
    SET_PARAMS(layer)
    x = torch.ones(3, 2, requires_grad=True)
    y = layer(x)
    with torch.no_grad():
        layer.weight.mul_(2)
    y.sum().backward()
""",
)

program(
    "linear_weight_changed_in_place_between_steps_is_fine",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(2, 1)
    SET_PARAMS(layer)
    x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
    for step in range(3):
        y = layer(x)
        layer.zero_grad()
        y.sum().backward()
        with torch.no_grad():
            layer.weight.sub_(0.5 * layer.weight.grad)
    w = layer.weight
    print(y, y.grad_fn, w, w.grad)
""",
)

program(
    "create_graph_through_linear_and_leaky_relu",
    """
    import torch
    import torch.nn as nn
    layer = nn.Linear(2, 3)
    SET_PARAMS(layer)
    x = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    y = nn.LeakyReLU(0.1)(layer(x)) ** 2 + nn.LeakyReLU(0.2, inplace=True)(layer(x) * 1.0)
    g, = torch.autograd.grad(y.sum(), layer.weight, create_graph=True)
    (g ** 2).sum().backward()
    b = layer.bias
    print(g, g.grad_fn, x.grad, b.grad)
""",
)

# ---------------------------------------------------------------- default initialisation (torch's generator)

program(
    "default_init_matches_torch_after_manual_seed",
    """
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    lin = nn.Linear(3, 2)
    nob = nn.Linear(4, 3, bias=False)
    conv = nn.Conv2d(2, 3, 2)
    grouped = nn.Conv2d(2, 4, (3, 1), groups=2)
    emb = nn.Embedding(4, 3, padding_idx=1)
    ln = nn.LayerNorm(3)
    bn = nn.BatchNorm1d(2)
    print(lin.weight, lin.bias, nob.weight)
    print(conv.weight, conv.bias, grouped.weight, grouped.bias)
    print(emb.weight, ln.weight, ln.bias, bn.weight, bn.running_var)
""",
)

program(
    "default_init_of_a_sequential_mlp_and_its_output",
    """
    import torch
    import torch.nn as nn
    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    x = torch.randn(3, 4)
    y = model(x)
    y.sum().backward()
    print(model[0].weight, model[2].bias, y)
    w = model[0].weight
""",
)

program(
    "init_functions_draw_torchs_numbers",
    """
    import torch
    import torch.nn as nn
    torch.manual_seed(3)
    a = nn.init.uniform_(torch.empty(2, 3), -1.0, 1.0)
    b = nn.init.normal_(torch.empty(2, 3), 0.5, 2.0)
    c = nn.init.xavier_uniform_(torch.empty(3, 4))
    d = nn.init.xavier_normal_(torch.empty(3, 4), gain=2.0)
    e = nn.init.kaiming_uniform_(torch.empty(4, 2), nonlinearity='relu')
    f = nn.init.kaiming_normal_(torch.empty(4, 2), mode='fan_out')
    print(a, b, c, d, e, f)
""",
)

program(
    "dropout_module_masks_match_torch",
    """
    import torch
    import torch.nn as nn
    torch.manual_seed(1)
    drop = nn.Dropout(0.3)
    x = torch.arange(1.0, 21.0).reshape(4, 5).requires_grad_()
    y = drop(x)
    y.sum().backward()
    print(y, y.grad_fn, x.grad)
""",
)
