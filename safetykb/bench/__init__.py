"""Benchmarks of the pipeline against the budgets of DESIGN section 7.

`synth` writes synthetic knowledge bases over the real taxonomy, `stages` times
the package's own work in a fresh process, `cachefmt` times the query cache
against the pickle it replaced, and `harness` runs every measurement
(`scripts/bench.py` is its entry point).
"""
