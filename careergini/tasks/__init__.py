"""Durable background tasks for model-backed work: rows in the database, run by a worker.

The deterministic result of a request is stored at once; a task then asks the model for its
version and replaces or augments the stored resource when it succeeds.
"""
