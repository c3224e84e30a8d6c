"""Benchmarks of the dashboard at 10k, 100k and 1M incidents, and the synthetic data they run on.

Every incident and claim the generator writes is labelled synthetic (source "SYNTHETIC benchmark data",
tag "synthetic", a description that says so); bench stores live under ``bench/out/`` (never committed) or in
PostgreSQL databases named ``incidents_bench_*``. ``python -m bench`` runs everything and writes
``bench/RESULTS.md``; ``python -m bench --quick`` is the CI smoke run.
"""
