"""Targets (pasted text, a role, a saved posting) and stored analyses of a profile against them."""
