"""The legacy size_average/reduce arguments of the losses, as PyTorch's torch.nn._reduction reads them."""


def legacy_get_string(size_average, reduce):
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"
