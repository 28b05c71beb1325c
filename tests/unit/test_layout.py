"""The force layout: the particle-mesh repulsion agrees with the exact pairwise sum, and the
layout is deterministic and puts linked notes near each other."""

from __future__ import annotations

import numpy as np
from mkdocs_garden.core.layout import _grid_repulsion, _repulsion, force_layout


def _exact(pos: np.ndarray, k: float) -> np.ndarray:
    delta = pos[:, None, :] - pos[None, :, :]
    distance2 = np.maximum((delta**2).sum(axis=2), 1e-6)
    return (delta * (k * k / distance2)[:, :, None]).sum(axis=1)


def test_mesh_repulsion_matches_the_pairwise_sum() -> None:
    pos = np.random.default_rng(0).normal(size=(2000, 2))
    k = 2 / np.sqrt(len(pos))
    mesh, exact = _grid_repulsion(pos, k), _exact(pos, k)
    # Measured against the typical force: where forces nearly cancel, any error is large
    # relative to the force itself. The mesh blurs the near field, so the tail is wider.
    error = np.linalg.norm(mesh - exact, axis=1) / np.median(np.linalg.norm(exact, axis=1))
    assert np.median(error) < 0.05
    assert np.percentile(error, 90) < 0.25


def test_small_graphs_use_the_exact_sum() -> None:
    pos = np.random.default_rng(1).uniform(-1, 1, size=(50, 2))
    assert np.allclose(_repulsion(pos, 0.3), _exact(pos, 0.3))


def _two_clusters(size: int) -> np.ndarray:
    rng = np.random.default_rng(2)
    edges = [(a, b) for a, b in rng.integers(0, size, size=(size * 4, 2)) if a != b]
    return np.array(edges + [(a + size, b + size) for a, b in edges])


def test_linked_notes_end_up_together_with_the_mesh_and_exactly() -> None:
    for size in (40, 600):  # below and above the exact-sum threshold
        pos = force_layout(2 * size, _two_clusters(size), seed=3)
        assert np.isfinite(pos).all() and np.abs(pos).max() <= 1.0
        first, second = pos[:size].mean(axis=0), pos[size:].mean(axis=0)
        spread = max(pos[:size].std(axis=0).max(), pos[size:].std(axis=0).max())
        assert np.linalg.norm(first - second) > spread, size


def test_same_seed_same_positions() -> None:
    edges = _two_clusters(300)
    assert np.array_equal(force_layout(600, edges, seed=5), force_layout(600, edges, seed=5))
    assert not np.array_equal(force_layout(600, edges, seed=5), force_layout(600, edges, seed=6))
