"""The optimizers of torch.optim (engine/torch/optim/__init__.py says how they follow PyTorch)."""

from collections import defaultdict

import numpy as np

from engine import dtypes, grad_mode, trace
from engine.tensor import Tensor

REFUSED_WHEN_SET = (
    "capturable",
    "differentiable",
)  # change the math or need a device gradtrace lacks


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


def _array(x, like):
    return np.asarray(x, dtype=like.dtype)


def _scalar(value, like):
    """A Python number as PyTorch's kernels use it: cast to the tensor's dtype."""
    return like.dtype.type(value)


def _fma(a, b, c):
    """a * b + c rounded once, as PyTorch's vectorised CPU kernels compute add(alpha=), addcmul and lerp."""
    if c.dtype == np.float32:
        return (
            np.asarray(a, np.float64) * np.asarray(b, np.float64) + c.astype(np.float64)
        ).astype(np.float32)
    return a * b + c


def _add(a, b, alpha):
    """a.add(b, alpha=alpha)."""
    return _fma(b, _scalar(alpha, a), a)


def _addcmul(a, b, c, value):
    return _fma(_scalar(value, a) * b, c, a)


def _addcdiv(a, b, c, value):
    return a + _scalar(value, a) * b / c


def _lerp(a, end, weight):
    w = _scalar(weight, a)
    if weight < 0.5:
        return _fma(w, end - a, a)
    return _fma(-(end - a), _scalar(1 - weight, a), end)


def _write(p, new):
    """p's new value, written in place as PyTorch's param.add_/addcdiv_ does."""
    from engine.ops import inplace

    inplace._commit(p, _array(new, p._data), None, "add_", (p,))


def _state_tensor(data):
    return Tensor._wrap(np.array(data))


class Optimizer:
    """The parts every optimizer shares: param groups, state, zero_grad, add_param_group, repr."""

    def __init__(self, params, defaults):
        name = type(self).__name__
        for option in REFUSED_WHEN_SET:
            if defaults.get(option):
                raise NotImplementedError(
                    f"gradtrace does not support {option}=True (torch.optim.{name})"
                )
        if defaults.get("fused"):
            raise NotImplementedError(
                f"gradtrace does not support fused=True (torch.optim.{name}); leave "
                f"fused unset to get PyTorch's CPU implementation"
            )
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got {dtypes.legacy_type_name(params._data.dtype)}"
            )
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        self._opt_called = False
        param_groups = list(params)
        if not param_groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering "
                "of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        for p in params:
            if isinstance(p, tuple):
                raise NotImplementedError(
                    "gradtrace does not support named parameters in optimizers: pass "
                    "model.parameters()"
                )
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is "
                    f"{type(p).__module__ if type(p).__module__ != 'builtins' else ''}"
                    f"{'.' if type(p).__module__ != 'builtins' else ''}{type(p).__name__}"
                )
            if not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        group = {"params": params, **{k: v for k, v in param_group.items() if k != "params"}}
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization parameter "
                    f"{name}"
                )
            group.setdefault(name, default)
        if len({id(p) for p in params}) != len(params):
            trace.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will "
                "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information"
            )
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    p._grad = p._grad.detach() if p._grad._grad_fn is not None else p._grad
                    p._grad._requires_grad = False
                    p._grad.zero_()

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with grad_mode.enable_grad():
                loss = closure()
        self._opt_called = True
        with grad_mode.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p._grad is not None:
                        grad = p._grad._data
                        if group.get("maximize"):
                            grad = -grad
                        self._update(p, grad, group, self.state[p])
        return loss

    def state_dict(self):
        ids = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [ids.setdefault(id(p), len(ids)) for p in group["params"]]
            groups.append(packed)
        state = {ids[id(p)]: dict(s) for p, s in self.state.items() if id(p) in ids}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        params = [p for g in self.param_groups for p in g["params"]]
        for mine, saved in zip(self.param_groups, groups):
            if len(mine["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size of "
                    "optimizer's group"
                )
        index = {
            i: p
            for g, s in zip(self.param_groups, groups)
            for i, p in zip(s["params"], g["params"])
        }
        self.state = defaultdict(dict)
        for i, s in state_dict["state"].items():
            self.state[index[i]] = {
                k: (v.clone() if isinstance(v, Tensor) else v) for k, v in s.items()
            }
        for mine, saved in zip(self.param_groups, groups):
            mine.update({k: v for k, v in saved.items() if k != "params"})
        del params

    def __repr__(self):
        text = f"{type(self).__name__} ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _check(condition, message):
    if not condition:
        raise ValueError(message)


def _check_common(lr, eps=None, weight_decay=0.0):
    if isinstance(lr, Tensor):
        raise NotImplementedError("gradtrace does not support a Tensor lr: pass a float")
    _check(0.0 <= lr, f"Invalid learning rate: {lr}")
    if eps is not None:
        _check(0.0 <= eps, f"Invalid epsilon value: {eps}")
    _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")


class SGD(Optimizer):
    def __init__(
        self,
        params,
        lr=0.001,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
        foreach=None,
        differentiable=False,
        fused=None,
    ):
        _check_common(lr, None, 0.0)
        _check(0.0 <= momentum, f"Invalid momentum value: {momentum}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        super().__init__(
            params,
            dict(
                lr=lr,
                momentum=momentum,
                dampening=dampening,
                weight_decay=weight_decay,
                nesterov=nesterov,
                maximize=maximize,
                foreach=foreach,
                differentiable=differentiable,
                fused=fused,
            ),
        )
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _update(self, p, grad, group, state):
        if group["weight_decay"] != 0:
            grad = _add(grad, p._data, group["weight_decay"])
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = _state_tensor(grad)
            else:
                buf._data[...] = _add(
                    buf._data * _scalar(momentum, grad), grad, 1 - group["dampening"]
                )
            grad = _add(grad, buf._data, momentum) if group["nesterov"] else buf._data
        _write(p, _add(p._data, grad, -group["lr"]))


class Adam(Optimizer):
    def __init__(
        self,
        params,
        lr=0.001,
        betas=(0.9, 0.999),
        eps=1e-08,
        weight_decay=0,
        amsgrad=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
        fused=None,
        decoupled_weight_decay=False,
    ):
        _check_common(lr, eps)
        for i, beta in enumerate(betas):
            _check(0.0 <= beta < 1.0, f"Invalid beta parameter at index {i}: {beta}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        super().__init__(
            params,
            dict(
                lr=lr,
                betas=betas,
                eps=eps,
                weight_decay=weight_decay,
                amsgrad=amsgrad,
                maximize=maximize,
                foreach=foreach,
                capturable=capturable,
                differentiable=differentiable,
                fused=fused,
                decoupled_weight_decay=decoupled_weight_decay,
            ),
        )

    def _update(self, p, grad, group, state):
        data = p._data
        if not state:
            state["step"] = _state_tensor(np.float32(0))
            state["exp_avg"] = _state_tensor(np.zeros_like(data))
            state["exp_avg_sq"] = _state_tensor(np.zeros_like(data))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = _state_tensor(np.zeros_like(data))
        lr, (beta1, beta2), eps, weight_decay = (
            group["lr"],
            group["betas"],
            group["eps"],
            group["weight_decay"],
        )
        state["step"]._data += 1
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                _write(p, data * _scalar(1 - lr * weight_decay, data))
                data = p._data
            else:
                grad = _add(grad, data, weight_decay)
        exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
        exp_avg[...] = _lerp(exp_avg, grad, 1 - beta1)
        exp_avg_sq[...] = _addcmul(exp_avg_sq * _scalar(beta2, data), grad, grad, 1 - beta2)
        step = float(state["step"]._data)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        second = exp_avg_sq
        if group["amsgrad"]:
            peak = state["max_exp_avg_sq"]._data
            np.maximum(peak, exp_avg_sq, out=peak)
            second = peak
        denom = np.sqrt(second) / _scalar(bias_correction2_sqrt, data) + _scalar(eps, data)
        _write(p, _addcdiv(data, exp_avg, denom, -lr / bias_correction1))


class AdamW(Adam):
    def __init__(
        self,
        params,
        lr=0.001,
        betas=(0.9, 0.999),
        eps=1e-08,
        weight_decay=0.01,
        amsgrad=False,
        *,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        fused=None,
    ):
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )


class RMSprop(Optimizer):
    def __init__(
        self,
        params,
        lr=0.01,
        alpha=0.99,
        eps=1e-08,
        weight_decay=0,
        momentum=0,
        centered=False,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        _check_common(lr, eps)
        _check(0.0 <= momentum, f"Invalid momentum value: {momentum}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        _check(0.0 <= alpha, f"Invalid alpha value: {alpha}")
        super().__init__(
            params,
            dict(
                lr=lr,
                momentum=momentum,
                alpha=alpha,
                eps=eps,
                centered=centered,
                weight_decay=weight_decay,
                capturable=capturable,
                foreach=foreach,
                maximize=maximize,
                differentiable=differentiable,
            ),
        )

    def _update(self, p, grad, group, state):
        data = p._data
        if not state:
            state["step"] = _state_tensor(np.float32(0))
            state["square_avg"] = _state_tensor(np.zeros_like(data))
            if group["momentum"] > 0:
                state["momentum_buffer"] = _state_tensor(np.zeros_like(data))
            if group["centered"]:
                state["grad_avg"] = _state_tensor(np.zeros_like(data))
        alpha, eps, lr = group["alpha"], group["eps"], group["lr"]
        state["step"]._data += 1
        if group["weight_decay"] != 0:
            grad = _add(grad, data, group["weight_decay"])
        square_avg = state["square_avg"]._data
        square_avg[...] = _addcmul(square_avg * _scalar(alpha, data), grad, grad, 1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            grad_avg[...] = _lerp(grad_avg, grad, 1 - alpha)
            avg = np.sqrt(_addcmul(square_avg, grad_avg, grad_avg, -1))
        else:
            avg = np.sqrt(square_avg)
        avg = avg + _scalar(eps, data)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]._data
            buf[...] = _addcdiv(buf * _scalar(group["momentum"], data), grad, avg, 1)
            _write(p, _add(data, buf, -lr))
        else:
            _write(p, _addcdiv(data, grad, avg, -lr))


class Adagrad(Optimizer):
    def __init__(
        self,
        params,
        lr=0.01,
        lr_decay=0,
        weight_decay=0,
        initial_accumulator_value=0,
        eps=1e-10,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        fused=None,
    ):
        _check_common(lr, eps)
        _check(0.0 <= lr_decay, f"Invalid lr_decay value: {lr_decay}")
        _check(0.0 <= weight_decay, f"Invalid weight_decay value: {weight_decay}")
        _check(
            0.0 <= initial_accumulator_value,
            f"Invalid initial_accumulator_value value: {initial_accumulator_value}",
        )
        super().__init__(
            params,
            dict(
                lr=lr,
                lr_decay=lr_decay,
                eps=eps,
                weight_decay=weight_decay,
                initial_accumulator_value=initial_accumulator_value,
                foreach=foreach,
                maximize=maximize,
                differentiable=differentiable,
                fused=fused,
            ),
        )
        for (
            group
        ) in self.param_groups:  # Adagrad fills its state when it is made, not at the first step
            for p in group["params"]:
                self.state[p]["step"] = _state_tensor(np.float32(0))
                self.state[p]["sum"] = _state_tensor(
                    np.full_like(p._data, group["initial_accumulator_value"])
                )

    def _update(self, p, grad, group, state):
        data = p._data
        state["step"]._data += 1
        step = float(state["step"]._data)
        if group["weight_decay"] != 0:
            grad = _add(grad, data, group["weight_decay"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        total = state["sum"]._data
        total[...] = _addcmul(total, grad, grad, 1)
        std = np.sqrt(total) + _scalar(group["eps"], data)
        _write(p, _addcdiv(data, grad, std, -clr))
