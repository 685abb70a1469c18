"""Co-offender components without scipy.sparse: the same numbering as scipy's connected_components
(the flow's gadget nodes, and so its tie-breaking, depend on it)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matcher.solver import _pair_components


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 60).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda t: t[0] != t[1]
                ),
                min_size=1,
                max_size=40,
            ),
        )
    )
)
def test_same_labels_as_scipy(case):
    """Every node gets scipy's component label, singletons included."""
    n, pairs = case
    pr = np.sort(np.array(pairs, np.int64), axis=1)
    graph = coo_matrix((np.ones(len(pr)), (pr[:, 0], pr[:, 1])), shape=(n, n))
    _, expected = connected_components(graph, directed=False)
    np.testing.assert_array_equal(_pair_components(pr, n), expected)
