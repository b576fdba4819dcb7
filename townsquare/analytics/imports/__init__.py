"""Imports of the networks' own analytics exports (X, LinkedIn, Facebook, Instagram), so that
history from before Townsquare is kept."""
