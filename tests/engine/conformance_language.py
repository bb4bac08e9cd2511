"""Conformance programs for the Python a course program is written in: functions, lambdas,
closures, comprehensions, while, try/except, raise, assert, classes, * and ** unpacking, %
formatting, and the standard modules math, random, collections and copy — with their errors.

conformance_programs.py adds these to PROGRAMS; the runner must run them as Python runs them.
"""

from __future__ import annotations

from textwrap import dedent

LANGUAGE: list[tuple[str, str]] = []


def program(name: str, source: str) -> None:
    LANGUAGE.append((f"lang_{name}", dedent(source).lstrip("\n")))


# ---------------------------------------------------------------- def, return, arguments

program(
    "def_helper_returns_a_loss",
    """
    import torch

    def mse(pred, target):
        return ((pred - target) ** 2).mean()

    w = torch.tensor([0.5, -1.0], requires_grad=True)
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = torch.tensor([1.0, 2.0])
    loss = mse(x @ w, y)
    loss.backward()
    print(loss, w.grad)
""",
)

program(
    "def_defaults_keywords_star_args",
    """
    import torch

    def affine(x, w, b=0.0, *, scale=1.0):
        return scale * (x * w + b)

    def total(*tensors, **weights):
        out = 0
        for i, t in enumerate(tensors):
            out = out + t * weights.get(f"w{i}", 1.0)
        return out

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = affine(x, 3.0)
    b = affine(x, 3.0, 1.0, scale=0.5)
    c = total(a, b, w1=2.0)
    c.sum().backward()
    print(a, b, c, x.grad)
    args = [x, 2.0]
    kwargs = {"b": 1.0, "scale": 2.0}
    print(affine(*args, **kwargs))
""",
)

program(
    "def_closure_and_nonlocal_counter",
    """
    import torch

    def make_step(lr):
        calls = 0
        def step(p):
            nonlocal calls
            calls += 1
            with torch.no_grad():
                p -= lr * p.grad
            p.grad.zero_()
            return calls
        return step

    w = torch.tensor(3.0, requires_grad=True)
    step = make_step(0.1)
    for i in range(3):
        loss = (w - 1.0) ** 2
        loss.backward()
        n = step(w)
    print(w, n)
""",
)

program(
    "def_recursion",
    """
    import torch

    def power(x, n):
        if n == 0:
            return torch.ones_like(x)
        return x * power(x, n - 1)

    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    x = torch.tensor(2.0, requires_grad=True)
    y = power(x, 4)
    y.backward()
    print(y, x.grad, fib(15))
""",
)

program(
    "def_global_statement",
    """
    import torch
    step_count = 0

    def train_step(w):
        global step_count
        step_count += 1
        loss = (w * 2 - 4) ** 2
        loss.backward()
        return loss.item()

    w = torch.tensor(1.0, requires_grad=True)
    losses = [train_step(w) for _ in range(2)]
    print(losses, step_count, w.grad)
""",
)

program(
    "def_no_grad_decorator_and_default_return",
    """
    import torch

    @torch.no_grad()
    def update(params, lr=0.1):
        for p in params:
            p -= lr * p.grad

    def nothing():
        pass

    w = torch.tensor([1.0, -2.0], requires_grad=True)
    (w ** 2).sum().backward()
    result = update([w])
    print(w, result, nothing(), torch.is_grad_enabled())
""",
)

program(
    "def_missing_argument_is_a_type_error",
    """
    def loss_fn(pred, target):
        return pred - target
    print(loss_fn(1.0))
""",
)

program(
    "def_too_many_arguments_is_a_type_error",
    """
    def f(a, b=1):
        return a + b
    print(f(1, 2, 3))
""",
)

program(
    "def_unexpected_keyword_is_a_type_error",
    """
    def f(a, *, lr):
        return a * lr
    print(f(1, lr=0.1), f(1, learning_rate=0.1))
""",
)

program(
    "def_missing_keyword_only_argument",
    """
    def f(a, *, lr, momentum):
        return a * lr
    f(1)
""",
)

program(
    "def_unbound_local_variable",
    """
    total = 0
    def add(x):
        total = total + x
        return total
    add(1)
""",
)

program(
    "lambda_sort_key_and_map",
    """
    import torch
    sq = lambda t: t * t
    x = torch.tensor([3.0, -1.0, 2.0], requires_grad=True)
    y = sq(x)
    y.sum().backward()
    pairs = sorted(zip([3, 1, 2], ["c", "a", "b"]), key=lambda p: p[0])
    print(y, x.grad, pairs, list(map(lambda v: v + 1, [1, 2])))
    print((lambda a, b=2: a * b)(4), list(filter(lambda v: v % 2, range(6))))
""",
)

# ---------------------------------------------------------------- comprehensions

program(
    "comprehensions_of_tensors",
    """
    import torch
    xs = [torch.tensor(float(i), requires_grad=True) for i in range(4)]
    squares = [x ** 2 for x in xs if x.item() > 0]
    total = sum(squares)
    total.backward()
    grads = {i: x.grad for i, x in enumerate(xs)}
    names = {len(squares)}
    print(total, grads, names)
    print(torch.stack([x * 2 for x in xs]), sum(x.item() for x in xs))
    print([[i * j for j in range(3)] for i in range(2)], [(i, j) for i in range(2) for j in range(i)])
""",
)

program(
    "comprehension_variable_does_not_leak",
    """
    x = 10
    ys = [x for x in range(3)]
    print(x, ys)
    print(i)
""",
)

# ---------------------------------------------------------------- while

program(
    "while_gradient_descent_until_converged",
    """
    import torch
    w = torch.tensor(5.0, requires_grad=True)
    steps = 0
    while True:
        loss = (w - 2.0) ** 2
        if loss.item() < 1e-4:
            break
        loss.backward()
        with torch.no_grad():
            w -= 0.2 * w.grad
        w.grad.zero_()
        steps += 1
    print(steps, w, loss)
    n = 0
    while n < 3:
        n += 1
    else:
        print("while-else ran", n)
""",
)

# ---------------------------------------------------------------- try / except / raise / assert

program(
    "try_catches_torch_runtime_error",
    """
    import torch
    a = torch.ones(2, 3)
    b = torch.ones(4, 5)
    try:
        c = a @ b
    except RuntimeError as e:
        print("caught:", e)
        c = a @ b.T[:3, :2]
    else:
        print("no error")
    finally:
        print("finally")
    print(c)
""",
)

program(
    "try_backward_twice_message",
    """
    import torch
    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 3
    y.backward()
    try:
        y.backward()
    except RuntimeError as e:
        print("RuntimeError:", str(e).split(".")[0])
    print(x.grad)
""",
)

program(
    "try_except_tuple_else_and_reraise",
    """
    def parse(s):
        try:
            v = int(s)
        except (ValueError, TypeError) as e:
            print("bad:", e)
            v = -1
        else:
            v = v * 2
        return v
    print(parse("21"), parse("x"), parse(None))
    try:
        try:
            {}["missing"]
        except KeyError:
            print("inner")
            raise
    except LookupError as e:
        print("outer", repr(e))
""",
)

program(
    "raise_value_error_from_a_function",
    """
    import torch

    def check_shape(t, n):
        if t.shape[0] != n:
            raise ValueError(f"expected {n} rows, got {t.shape[0]}")
        return t

    check_shape(torch.ones(3), 3)
    check_shape(torch.ones(2), 3)
""",
)

program(
    "raise_custom_exception_class",
    """
    class ShapeError(Exception):
        pass

    try:
        raise ShapeError("bad shape")
    except ShapeError as e:
        print("caught", e, e.args)
    raise ShapeError("again")
""",
)

program(
    "assert_with_message_fails",
    """
    import torch
    x = torch.ones(3)
    assert x.shape == (3,)
    assert x.sum() == 3, "sum is wrong"
    assert x.dim() == 2, f"expected a matrix, got {x.dim()} dims"
""",
)

program(
    "finally_runs_on_return",
    """
    def f():
        try:
            return "body"
        finally:
            print("finally first")
    print(f())
    for i in range(3):
        try:
            if i == 1:
                continue
            print("i", i)
        finally:
            print("end", i)
""",
)

# ---------------------------------------------------------------- classes

program(
    "class_plain_data_holder",
    """
    import torch

    class Dataset:
        def __init__(self, n):
            self.x = torch.arange(n, dtype=torch.float32)
            self.y = 2 * self.x + 1

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], self.y[i]

    class Averager:
        count = 0

        def __init__(self):
            self.total = 0.0

        def add(self, v):
            self.total += v
            Averager.count += 1
            return self

        def mean(self):
            return self.total / Averager.count

        def __repr__(self):
            return f"Averager(total={self.total})"

    ds = Dataset(4)
    avg = Averager()
    for i in range(len(ds)):
        x, y = ds[i]
        avg.add(y.item())
    print(len(ds), ds[1], avg, avg.mean(), isinstance(avg, Averager))
""",
)

program(
    "class_linear_model_by_hand",
    """
    import torch

    class LinearModel:
        def __init__(self, n_in, n_out):
            self.w = torch.zeros(n_in, n_out, requires_grad=True)
            self.b = torch.zeros(n_out, requires_grad=True)

        def __call__(self, x):
            return self.forward(x)

        def forward(self, x):
            return x @ self.w + self.b

        def parameters(self):
            return [self.w, self.b]

        @staticmethod
        def loss(pred, target):
            return ((pred - target) ** 2).mean()

    model = LinearModel(2, 1)
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = torch.tensor([[1.0], [2.0]])
    for epoch in range(5):
        loss = LinearModel.loss(model(x), y)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.05 * p.grad
                p.grad.zero_()
    w, b = model.w, model.b
    print(loss, w, b)
""",
)

program(
    "class_inheritance_and_super",
    """
    class Base:
        def __init__(self, name):
            self.name = name

        def describe(self):
            return "Base " + self.name

    class Child(Base):
        def __init__(self, name, size):
            super().__init__(name)
            self.size = size

        def describe(self):
            return super().describe() + f" of size {self.size}"

    class GrandChild(Child):
        def __init__(self):
            super(GrandChild, self).__init__("g", 1)

    c = GrandChild()
    print(c.describe(), isinstance(c, Base), issubclass(GrandChild, Base), c.name)
""",
)

program(
    "class_missing_attribute_error",
    """
    class Model:
        def __init__(self):
            self.weight = 1.0
    m = Model()
    print(m.weight)
    print(m.wieght)
""",
)

program(
    "class_init_wrong_arguments",
    """
    class Model:
        def __init__(self, n_in, n_out):
            self.n = n_in * n_out
    m = Model(3)
""",
)

program(
    "class_method_missing_self",
    """
    class Model:
        def forward(x):
            return x
    Model().forward(1)
""",
)

# ---------------------------------------------------------------- unpacking and formatting

program(
    "star_unpacking_in_assignments_and_displays",
    """
    import torch
    first, *rest = [1, 2, 3, 4]
    *init, last = (1, 2, 3)
    a, (b, *c) = 1, [2, 3, 4]
    print(first, rest, init, last, a, b, c)
    shape = (2, 3)
    t = torch.zeros(*shape)
    print(t.shape, [*rest, *init], {**{"a": 1}, "b": 2}, {*rest})
    print(*[1, 2, 3], sep="-")
""",
)

program(
    "star_unpacking_too_few_values",
    """
    a, b, *c = [1]
""",
)

program(
    "percent_formatting",
    """
    import torch
    loss = torch.tensor(0.123456)
    print("epoch %d loss %.4f" % (3, loss.item()))
    print("%s | %r | %5.1f%% | %-6s|" % ("a", "b", 12.34, "x"))
    print("%(name)s=%(v).2e" % {"name": "lr", "v": 0.001})
    print("%.3f" % loss)
    print("%d items" % [1, 2])
""",
)

# ---------------------------------------------------------------- standard modules

program(
    "math_and_random_modules",
    """
    import math
    import random
    import torch
    random.seed(42)
    picks = [random.randint(0, 9) for _ in range(5)]
    r = random.random()
    items = [1, 2, 3, 4]
    random.shuffle(items)
    print(picks, r, items, random.choice("abc"))
    x = torch.tensor(math.pi / 4, requires_grad=True)
    y = torch.sin(x) * math.sqrt(2)
    y.backward()
    print(y, x.grad, math.exp(1) == math.e, math.floor(2.7), math.log(100, 10))
""",
)

program(
    "collections_and_copy_modules",
    """
    import copy
    import torch
    from collections import OrderedDict, defaultdict, namedtuple

    Batch = namedtuple("Batch", ["x", "y"])
    b = Batch(torch.ones(2), y=torch.zeros(2))
    history = defaultdict(list)
    for epoch in range(3):
        history["loss"].append(1.0 / (epoch + 1))
    state = OrderedDict()
    state["w"] = torch.tensor([1.0, 2.0], requires_grad=True)
    state["b"] = torch.tensor(0.5, requires_grad=True)
    (state["w"].sum() * state["b"]).backward()
    saved = copy.deepcopy(state)
    with torch.no_grad():
        state["w"] += 1
    w_now, w_saved = state["w"], saved["w"]
    print(b, b.x + b.y, dict(history), list(state.keys()))
    print(w_now, w_saved, w_saved.grad, w_saved.is_leaf, w_saved.requires_grad)
""",
)

program(
    "deepcopy_of_a_non_leaf_is_torchs_error",
    """
    import copy
    import torch
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    z = copy.deepcopy(y)
""",
)

program(
    "numpy_beside_torch",
    """
    import numpy as np
    import torch
    np.random.seed(0)
    noise = np.random.randn(4) * 0.1
    xs = np.linspace(0, 1, 4)
    ys = 3 * xs + 1 + noise
    x = torch.from_numpy(xs).float()
    y = torch.tensor(ys, dtype=torch.float32)
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    loss = ((x * w + b - y) ** 2).mean()
    loss.backward()
    print(xs, ys.dtype, x, y, loss, w.grad, b.grad)
    a = np.array([[1, 2], [3, 4]], dtype=np.float32)
    t = torch.from_numpy(a)
    t.add_(1)
    n = t.numpy()
    n[0, 0] = 100
    print(a, t, t.dtype, np.arange(3), np.zeros((2, 1)), n.shape, n.sum(), n.tolist())
    print(w.detach().numpy(), isinstance(n, np.ndarray), np.random.rand(2), np.random.randint(0, 10, size=3))
""",
)

program(
    "numpy_of_a_tensor_that_requires_grad",
    """
    import torch
    w = torch.ones(2, requires_grad=True)
    print(w.detach().numpy())
    w.numpy()
""",
)

program(
    "from_numpy_of_a_list_is_a_type_error",
    """
    import torch
    t = torch.from_numpy([1.0, 2.0])
""",
)

# ---------------------------------------------------------------- course-style programs

program(
    "type_isinstance_getattr_of_tensors",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    print(type(x), type(y.grad_fn).__name__, isinstance(x, torch.Tensor), type(y.item()).__name__)
    print(isinstance(3, (int, float)), getattr(x, "shape"), hasattr(x, "grad"), hasattr(x, "gard"))
    names = [type(f).__name__ for f, _ in y.grad_fn.next_functions]
    print(names)
""",
)

program(
    "while_loss_tensor_condition",
    """
    import torch
    w = torch.tensor([4.0, -3.0], requires_grad=True)
    loss = (w ** 2).sum()
    step = 0
    while loss > 0.1 and step < 100:
        w.grad = None
        loss = (w ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        step += 1
    print(step, loss, w)
""",
)

program(
    "functions_with_autograd_grad_inside",
    """
    import torch

    def derivative(f, x):
        x = x.detach().requires_grad_(True)
        y = f(x)
        (g,) = torch.autograd.grad(y, x)
        return g

    def f(x):
        return x ** 3 - 2 * x

    points = [torch.tensor(v) for v in (0.0, 1.0, 2.0)]
    slopes = [derivative(f, p).item() for p in points]
    second = derivative(lambda t: derivative(f, t) if False else 3 * t ** 2 - 2, torch.tensor(1.0))
    print(slopes, second)
""",
)

program(
    "train_function_with_a_plain_model_class",
    """
    import torch

    class Perceptron:
        def __init__(self, n):
            self.w = torch.zeros(n, requires_grad=True)
            self.b = torch.zeros(1, requires_grad=True)

        def __call__(self, x):
            return torch.sigmoid(x @ self.w + self.b)

        def parameters(self):
            return [self.w, self.b]

    def train(model, x, y, epochs=20, lr=0.5):
        history = []
        for epoch in range(epochs):
            pred = model(x)
            loss = -(y * torch.log(pred) + (1 - y) * torch.log(1 - pred)).mean()
            for p in model.parameters():
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad
            if epoch % 5 == 0:
                history.append(round(loss.item(), 4))
        return loss, history

    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([0.0, 0.0, 0.0, 1.0])
    model = Perceptron(2)
    loss, history = train(model, x, y)
    w, b = model.w, model.b
    print(history, loss, w, b)
    print("accuracy: %.2f" % ((model(x) > 0.5).float() == y).float().mean())
""",
)

program(
    "index_error_caught_from_a_tensor",
    """
    import torch
    t = torch.arange(3)
    for i in range(5):
        try:
            print(i, t[i])
        except IndexError as e:
            print("IndexError:", e)
            break
""",
)

program(
    "raise_inside_a_method_names_the_line",
    """
    import torch

    class Scaler:
        def __init__(self, factor):
            if factor <= 0:
                raise ValueError(f"factor must be positive, got {factor}")
            self.factor = factor

        def __call__(self, x):
            return x * self.factor

    s = Scaler(2.0)
    print(s(torch.ones(2)))
    bad = Scaler(-1)
""",
)

program(
    "annotations_del_and_generators",
    """
    import torch

    def step(w: torch.Tensor, lr: float = 0.1) -> torch.Tensor:
        loss: torch.Tensor = (w ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
        return loss

    w = torch.tensor([1.0, -2.0], requires_grad=True)
    losses = (step(w).item() for _ in range(3))
    first = next(losses)
    rest = list(losses)
    cache = {"a": torch.ones(2), "b": torch.zeros(2)}
    del cache["a"]
    tmp = w * 2
    del tmp
    print(first, rest, list(losses), w, list(cache))
    print(tmp)
""",
)

program(
    "grad_mode_decorators_with_and_without_parentheses",
    """
    import torch

    @torch.no_grad
    def predict(w, x):
        return w * x

    @torch.enable_grad()
    def forced(w, x):
        return w * x

    w = torch.tensor(2.0, requires_grad=True)
    p = predict(w, 3.0)
    with torch.no_grad():
        q = forced(w, 3.0)
    print(p, q, torch.is_grad_enabled())
""",
)

program(
    "d2l_linear_regression_from_scratch",
    """
    import random
    import torch
    random.seed(0)

    def synthetic_data(w, b, num_examples):
        X = torch.randn(num_examples, len(w))
        y = torch.matmul(X, w) + b
        y += 0.01 * torch.randn(y.shape)
        return X, y.reshape((-1, 1))

    def data_batches(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        batches = []
        for i in range(0, num_examples, batch_size):
            batch = torch.tensor(indices[i: min(i + batch_size, num_examples)])
            batches.append((features[batch], labels[batch]))
        return batches

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    class Accumulator:
        def __init__(self, n):
            self.data = [0.0] * n

        def add(self, *args):
            self.data = [a + float(b) for a, b in zip(self.data, args)]

        def __getitem__(self, idx):
            return self.data[idx]

    true_w = torch.tensor([2, -3.4])
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, 100)
    w = torch.zeros((2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    lr, num_epochs, net, loss = 0.03, 3, linreg, squared_loss
    for epoch in range(num_epochs):
        metric = Accumulator(2)
        for X, y in data_batches(10, features, labels):
            l = loss(net(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, 10)
            metric.add(l.sum(), l.numel())
        print(f'epoch {epoch + 1}, loss {metric[0] / metric[1]:f}')
    print(f'error in estimating w: {true_w - w.reshape(true_w.shape)}')
    print(f'error in estimating b: {true_b - b}')
""",
)
