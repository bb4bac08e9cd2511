"""A numpy autograd engine with PyTorch 2.13 semantics (no web imports)."""
