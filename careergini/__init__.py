"""CareerGini: a self-hosted AI career advisor."""

__version__ = "0.1.0"
