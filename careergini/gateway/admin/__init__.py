"""Operators' routes under /api/admin (404 for everyone else)."""
