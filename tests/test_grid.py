"""The compiled grid searches: the neighbour table and the all-pairs distance table agree with the
plain-Python breadth-first search the reference runs."""

from __future__ import annotations

import numpy as np
import pytest

from organisms import grid


@pytest.mark.parametrize("density", [0.0, 0.25, 0.5])
def test_all_pairs_distances_equal_a_fresh_search_from_every_cell(density):
    rng = np.random.default_rng([3, int(density * 100)])
    for _ in range(8):
        h, w = rng.integers(1, 9, size=2)
        walls = rng.random((h, w)) < density
        dist = grid.all_pairs_distances(walls)
        for src in range(h * w):
            expected = np.full(h * w, grid.UNREACHABLE, dtype=np.int16)
            r, c = divmod(src, w)
            if not walls[r, c]:
                for (rr, cc), d in grid.bfs(walls.tolist(), (r, c)).items():
                    expected[rr * w + cc] = d
            assert np.array_equal(dist[src], expected), f"grid {h}x{w}, source {src}"


def test_neighbour_table_lists_the_cell_itself_exactly_where_a_move_is_blocked():
    walls = np.array([[False, True, False],
                      [False, False, False]])
    table = grid.neighbour_table(walls)
    w = walls.shape[1]
    for r in range(2):
        for c in range(3):
            for m, (dr, dc) in enumerate(grid.MOVES):
                nr, nc = r + dr, c + dc
                open_move = not walls[r, c] and 0 <= nr < 2 and 0 <= nc < 3 and not walls[nr, nc]
                assert table[r * w + c, m] == (nr * w + nc if open_move else r * w + c)
