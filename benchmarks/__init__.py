"""Throughput benchmarks: scripts that print ratios measured in one run (``python -m
benchmarks.<name>``); pytest does not collect them."""
