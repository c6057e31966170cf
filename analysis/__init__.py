"""Cluster Benchmark: data, analyses, charts and the build of the benchmarking report."""

__version__ = "0.1.0"
