"""Benchmarks and load tests; see bench/README.md."""
