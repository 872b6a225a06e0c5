"""The Model Context Protocol server: CareerGini as tools for a person's own assistant."""
