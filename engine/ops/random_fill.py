"""uniform_ and normal_ in place (what nn.init draws with), from the engine's generator."""
from engine.ops import creation
from engine.ops.registry import op
from engine.ops.inplace import _check_leaf, _commit


def _fill(self, values, name):
    _check_leaf(self)
    if self._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{name}\" not implemented for integer tensors in gradtrace")
    return _commit(self, values.astype(self._data.dtype), None, name, (self,))


def _no_generator(generator):
    if generator is not None:
        raise NotImplementedError("gradtrace draws from the global generator only: generator= is not supported")


@op(method=True)
def uniform_(self, a=0.0, b=1.0, *, generator=None):
    _no_generator(generator)
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    draw = creation.default_generator.rng.random(self._data.shape)
    return _fill(self, a + (b - a) * draw, "uniform_")


@op(method=True)
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    _no_generator(generator)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    draw = creation.default_generator.rng.standard_normal(self._data.shape)
    return _fill(self, mean + std * draw, "normal_")
