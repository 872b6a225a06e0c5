"""The turn's target: what came with the message, a pasted job description, one of the
person's saved postings or a role the message names; and the target's requirements."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

import anyio.to_thread

from careergini.agents.state import CoachContext, Target, TurnRequest
from careergini.agents.tools.base import STOP, WORD
from careergini.analysis import schemas as analysis_schemas, service as analysis_service
from careergini.core.errors import AppError
from careergini.jobs import service as jobs_service
from careergini.learning import service as learning_service
from careergini.skills import service as skills_service
from careergini.skills.schemas import JobRequirements, Role
from careergini.skills.service import load_roles, load_taxonomy

MIN_JD_CHARS = 300
_CUES = re.compile(
    r"\b(?:become|becoming|be|as|for|into|to|towards|toward|role of|position of|switch to|"
    r"move to|transition to|match|matching)\s+(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)
_GENERIC = {"engineer", "developer", "manager", "analyst", "specialist", "consultant", "lead"}


def _role(role_id: str) -> Role | None:
    try:
        return learning_service.get_role(role_id)
    except AppError:
        return None


def _role_target(role_id: str) -> Target | None:
    role = _role(role_id)
    if role is None:
        return None
    return Target(kind="role", title=role.title, role_id=role.id, text=None, company=None)


def search_role_phrase(text: str) -> Target | None:
    """Find the role a message names after a cue ("become a data engineer", "a plan for a
    front-end developer"): a title as people type it first, else a title that starts so."""
    roles = load_roles()
    for cue in _CUES.finditer(text):
        words: list[str] = []
        for match in WORD.finditer(text[cue.end() : cue.end() + 80]):
            word = match.group(0).strip("./-")
            if word.casefold() in STOP or not word:
                break
            words.append(word)
            if len(words) == 5:
                break
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            typed = learning_service.find_role(phrase) if size > 1 or phrase.isupper() else None
            if typed is not None:
                return Target(
                    kind="role", title=typed.title, role_id=typed.id, text=None, company=None
                )
            hits = roles.search(phrase, limit=5)
            if size == 1:
                # One word names a role only when it is a whole title ("nurse", "actuary").
                hits = [
                    r for r in hits if _is_title(r, phrase) and phrase.casefold() not in _GENERIC
                ]
            if hits:
                return Target(
                    kind="role", title=hits[0].title, role_id=hits[0].id, text=None, company=None
                )
    return None


def _is_title(role: Role, word: str) -> bool:
    wanted = word.casefold()
    titles = {t.casefold() for t in (role.title, *role.alt_titles)}
    return wanted in titles or f"{wanted}s" in titles


def job_target(text: str) -> Target:
    parsed = skills_service.parse_job(text=text)
    return Target(
        kind="job_description", title=parsed.title, company=parsed.company, role_id=None, text=text
    )


def given_target(*, message: str, request: TurnRequest | None) -> Target | None:
    """Return the target that came with the message (a JD, a role id) or is the message (a JD)."""
    request = request or {}
    if request.get("job_description"):
        return job_target(str(request["job_description"]))
    if request.get("role_id"):
        target = _role_target(str(request["role_id"]))
        if target is not None:
            return target
    if len(message) >= MIN_JD_CHARS:
        parsed = skills_service.parse_job(text=message)
        if parsed.looks_like_job:
            return Target(
                kind="job_description",
                title=parsed.title,
                company=parsed.company,
                role_id=None,
                text=message,
            )
    return None


def find_target(
    *, message: str, request: TurnRequest | None, previous: Target | None
) -> Target | None:
    """Decide what to analyse against: a pasted JD, a role named or chosen, else the last one."""
    given = given_target(message=message, request=request)
    return given or search_role_phrase(message[:400]) or previous


def _saved_job_target(job_id: str, title: str, company: str | None) -> Target:
    """One of the person's saved postings as the turn's target (its text is read when used)."""
    return Target(kind="job", title=title, company=company, role_id=None, text=None, job_id=job_id)


async def resolve_target(
    ctx: CoachContext, *, message: str, request: TurnRequest | None, previous: Target | None
) -> Target | None:
    """Decide the turn's target: what came with the message (a saved posting's id, a JD, a role)
    or a pasted JD, else one of the person's saved postings the message names, else a role it
    names, else the last one."""
    if request and request.get("job_id"):
        async with ctx.resources.sessionmaker() as session:
            posting = await analysis_service.posting_for_target(
                session=session, owner_id=ctx.user_id, job_id=str(request["job_id"])
            )
        return _saved_job_target(posting.job_id, posting.title, posting.company)
    given = await anyio.to_thread.run_sync(lambda: given_target(message=message, request=request))
    if given is not None:
        return given
    saved = await find_saved_posting(ctx, message[:400])
    if saved is not None:
        return saved
    named = await anyio.to_thread.run_sync(lambda: search_role_phrase(message[:400]))
    return named or previous


# --- the person's saved postings ----------------------------------------------------------------

# A saved posting is named by its company ("the Acme job", "the Acme data engineer role"), or,
# without the company, by its whole title followed by one of these ("the data engineer job").
_POSTING_NOUN = re.compile(r"\b(?:job|posting|position|opening|vacancy|listing|offer)\b", re.I)
_COMPANY_NOISE = {
    "the", "inc", "ltd", "llc", "gmbh", "corp", "corporation", "co", "company", "group", "plc",
    "limited", "ag", "sa", "bv", "se", "holdings", "technologies", "labs", "and", "of",
}  # fmt: skip
_TITLE_NOISE = {
    "senior", "sr", "junior", "jr", "lead", "staff", "principal", "mid", "level", "i", "ii",
    "iii", "iv", "the", "a", "an", "of", "and", "for", "in", "at", "with", "remote", "hybrid",
    "m", "f", "d", "w", "x",
}  # fmt: skip


class NamedPosting(Protocol):
    """What naming a posting reads of it."""

    @property
    def title(self) -> str: ...

    @property
    def company(self) -> str | None: ...

    @property
    def status(self) -> str: ...


PostingT = TypeVar("PostingT", bound=NamedPosting)


def _tokens(text: str) -> list[str]:
    found = (w.casefold().strip("./-") for w in WORD.findall(text))
    return [w for w in found if w]


def _posting_score(
    posting: NamedPosting, words: set[str], *, noun: bool, per_company: dict[str, int]
) -> float:
    """Say how surely the message names this posting (0: not at all)."""
    title = set(_tokens(posting.title)) - _TITLE_NOISE
    if not title:
        return 0.0
    share = len(title & words) / len(title)
    company = [t for t in _tokens(posting.company or "") if t not in _COMPANY_NOISE]
    if company and company[0] in words:
        if share >= 0.5:
            return 2.0 + share
        if noun and per_company.get(company[0]) == 1:
            return 1.5  # "the Acme job", and Acme has one posting
        return 0.0
    if noun and share == 1.0 and len(title) >= 2:
        return 1.0
    return 0.0


def named_posting(message: str, postings: Sequence[PostingT]) -> PostingT | None:
    """Return the posting (title, company, status) the message clearly names, if one does."""
    words = set(_tokens(message))
    if not words or not postings:
        return None
    noun = bool(_POSTING_NOUN.search(message))
    per_company: dict[str, int] = {}
    for posting in postings:
        company = [t for t in _tokens(posting.company or "") if t not in _COMPANY_NOISE]
        if company:
            per_company[company[0]] = per_company.get(company[0], 0) + 1
    best: tuple[float, bool, int] | None = None
    chosen = None
    for position, posting in enumerate(postings):
        score = _posting_score(posting, words, noun=noun, per_company=per_company)
        if score <= 0:
            continue
        # Ties: an open posting before a closed one, then the most recently found.
        rank = (score, posting.status == "open", position)
        if best is None or rank > best:
            best, chosen = rank, posting
    return chosen


async def find_saved_posting(ctx: CoachContext, message: str) -> Target | None:
    """Return the person's saved posting the message names, as a target (read from their own
    search index: another user's postings are never considered)."""
    if not _tokens(message):
        return None
    async with ctx.resources.sessionmaker() as session:
        postings = await jobs_service.postings_mentioned(
            session=session, owner_id=ctx.user_id, text=message
        )
    chosen = named_posting(message, postings)
    if chosen is None:
        return None
    return _saved_job_target(chosen.id, chosen.title, chosen.company)


# --- the target's requirements ------------------------------------------------------------------


async def requirements(
    ctx: CoachContext, target: Target
) -> tuple[JobRequirements | None, analysis_schemas.PostingTarget | None]:
    """Return the target's requirements, and the saved posting when it is one (read afresh,
    owner-scoped: a posting deleted since, or not the person's, is an AppError)."""
    if target.get("kind") == "job":
        async with ctx.resources.sessionmaker() as session:
            posting = await analysis_service.posting_for_target(
                session=session, owner_id=ctx.user_id, job_id=str(target.get("job_id") or "")
            )
        _, job = analysis_service.requirements_from_posting(posting, load_taxonomy())
        return job, posting
    return await anyio.to_thread.run_sync(lambda: _fixed_requirements(target)), None


def _fixed_requirements(target: Target) -> JobRequirements | None:
    taxonomy = load_taxonomy()
    if target.get("kind") == "role" and target.get("role_id"):
        role = _role(str(target["role_id"]))
        return skills_service.requirements_from_role(role, taxonomy) if role else None
    text = target.get("text") or ""
    if not text.strip():
        return None
    parsed = skills_service.parse_job(text=text)
    return skills_service.requirements_from_job(parsed, taxonomy, text)
