"""Import every table model so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from careergini.gateway.auth import models as auth_models  # noqa: F401

metadata = SQLModel.metadata
