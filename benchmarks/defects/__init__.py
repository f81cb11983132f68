"""Counters of reader-visible defects on the real-article corpus (see ../realworld.py)."""
