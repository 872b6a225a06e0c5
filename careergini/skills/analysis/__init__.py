"""Deterministic analysis of a profile against a job or a role: gap, match score, ATS report."""
