"""`careergini users`: make an account an admin (or a plain user again) from the shell."""

from __future__ import annotations

from careergini.config import Settings
from careergini.core.db import create_engine, create_sessionmaker, session_scope
from careergini.gateway.auth import service as auth_service


async def set_role(*, settings: Settings, email: str, admin: bool) -> str:
    """Give the account with this email the role; return what was done, for the terminal."""
    engine = create_engine(settings.effective_database_url, pool_size=1)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            user = await auth_service.get_user_by_email(session=session, email=email)
            if user is None:
                raise LookupError(f"no account has the email {auth_service.normalize_email(email)}")
            was = auth_service.role_of(user)
            await auth_service.set_role(
                session=session, user=user, admin=admin, actor_id=None, caller=None
            )
            now = auth_service.role_of(user)
            return (
                f"{user.email}: {was} -> {now}" if was != now else f"{user.email} is {now} already"
            )
    finally:
        await engine.dispose()
