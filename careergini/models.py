"""Import every table model so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from careergini.agents.chat import models as chat_models  # noqa: F401
from careergini.analysis import models as analysis_models  # noqa: F401
from careergini.core import storage as storage_models  # noqa: F401
from careergini.gateway.audit import models as audit_models  # noqa: F401
from careergini.gateway.auth import models as auth_models  # noqa: F401
from careergini.gateway.tokens import models as tokens_models  # noqa: F401
from careergini.jobs import models as jobs_models  # noqa: F401
from careergini.learning import models as learning_models  # noqa: F401
from careergini.notifications import models as notifications_models  # noqa: F401
from careergini.profile import models as profile_models  # noqa: F401
from careergini.resume import models as resume_models  # noqa: F401
from careergini.tasks import models as tasks_models  # noqa: F401

metadata = SQLModel.metadata
