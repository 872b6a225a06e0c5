"""The running app's clients (Resources, built by the lifespan) and their FastAPI dependencies."""
