"""Function nodes and the backward engine."""
