"""Benchmarks of the pipeline against the budgets of DESIGN section 7.

`synth` writes synthetic knowledge bases over the real taxonomy, `stages` times
the package's own work in a fresh process, `weight` counts the bytes of the home
page and of a first search in headless Chromium, `cachefmt` times the query
cache against the pickle it replaced, and `harness` runs every measurement
(`scripts/bench.py` is its entry point).
"""
