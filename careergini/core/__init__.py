"""Shared plumbing: database, cache, vectors, embeddings, errors, logging, security."""
