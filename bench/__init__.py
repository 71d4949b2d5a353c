"""Benchmarks of the event backbone: figures and ratios printed, the latest kept in bench/README.md."""
