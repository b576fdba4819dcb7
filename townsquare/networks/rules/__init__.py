"""Posting rules of every network (data in rules.json) and the pure counting functions."""
