"""uniform_ and normal_ in place (what nn.init draws with), from the engine's generator.

Attached only where the generator module has not attached its own (the torch-exact ones win)."""
from engine.ops import creation
from engine.ops.core import method
from engine.ops.inplace import _check_leaf, _commit
from engine.tensor import Tensor


def _fill(self, values, op):
    _check_leaf(self)
    if self._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{op}\" not implemented for integer tensors in gradtrace")
    return _commit(self, values.astype(self._data.dtype), None, op, (self,))


def _no_generator(generator):
    if generator is not None:
        raise NotImplementedError("gradtrace draws from the global generator only: generator= is not supported")


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    _no_generator(generator)
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    draw = creation.default_generator.rng.random(self._data.shape)
    return _fill(self, a + (b - a) * draw, "uniform_")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    _no_generator(generator)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    draw = creation.default_generator.rng.standard_normal(self._data.shape)
    return _fill(self, mean + std * draw, "normal_")


for _fn in (uniform_, normal_):
    if not hasattr(Tensor, _fn.__name__):
        method()(_fn)
