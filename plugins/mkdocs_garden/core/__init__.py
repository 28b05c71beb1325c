"""The generator-agnostic core: parsing, resolution, rewriting, graph, tasks and timeline.

Nothing under this package imports MkDocs; `tests/unit/test_core_is_pure.py` keeps it so.
"""
