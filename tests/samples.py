"""Sample texts that tests in several packages share."""

from __future__ import annotations

# A senior backend role: Python, FastAPI, PostgreSQL, Docker and Kubernetes required.
BACKEND_JD = """\
Senior Backend Engineer
Acme Payments - Remote (US)

About the role
You will build the APIs behind our payments platform.

Responsibilities
- Design and build REST APIs in Python
- Operate services on Kubernetes and AWS

Requirements
- 5+ years of experience building backend services
- Strong Python and FastAPI
- PostgreSQL and SQL
- Docker and Kubernetes

Nice to have
- Go
- Terraform
"""
