"""/api/account/tokens: the user's personal access tokens (for MCP assistants)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from careergini.gateway.auth.dependencies import CallerDep, CurrentUser
from careergini.gateway.tokens import service as tokens_service
from careergini.gateway.tokens.schemas import TokenCreate, TokenCreated, TokenPublic
from careergini.runtime.deps import SessionDep

router = APIRouter(prefix="/api/account/tokens", tags=["account"])


@router.post("", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
async def create_token(
    body: TokenCreate, user: CurrentUser, session: SessionDep, caller: CallerDep
) -> TokenCreated:
    """Make a token for an assistant; the answer holds it once (only its hash is kept)."""
    return await tokens_service.create_token(
        session=session, user_id=user.id, body=body, ip=caller.ip, request_id=caller.request_id
    )


@router.get("", response_model=list[TokenPublic])
async def list_tokens(user: CurrentUser, session: SessionDep) -> list[TokenPublic]:
    """Your tokens with their scopes and last use, newest first."""
    return await tokens_service.list_tokens(session=session, user_id=user.id)


@router.delete("/{token_id:uuid}", response_model=TokenPublic)
async def revoke_token(
    token_id: uuid.UUID, user: CurrentUser, session: SessionDep, caller: CallerDep
) -> TokenPublic:
    """Revoke a token: it stops working at once and stays listed as revoked."""
    return await tokens_service.revoke_token(
        session=session,
        user_id=user.id,
        token_id=token_id,
        ip=caller.ip,
        request_id=caller.request_id,
    )
