"""The tools over the other domains' services, through chat turns: the person's job postings
(jobs), a learning plan with curated resources (learning), bullets ranked by meaning (resume)."""

from __future__ import annotations

import re
import uuid

from careergini.profile import service as profile_service
from careergini.resume import service as resume_service
from tests.agents.chat_support import JD, Coach, CoachMaker


def _tool_block(coach: Coach, tool: str) -> str:
    prompt = coach.ollama.chats[-1]["messages"][-1]["content"]
    found = re.search(rf'<data source="tool_{tool}">\n(.*?)\n</data>', prompt, re.DOTALL)
    assert found is not None, prompt
    return found.group(1)


async def test_the_jobs_specialist_ranks_the_persons_own_postings(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    thread = await coach.thread(user)
    empty = await coach.send(user, thread, "Which jobs should I apply to?")
    tools = {t["tool"]: t for t in empty.named("tool") if t["status"] == "done"}
    assert set(tools) == {"role_search", "job_matches"}
    assert tools["job_matches"]["ok"] is False
    assert "No collected job posting" in _tool_block(coach, "job_matches")

    added = await coach.http.post("/api/jobs", json={"text": JD}, headers=user["headers"])
    assert added.status_code == 201, added.text
    theirs = JD.replace("Acme Payments", "Initech Secret Corp")
    added = await coach.http.post("/api/jobs", json={"text": theirs}, headers=other["headers"])
    assert added.status_code == 201, added.text
    turn = await coach.send(user, thread, "Which jobs should I apply to?")
    assert turn.done["agents"] == ["jobs"]
    block = _tool_block(coach, "job_matches")
    assert "Senior Backend Engineer (Acme Payments" in block and "match" in block
    assert "Initech" not in coach.ollama.chats[-1]["messages"][-1]["content"]


async def test_the_learning_plan_comes_with_curated_resources(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(
        user, thread, "What should I learn to get this job?", job_description=JD
    )
    assert "learning" in turn.done["agents"]
    block = _tool_block(coach, "learning_plan")
    assert block.index("Amazon Web Services") < block.index("Terraform")
    assert "resource:" in block


async def test_the_resume_focus_ranks_bullets_by_meaning(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    user = await coach.user()
    thread = await coach.thread(user)
    await coach.send(
        user, thread, "What should my resume put forward for this job?", job_description=JD
    )
    block = _tool_block(coach, "resume_focus")
    bullets = [line.split("] ", 1)[1] for line in block.splitlines() if line.startswith("- [")]
    # The order is the resume domain's similarity of each bullet to the job, best first.
    async with coach.resources.sessionmaker() as session:
        profile = await profile_service.build_profile(
            session=session, owner_id=uuid.UUID(user["id"])
        )
    scores = await resume_service.bullet_similarities(
        embedder=coach.resources.embedder, profile=profile, job_text=JD
    )
    text = {f"{w.key}:{i}": b for w in profile.work for i, b in enumerate(w.bullets)}
    expected = [text[k] for k, _ in sorted(scores.items(), key=lambda item: -item[1])]
    assert bullets == expected[:4] and len(bullets) == 3
    assert "Required keywords the resume lacks (add only if true): Amazon Web Services" in block
