"""Benchmarks: seeded instances, baselines, the runner (``python -m benchmarks.run``), results."""
