# torch.autograd.functional computes whole derivative matrices of a function in one call.
# jacobian(f, x) gives d f_i / d x_j for every output i and input j: for f(x) = x**2 * x.sum() it is
# not diagonal, because every output depends on every input through the sum. hessian(g, x) gives the
# second derivatives of a scalar function: for g(x) = x0 * x1 only the mixed derivative is non-zero.
# Watch the graph: each call differentiates f or g on its own copy of x, twice for the Hessian.
import torch


def f(x):
    return x ** 2 * x.sum()


def g(x):
    return x.prod()


x = torch.tensor([1.0, 2.0])
print(torch.autograd.functional.jacobian(f, x))
print(torch.autograd.functional.hessian(g, x))
