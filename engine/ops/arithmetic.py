"""+ - * / ** and negation, with the reflected forms PyTorch has (RsubBackward1, PowBackward2)."""

import operator

import numpy as np

from engine import grad_mode, trace
from engine.autograd.engine import grad_edge
from engine.autograd.function import Node, sequence, unbroadcast
from engine.ops.arguments import BadArgument
from engine.ops.core import (
    broadcast_shape,
    check_broadcast,
    constant,
    operands,
    result,
    saved_tensor,
    sum_to,
    wrap,
)
from engine.ops.registry import op
from engine.tensor import Tensor
from engine.trace import local as tracing


def _is_bool(x):
    return x._data.dtype == np.bool_ if isinstance(x, Tensor) else isinstance(x, (bool, np.bool_))


def check_subtraction(a, b):
    """PyTorch refuses `-` on bool tensors, pointing to the operator that was probably meant."""
    a_bool, b_bool = _is_bool(a), _is_bool(b)
    if a_bool and b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if a_bool or b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


NO_EDGE = (None, 0)  # the edge of an operand that needs no gradient
NOT_BROADCAST = (None, None)  # neither operand's gradient needs summing to its shape
new_object = object.__new__


class BinaryNode(Node):
    """An op of two operands broadcast together; the backward sends each its reduced gradient."""

    __slots__ = ()
    op = ""
    saves_tensors = True

    scalar_forward = None  # the same op on numpy scalars, much cheaper than a ufunc on 0-d arrays

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.operator = staticmethod(_operator(cls))

    @classmethod
    def apply(cls, a, b):
        return cls.operator(a, b)

    @classmethod
    def _apply_general(cls, a, b):
        cls.check_operands(a, b)
        try:
            ad, bd = operands(a, b)
        except BadArgument:
            return NotImplemented  # Python then says "unsupported operand type(s) for +" as for PyTorch
        if trace.local.tracer is not None or (type(bd) is np.ndarray and ad.shape != bd.shape):
            check_broadcast(ad, bd)
        out = cls.forward(ad, bd)
        node = None
        if grad_mode.state.enabled and (
            (isinstance(a, Tensor) and a._requires_grad)
            or (isinstance(b, Tensor) and b._requires_grad)
        ):
            node = cls()  # isinstance, not type(): nn.Parameter is a Tensor subclass
            node.next_functions = (
                (grad_edge(a), a._output_nr) if isinstance(a, Tensor) else NO_EDGE,
                (grad_edge(b), b._output_nr) if isinstance(b, Tensor) else NO_EDGE,
            )
        t = wrap(out, node, cls.op, (a, b))
        if node is not None:
            node.setup(a, b, ad, bd, t, _broadcast_shapes(ad, bd, t))
        return t

    @staticmethod
    def check_operands(a, b):
        """Refuse operands the op has no kernel for (bool subtraction), before any work."""

    def setup(self, a, b, ad, bd, out, reduce):
        """Save what backward reads. `reduce`: each operand's shape where broadcasting stretched it,
        else None. A node that saves no tensors keeps just that (the lean path assigns it itself)."""
        self._saved = reduce

    def wants(self, i) -> bool:
        return self.next_functions[i][0] is not None


def _operator(cls):
    """`a op b` for BinaryNode subclass `cls` as one plain function (Tensor's operators are these).

    Two float tensors of one dtype with nobody tracing take a lean path, with Node.__init__ and
    Tensor._wrap written out and the class's attributes read once here: it is most of the time of a
    program of scalar ops. Anything else goes through cls._apply_general.
    """
    general, forward, scalar_forward = (
        cls._apply_general,
        getattr(cls, "forward", None),
        cls.scalar_forward,
    )
    saves_tensors = cls.saves_tensors

    def operator(a, b):
        if type(a) is not Tensor or type(b) is not Tensor or tracing.tracer is not None:
            return general(a, b)
        ad, bd = a._data, b._data
        if ad.dtype is not bd.dtype or ad.dtype.kind != "f":
            return general(a, b)
        sa, sb = ad.shape, bd.shape
        if sa == sb:
            if not sa and scalar_forward is not None:
                ad, bd = ad[()], bd[()]  # backward reads these numpy scalars too
                out = np.array(scalar_forward(ad, bd))
            else:
                out = forward(ad, bd)
            reduce = NOT_BROADCAST
        else:
            try:
                out = forward(ad, bd)
            except ValueError:
                broadcast_shape(sa, sb)  # raises PyTorch's message
                raise
            shape = out.shape
            reduce = (None if sa == shape else sa), (None if sb == shape else sb)
        t = new_object(Tensor)
        t._data = out
        t._grad = None
        t._output_nr = 0
        t._retains_grad = False
        t._version = [0]
        t._accumulate = None
        if not (grad_mode.state.enabled and (a._requires_grad or b._requires_grad)):
            t._requires_grad = False
            t._grad_fn = None
            return t
        node = new_object(cls)
        node.sequence_nr = next(sequence)
        node._saved = node._versions = node.retained = None
        node._freed = False
        node.next_functions = (
            (a._grad_fn or a._accumulate or grad_edge(a), a._output_nr)
            if a._requires_grad
            else NO_EDGE,
            (b._grad_fn or b._accumulate or grad_edge(b), b._output_nr)
            if b._requires_grad
            else NO_EDGE,
        )
        t._requires_grad = True
        t._grad_fn = node
        if saves_tensors:
            node.setup(a, b, ad, bd, t, reduce)
        else:
            node._saved = reduce  # BinaryNode.setup, without the call
        return t

    operator.__name__ = operator.__qualname__ = f"__{cls.op}__" if cls.op else "operator"
    return operator


def _shape(x):
    return x.shape if type(x) is np.ndarray else ()


def _tensors(*pairs):
    """The Tensors among `pairs` of (value, needed) that backward will read."""
    return [t for t, needed in pairs if needed and isinstance(t, Tensor)]


def _checked(a, a_needed, b, b_needed):
    """The version checks of the operands whose data backward reads (Node._versions, see Node.save)."""
    checks = [(a, a._version[0], None)] if a_needed and isinstance(a, Tensor) else []
    if b_needed and isinstance(b, Tensor):
        checks.append((b, b._version[0], None))
    return checks


class AddBackward0(BinaryNode):
    __slots__ = ()
    op = "add"
    saves_tensors = False

    forward = staticmethod(np.add)
    scalar_forward = staticmethod(operator.add)

    def backward(self, grad):
        sa, sb = self._saved
        (fa, _), (fb, _) = self.next_functions
        # sa, sb: an operand's shape if broadcasting stretched it, else None (no sum needed)
        return (
            None if fa is None else grad if sa is None else unbroadcast(grad, sa),
            None if fb is None else grad if sb is None else unbroadcast(grad, sb),
        )

    def graph_backward(self, grad):
        sa, sb = self._saved
        return (
            sum_to(grad, sa) if self.wants(0) else None,
            sum_to(grad, sb) if self.wants(1) else None,
        )


class SubBackward0(BinaryNode):
    __slots__ = ()
    op = "sub"
    saves_tensors = False

    forward = staticmethod(np.subtract)
    scalar_forward = staticmethod(operator.sub)
    check_operands = staticmethod(check_subtraction)

    def backward(self, grad):
        sa, sb = self._saved
        (fa, _), (fb, _) = self.next_functions
        return (
            None if fa is None else grad if sa is None else unbroadcast(grad, sa),
            None if fb is None else -(grad if sb is None else unbroadcast(grad, sb)),
        )  # negating after the sum is exact

    def graph_backward(self, grad):
        sa, sb = self._saved
        return (
            sum_to(grad, sa) if self.wants(0) else None,
            sum_to(-grad, sb) if self.wants(1) else None,
        )


def _broadcast_shapes(ad, bd, out):
    """Each operand's shape where broadcasting stretched it to `out`'s, else None (no sum needed)."""
    shape = out._data.shape
    sa, sb = _shape(ad), _shape(bd)
    return (None if sa == shape else sa), (None if sb == shape else sb)


class MulBackward0(BinaryNode):
    __slots__ = ()
    op = "mul"

    forward = staticmethod(np.multiply)
    scalar_forward = staticmethod(operator.mul)

    def setup(self, a, b, ad, bd, out, reduce):
        wa, wb = self.next_functions[0][0] is not None, self.next_functions[1][0] is not None
        # backward reads b's data for a's gradient and a's for b's: only those are saved and version-checked
        self._saved = (ad if wb else None, bd if wa else None, *reduce)
        self._versions = _checked(a, wb, b, wa)

    def backward(self, grad):
        ad, bd, sa, sb = self.saved
        return (
            None if bd is None else grad * bd if sa is None else unbroadcast(grad * bd, sa),
            None if ad is None else grad * ad if sb is None else unbroadcast(grad * ad, sb),
        )

    def graph_backward(self, grad):
        ad, bd, sa, sb = self.saved
        a, b = saved_tensor(self, ad), saved_tensor(self, bd, -1)
        return (
            sum_to(grad * b, sa) if self.wants(0) else None,
            sum_to(grad * a, sb) if self.wants(1) else None,
        )


class DivBackward0(BinaryNode):
    __slots__ = ()
    op = "div"

    scalar_forward = staticmethod(operator.truediv)  # only ever given floats

    @staticmethod
    def forward(ad, bd):
        out = np.true_divide(ad, bd)
        if ad.dtype.kind != "f":  # int / int is float32 in PyTorch, float64 in numpy
            out = out.astype(np.float32)
        return out

    def setup(self, a, b, ad, bd, out, reduce):
        wb = self.next_functions[1][0] is not None
        # b's gradient needs a / b: a private copy of the quotient (the output may be changed in place
        # without a version check through .data) saves computing it again; a is still version-checked
        quotient = (
            (
                out._data.copy()
                if type(ad) is np.ndarray or type(bd) is np.ndarray
                else out._data[()]
            )
            if wb
            else None
        )
        self._saved = (ad if wb else None, bd, quotient, *reduce)
        self._versions = _checked(a, wb, b, True)

    def backward(self, grad):
        ad, bd, quotient, sa, sb = self.saved
        # b's is PyTorch's -grad * ((a / b) / b), bit for bit: a / b is the quotient, and negating
        # after the sum is exact
        ga = None if self.next_functions[0][0] is None else grad / bd
        gb = None if quotient is None else grad * (quotient / bd)
        return (
            ga if sa is None or ga is None else unbroadcast(ga, sa),
            None if gb is None else -(gb if sb is None else unbroadcast(gb, sb)),
        )

    def graph_backward(self, grad):
        ad, bd, _, sa, sb = self.saved
        a, b = saved_tensor(self, ad), saved_tensor(self, bd, -1)
        return (
            sum_to(grad / b, sa) if self.wants(0) else None,
            sum_to(-grad * ((a / b) / b), sb) if self.wants(1) else None,
        )


def _no_integer_zero_divisor(ad, bd):
    if np.asarray(ad).dtype.kind in "biu" and np.any(np.asarray(bd) == 0):
        raise RuntimeError("ZeroDivisionError")


class RemainderBackward0(BinaryNode):
    """`tensor % number`: the sign of the divisor, computed as PyTorch's kernel (fmod, then shifted)."""

    __slots__ = ()
    op = "remainder"

    @staticmethod
    def forward(ad, bd):
        _no_integer_zero_divisor(ad, bd)
        with np.errstate(divide="ignore", invalid="ignore"):
            mod = np.fmod(ad, bd)
            shift = (mod != 0) & ((np.asarray(bd) < 0) != (mod < 0))
            return np.where(shift, mod + bd, mod).astype(mod.dtype, copy=False)

    def setup(self, a, b, ad, bd, out, reduce):
        self.save(
            ad, bd, _shape(ad), _shape(bd), tensors=_tensors((a, self.wants(1)), (b, self.wants(1)))
        )

    def backward(self, grad):
        ad, bd, sa, sb = self.saved
        gb = None
        if self.wants(1):
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = unbroadcast(-grad * np.floor(ad / bd), sb)
        return (unbroadcast(grad, sa) if self.wants(0) else None), gb

    def graph_backward(self, grad):
        ad, bd, sa, sb = self.saved
        gb = None
        if self.wants(1):
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = sum_to(-grad * constant(np.floor(ad / bd)), sb)
        return (sum_to(grad, sa) if self.wants(0) else None), gb


class RemainderBackward1(RemainderBackward0):
    """`tensor % tensor`."""

    __slots__ = ()


class _NoDerivative(BinaryNode):
    """PyTorch records ops without a derivative as a node named NotImplemented whose backward fails."""

    __slots__ = ()
    saves_tensors = False
    aten = ""

    def backward(self, grad):
        raise RuntimeError(f"derivative for aten::{self.aten} is not implemented")

    graph_backward = backward


def _floor_divide_data(ad, bd):
    _no_integer_zero_divisor(ad, bd)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(ad, bd)


FloorDivideNode = type(
    "NotImplemented",
    (_NoDerivative,),
    {
        "__slots__": (),
        "op": "floor_divide",
        "aten": "floor_divide",
        "forward": staticmethod(_floor_divide_data),
    },
)
ReflectedRemainderNode = type(
    "NotImplemented",
    (_NoDerivative,),
    {
        "__slots__": (),
        "op": "remainder",
        "aten": "remainder",
        "forward": RemainderBackward0.forward,
    },
)


class RsubBackward1(Node):
    """`scalar - tensor`."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        return (-grad,)

    graph_backward = backward  # negation, on arrays and Tensors alike


class NegBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        return (-grad,)

    graph_backward = backward  # negation, on arrays and Tensors alike


class ReciprocalBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        (out,) = self.saved
        return (-grad * out * out,)

    def graph_backward(self, grad):
        (out,) = self.saved
        result = saved_tensor(self, out)
        return (-grad * (result * result),)


class PowBackward0(Node):
    """`tensor ** scalar`."""

    __slots__ = ()

    def backward(self, grad):
        base, exponent = self.saved
        if exponent == 0:
            return (np.zeros_like(base),)
        return (grad * exponent * base ** (exponent - 1),)

    def graph_backward(self, grad):
        base, exponent = self.saved
        x = saved_tensor(self, base)
        if exponent == 0:
            return (constant(np.zeros_like(base)),)
        return (grad * (exponent * x.pow(exponent - 1)),)


def power(base, exponent):
    """Elementwise base ** exponent; integers to negative powers as PyTorch's integer kernel gives them
    (1 stays 1, -1 alternates, anything else truncates to 0) where numpy refuses."""
    if (
        np.asarray(base).dtype.kind in "iu"
        and np.asarray(exponent).dtype.kind in "iu"
        and np.any(exponent < 0)
    ):
        negative = np.asarray(exponent) < 0
        whole = np.power(base, np.where(negative, 0, exponent))
        odd = np.where(exponent % 2 == 0, 1, -1)
        fraction = np.where(base == 1, 1, np.where(base == -1, odd, 0))
        return np.where(negative, fraction, whole).astype(np.asarray(base).dtype, copy=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.power(base, exponent)


def check_scalar_exponent(base, exponent):
    if base.dtype.kind in "iu" and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


class PowBackward1(BinaryNode):
    """`tensor ** tensor`."""

    __slots__ = ()
    op = "pow"

    forward = staticmethod(power)

    def setup(self, a, b, ad, bd, out, reduce):
        self.save(
            ad,
            bd,
            out._data,
            _shape(ad),
            _shape(bd),
            tensors=_tensors((a, True), (b, True)),
            output=out,
        )

    def backward(self, grad):
        ad, bd, out, sa, sb = self.saved
        ga = gb = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.wants(0):  # PyTorch: where(b == 0, 0, grad * (b * a ** (b - 1)))
                ga = np.where(bd == 0, 0, grad * (bd * ad ** (bd - 1)))
                ga = unbroadcast(ga.astype(grad.dtype, copy=False), sa)
            if self.wants(1):  # PyTorch: grad * where(b >= 0 and a == 0, 0, result * log(a))
                gb = grad * np.where((bd >= 0) & (ad == 0), 0, out * np.log(ad))
                gb = unbroadcast(gb.astype(out.dtype, copy=False), sb)
        return ga, gb

    def graph_backward(self, grad):
        from engine.ops.pointwise import where

        ad, bd, out, sa, sb = self.saved
        a, b, result = saved_tensor(self, ad), saved_tensor(self, bd), saved_tensor(self, out)
        ga = gb = None
        if self.wants(0):
            ga = sum_to(where(constant(bd == 0), 0, grad * (b * a ** (b - 1))), sa)
        if self.wants(1):
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = sum_to(grad * where(constant((bd >= 0) & (ad == 0)), 0, result * a.log()), sb)
        return ga, gb


class PowBackward2(Node):
    """`scalar ** tensor`."""

    __slots__ = ()

    def backward(self, grad):
        base, out = self.saved
        return (grad * out * np.log(base) if base != 0 else np.zeros_like(out),)

    def graph_backward(self, grad):
        base, out = self.saved
        return (
            grad * (saved_tensor(self, out) * float(np.log(base)))
            if base != 0
            else constant(np.zeros_like(out)),
        )


def _unary(data, node_cls, x, op, inputs=None):
    return result(data, node_cls, op, inputs or (x,), (x,))


def check_alpha(op, alpha):
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"{op}(): argument 'alpha' must be Number, not {type(alpha).__name__}")


@op(method=True, torch=True, operators=("__add__", "__radd__"), operator=AddBackward0.operator)
def add(self, other, *, alpha=1):
    if alpha != 1:
        check_alpha("add", alpha)
        other = mul(other, alpha)
    return AddBackward0.apply(self, other)


def check_negation(x):
    if x._data.dtype == np.bool_:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


@op(method=True, torch=("sub", "subtract"), operators=("__sub__",), operator=SubBackward0.operator)
def sub(self, other, *, alpha=1):
    if alpha != 1:
        check_subtraction(self, other)
        check_alpha("sub", alpha)
        other = mul(other, alpha)
    return SubBackward0.apply(self, other)


subtract = sub


@op(
    method=True,
    torch=("mul", "multiply"),
    operators=("__mul__", "__rmul__"),
    operator=MulBackward0.operator,
)
def mul(self, other):
    return MulBackward0.apply(self, other)


multiply = mul


@op(
    method=True,
    torch=("div", "divide", "true_divide"),
    operators=("__truediv__",),
    operator=DivBackward0.operator,
)
def div(self, other, *, rounding_mode=None):
    if rounding_mode is not None:
        from engine.ops.rounding_div import div_rounded

        return div_rounded(self, other, rounding_mode)
    return DivBackward0.apply(self, other)


divide = true_divide = div


@op(method=True, torch=True, operators=("__mod__",))
def remainder(self, other):
    return (RemainderBackward1 if isinstance(other, Tensor) else RemainderBackward0).apply(
        self, other
    )


@op(operators=("__rmod__",))
def _rmod(self, other):
    return ReflectedRemainderNode.apply(other, self)


@op(method=True, torch=True, operators=("__floordiv__",))
def floor_divide(self, other):
    return FloorDivideNode.apply(self, other)


@op(operators=("__rfloordiv__",))
def _rfloordiv(self, other):
    return FloorDivideNode.apply(other, self)


@op(torch=True, operators=("__rsub__",))
def rsub(self, other):
    """`other - self` for a Python scalar `other`."""
    if isinstance(other, Tensor):
        return sub(other, self)
    check_subtraction(other, self)
    try:
        ad, bd = operands(self, other)
    except BadArgument:
        return NotImplemented
    out, _ = _unary(np.subtract(bd, ad), RsubBackward1, self, "rsub", (other, self))
    return out


@op(method=("neg", "negative"), torch=("neg", "negative"), operators=("__neg__",))
def neg(self):
    check_negation(self)
    out, _ = _unary(np.negative(self._data), NegBackward0, self, "neg")
    return out


negative = neg


@op(method=True, torch=True, operators=("__pos__",))
def positive(self):
    """Unary +: the tensor itself, as in PyTorch (no new node)."""
    if self._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


@op(method=True, torch=True)
def reciprocal(self):
    data = self._data if self._data.dtype.kind == "f" else self._data.astype(np.float32)
    with np.errstate(divide="ignore"):
        out, node = _unary(np.reciprocal(data), ReciprocalBackward0, self, "reciprocal")
    if node is not None:
        node.save(out._data, output=out)
    return out


@op(operators=("__rtruediv__",))
def rdiv(self, other):
    """`scalar / tensor` is recorded as reciprocal then multiply, as PyTorch records it."""
    if not isinstance(other, (Tensor, int, float)):
        return NotImplemented
    return mul(reciprocal(self), other)


@op(method=True, torch=True, operators=("__pow__",))
def pow(self, exponent):
    if not isinstance(self, Tensor):
        return rpow(exponent, self)
    if isinstance(exponent, Tensor):
        return PowBackward1.apply(self, exponent)
    try:
        ad, _ = operands(self, exponent)
    except BadArgument:
        return NotImplemented
    check_scalar_exponent(ad, exponent)
    out, node = _unary(power(ad, exponent), PowBackward0, self, "pow", (self, exponent))
    if node is not None:
        node.save(ad, exponent, tensors=(self,))
    return out


@op(operators=("__rpow__",))
def rpow(self, base):
    """`scalar ** tensor`."""
    if isinstance(base, Tensor):
        return pow(base, self)
    try:
        ed, bd = operands(self, base)
    except BadArgument:
        return NotImplemented
    out, node = _unary(power(bd, ed), PowBackward2, self, "pow", (base, self))
    if node is not None:
        node.save(float(bd), out._data, tensors=(self,), output=out)
    return out


def _compare(ufunc, name):
    def compare(self, other):
        if not isinstance(other, (Tensor, int, float, bool)):
            return NotImplemented
        ad, bd = operands(self, other)
        check_broadcast(ad, bd)
        return wrap(ufunc(ad, bd), None, name, (self, other))

    compare.__name__ = name
    return compare


logical_and = op(method=True, torch=True, operators=("__and__",))(
    _compare(np.logical_and, "logical_and")
)
logical_or = op(method=True, torch=True, operators=("__or__",))(
    _compare(np.logical_or, "logical_or")
)
logical_xor = op(method=True, torch=True, operators=("__xor__",))(
    _compare(np.logical_xor, "logical_xor")
)
eq = op(method=True, torch=True, operators=("__eq__",))(_compare(np.equal, "eq"))
ne = op(method=True, torch=True, operators=("__ne__",))(_compare(np.not_equal, "ne"))
lt = op(method=True, torch=True, operators=("__lt__",))(_compare(np.less, "lt"))
le = op(method=True, torch=True, operators=("__le__",))(_compare(np.less_equal, "le"))
gt = op(method=True, torch=True, operators=("__gt__",))(_compare(np.greater, "gt"))
ge = op(method=True, torch=True, operators=("__ge__",))(_compare(np.greater_equal, "ge"))


@op(operators=("__matmul__",))
def _matmul(self, other):
    from engine.ops.linalg import matmul

    if not isinstance(other, Tensor):
        return NotImplemented  # Python's own "unsupported operand type(s) for @", as PyTorch gives
    return matmul(self, other)


@op(operators=("__rmatmul__",))
def _rmatmul(self, other):
    from engine.ops.linalg import matmul

    if not isinstance(other, Tensor):
        return NotImplemented
    return matmul(other, self)


@op(method=True, torch=True, operators=("__invert__",))
def logical_not(self):
    return wrap(np.logical_not(self._data), None, "logical_not", (self,))
