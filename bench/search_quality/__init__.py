"""Search relevance bench: a judged French development set and the harness that scores the search on it.

Run with ``.venv/bin/python -m bench.search_quality.run``; see run.py.
"""
