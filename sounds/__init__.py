"""Cue sounds, shipped inside the package. `generate.py` beside this file makes them."""
