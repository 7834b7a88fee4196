"""Load benchmarks for Apprenance: a generated 50,000-member network served by the real server.

Run with ``make bench`` (``python -m bench.run``); everything lives under ``var/bench/``.
"""
