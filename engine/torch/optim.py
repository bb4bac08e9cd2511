"""torch.optim: SGD and Adam, updating parameters in place under no_grad as PyTorch does."""
import numpy as np

from engine import dtypes, grad_mode
from engine.tensor import Tensor


class Optimizer:
    def __init__(self, params, defaults):
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            f"but got {dtypes.legacy_type_name(params._data.dtype)}")
        _check_hyperparameters(defaults)
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        self.params = params
        self.defaults = defaults
        self.state = {}

    def zero_grad(self, set_to_none=True):
        for p in self.params:
            if p._grad is None:
                continue
            if set_to_none:
                p._grad = None
            else:
                p._grad.zero_()

    def step(self):
        with grad_mode.no_grad():
            for p in self.params:
                if p._grad is not None:
                    self._update(p, p._grad)

    def __repr__(self):
        opts = "\n".join(f"    {k}: {self.defaults[k]}" for k in sorted(self.defaults))  # PyTorch sorts them
        return f"{type(self).__name__} (\nParameter Group 0\n{opts}\n)"


def _check_hyperparameters(defaults):
    """The range checks PyTorch's optimizers make in their constructors, with their messages."""
    if defaults["lr"] < 0.0:
        raise ValueError(f"Invalid learning rate: {defaults['lr']}")
    if defaults.get("momentum", 0) < 0.0:
        raise ValueError(f"Invalid momentum value: {defaults['momentum']}")
    if defaults.get("eps", 0) < 0.0:
        raise ValueError(f"Invalid epsilon value: {defaults['eps']}")
    for i, beta in enumerate(defaults.get("betas", ())):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
    if defaults["weight_decay"] < 0.0:
        raise ValueError(f"Invalid weight_decay value: {defaults['weight_decay']}")


class SGD(Optimizer):
    def __init__(self, params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                                      foreach=None, differentiable=False, fused=None))
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.weight_decay, self.nesterov, self.maximize = weight_decay, nesterov, maximize

    def _update(self, p, grad):
        g = grad if not self.maximize else -grad
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            buf = self.state.get(id(p))
            if buf is None:
                buf = g.clone()
            else:
                buf = buf * self.momentum + g * (1 - self.dampening)
            self.state[id(p)] = buf
            g = g + self.momentum * buf if self.nesterov else buf
        p.add_(g, alpha=-self.lr)


class Adam(Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, maximize=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize, foreach=None, capturable=False,
                                      differentiable=False, fused=None, decoupled_weight_decay=False))
        self.lr, self.betas, self.eps, self.weight_decay, self.maximize = lr, betas, eps, weight_decay, maximize

    def _update(self, p, grad):
        beta1, beta2 = self.betas
        g = (grad if not self.maximize else -grad)._data
        if self.weight_decay:
            g = g + self.weight_decay * p._data
        step, m, v = self.state.get(id(p), (0, np.zeros_like(p._data), np.zeros_like(p._data)))
        step += 1
        m = m + (g - m) * (1 - beta1)  # PyTorch's lerp form
        v = v * beta2 + g * g * (1 - beta2)
        self.state[id(p)] = (step, m, v)
        bias1 = 1 - beta1 ** step
        bias2 = 1 - beta2 ** step
        denom = (np.sqrt(v) / np.sqrt(bias2) + self.eps).astype(p._data.dtype)
        update = Tensor._wrap((m / denom).astype(p._data.dtype))
        p.add_(update, alpha=-self.lr / bias1)


__all__ = ["SGD", "Adam"]
