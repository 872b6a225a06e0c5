"""Import every table model so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from careergini.gateway.auth import models as auth_models  # noqa: F401
from careergini.profile import models as profile_models  # noqa: F401
from careergini.skills.analysis import models as analysis_models  # noqa: F401

metadata = SQLModel.metadata
