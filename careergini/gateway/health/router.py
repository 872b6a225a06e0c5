from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from careergini import __version__
from careergini.gateway.health import service as health_service
from careergini.gateway.health.schemas import Liveness, LLMHealth, Readiness
from careergini.runtime.deps import LLMDep, ResourcesDep, SettingsDep

router = APIRouter(prefix="/api/health", tags=["health"])


@router.get("", response_model=Liveness)
async def liveness() -> Liveness:
    """Answer while the process is alive."""
    return Liveness(version=__version__)


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def readiness(resources: ResourcesDep) -> JSONResponse:
    """Check the database, the cache, the vector store and the embedding model; 503 when one is
    down or while the model is still loading after a start ("warming")."""
    report = await health_service.check_readiness(resources=resources)
    return JSONResponse(report.model_dump(), status_code=200 if report.status == "ok" else 503)


@router.get("/llm", response_model=LLMHealth)
async def llm(settings: SettingsDep, llm: LLMDep) -> LLMHealth:
    """Say whether Ollama is reachable, which configured models it has, and the breakers."""
    return await health_service.check_llm(settings=settings, llm=llm)
