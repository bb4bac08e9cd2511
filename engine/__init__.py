"""A numpy autograd engine with PyTorch 2.13 semantics (no web imports)."""

from engine.allocator import keep_freed_memory

keep_freed_memory()
