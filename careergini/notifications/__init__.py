"""Notifications: in-app notices and email digests of new matching jobs, follow-ups due and
tracked jobs that closed."""
