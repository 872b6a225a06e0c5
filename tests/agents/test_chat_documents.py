"""What the coach creates when asked: a tailored resume, a cover letter, a learning roadmap, a
practice interview. Each is stored for the chatting user only, named in the stream as it is
made, summarised briefly for the model, and still made (and said) when the model is offline."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from careergini.agents.chat.degraded import OFFLINE_BANNER
from careergini.llm.budget import estimate_messages
from tests.agents.chat_support import JD, Coach, CoachMaker, Turn
from tests.conftest import free_port
from tests.doubles.ollama import Reply


def _digest(coach: Coach, tool: str) -> str:
    """Return the tool's digest as the model received it (its data block, less the title)."""
    prompt = coach.ollama.chats[-1]["messages"][-1]["content"]
    found = re.search(rf'<data source="tool_{tool}">\n(.*?)\n</data>', prompt, re.DOTALL)
    assert found is not None, prompt
    return found.group(1).split("\n", 1)[1]


def _created(turn: Turn, tool: str) -> dict[str, Any]:
    """Return the artifact of the tool's done event (it must have succeeded)."""
    done = [t for t in turn.named("tool") if t["tool"] == tool and t["status"] == "done"]
    assert len(done) == 1, turn.events
    assert done[0]["ok"] is True, done[0]
    return done[0]["artifact"]


async def _get(coach: Coach, user: dict[str, Any], path: str) -> Any:
    return await coach.http.get(path, headers=user["headers"])


async def test_asked_to_tailor_the_coach_stores_a_resume_only_its_owner_can_read(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    thread = await coach.thread(user)
    await coach.send(user, thread, JD)
    calls = len(coach.ollama.chats)
    turn = await coach.send(user, thread, "Great, now tailor my resume for this job please")
    assert turn.done["agents"] == ["resume"] and turn.done["degraded"] is False

    # The stream names what is happening, for the agent and for its tool.
    doing = 'Creating a tailored resume for the job "Senior Backend Engineer"...'
    (started,) = [a for a in turn.named("agent") if a.get("status") == "started"]
    assert started["agent"] == "resume" and started["detail"] == doing
    (tool,) = [t for t in turn.named("tool") if t["status"] == "started"]
    assert tool["tool"] == "tailor_resume" and tool["detail"] == doing
    artifact = _created(turn, "tailor_resume")
    resume_id = artifact["id"]
    assert artifact["kind"] == "resume"
    assert artifact["links"] == {
        "app": f"/resumes/{resume_id}",
        "pdf": f"/api/resumes/{resume_id}/pdf",
        "docx": f"/api/resumes/{resume_id}/docx",
    }

    # Stored: the deterministic version (the model was not asked to reword: one answer call).
    assert len(coach.ollama.chats) == calls + 1
    stored = await _get(coach, user, f"/api/resumes/{resume_id}")
    assert stored.status_code == 200, stored.text
    resume = stored.json()
    assert resume["target"]["title"] == "Senior Backend Engineer"
    assert resume["llm_used"] is False
    pdf = await _get(coach, user, artifact["links"]["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = await _get(coach, user, artifact["links"]["docx"])
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    listed = (await _get(coach, user, "/api/resumes")).json()
    assert [r["id"] for r in listed] == [resume_id]

    # Nobody else can read it, in any form.
    for path in (f"/api/resumes/{resume_id}", *artifact["links"].values()):
        if path.startswith("/api/"):
            assert (await _get(coach, other, path)).status_code == 404, path
    assert (await _get(coach, other, "/api/resumes")).json() == []

    # The model gets a short digest of what was done, with the links to give.
    block = _digest(coach, "tailor_resume")
    assert block.startswith(f"Created and saved a tailored resume (id {resume_id})")
    kept = resume["report"]["counts"]["bullets_included"]
    total = resume["report"]["counts"]["bullets"]
    assert f"Bullets: {kept} of {total} kept" in block
    assert "Keywords put forward: " in block and "Python" in block
    assert "Not claimed (no evidence in the profile): Amazon Web Services" in block
    assert f"/resumes/{resume_id} (review, edit), /api/resumes/{resume_id}/pdf" in block
    assert len(block) <= 1200
    assert estimate_messages(coach.ollama.chats[-1]["messages"]) <= 3000


async def test_a_cover_letter_is_written_and_stored_when_asked(make_coach: CoachMaker) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(
        user, thread, "Write me a cover letter for this job.", job_description=JD
    )
    assert "resume" in turn.done["agents"]
    artifact = _created(turn, "write_cover_letter")
    letter_id = artifact["id"]
    assert artifact["kind"] == "cover_letter"
    assert artifact["links"]["app"] == f"/resumes/letters/{letter_id}"
    details = [t["detail"] for t in turn.named("tool") if t["status"] == "started"]
    assert 'Writing a cover letter for the job "Senior Backend Engineer"...' in details
    assert not [t for t in turn.named("tool") if t["tool"] == "tailor_resume"]

    stored = await _get(coach, user, f"/api/cover-letters/{letter_id}")
    assert stored.status_code == 200, stored.text
    assert stored.json()["content"]["company"] == "Acme Payments"
    pdf = await _get(coach, user, artifact["links"]["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await _get(coach, other, f"/api/cover-letters/{letter_id}")).status_code == 404
    assert (await _get(coach, other, artifact["links"]["pdf"])).status_code == 404
    block = _digest(coach, "write_cover_letter")
    assert block.startswith(f"Created and saved a cover letter (id {letter_id}) for ")
    assert "addressed to Acme Payments" in block


async def test_what_to_emphasise_is_still_advice_and_creates_nothing(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    thread = await coach.thread(user)
    for ask in (
        "What should my resume emphasise for this job?",
        "How do I tailor my resume for this job?",
    ):
        turn = await coach.send(user, thread, ask, job_description=JD)
        tools = {t["tool"] for t in turn.named("tool")}
        assert "resume_focus" in tools and "tailor_resume" not in tools, tools
    assert (await _get(coach, user, "/api/resumes")).json() == []


async def test_asked_for_a_plan_the_coach_stores_a_roadmap_at_the_hours_given(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(
        user, thread, "Make me a learning plan for a data engineer role, 10 hours a week"
    )
    assert turn.done["agents"] == ["learning"]
    (started,) = [a for a in turn.named("agent") if a.get("status") == "started"]
    assert started["detail"] == (
        'Creating a learning roadmap for the role "Data engineer" at 10 hours a week...'
    )
    artifact = _created(turn, "create_roadmap")
    roadmap_id = artifact["id"]
    assert artifact["links"] == {
        "app": f"/learning/roadmaps/{roadmap_id}",
        "ics": f"/api/learning/roadmaps/{roadmap_id}/ics",
    }
    stored = await _get(coach, user, f"/api/learning/roadmaps/{roadmap_id}")
    assert stored.status_code == 200, stored.text
    roadmap = stored.json()
    assert roadmap["parameters"]["hours_per_week"] == 10
    assert roadmap["target"]["type"] == "role" and roadmap["target"]["title"] == "Data engineer"
    # The chat does not wait for the model to write the week descriptions.
    assert roadmap["texts"]["writer"] == "template"
    assert (await _get(coach, other, f"/api/learning/roadmaps/{roadmap_id}")).status_code == 404
    assert (await _get(coach, other, artifact["links"]["ics"])).status_code == 404

    # The stored answer lists it (a reload shows it), as does the account export; the thread
    # is its owner's alone.
    listed = [
        {
            "kind": "roadmap",
            "id": roadmap_id,
            "title": "Learning roadmap: Data engineer",
            "links": artifact["links"],
        }
    ]
    answer = (await coach.thread_detail(user, thread))["messages"][-1]
    assert answer["role"] == "assistant" and answer["id"] == turn.done["message_id"]
    assert answer["artifacts"] == listed and turn.done["artifacts"] == listed
    assert (await coach.thread_detail(user, thread))["messages"][0]["artifacts"] == []
    assert (await _get(coach, other, f"/api/chat/threads/{thread}")).status_code == 404
    export = await _get(coach, user, "/api/account/export")
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        chats = json.loads(archive.read("account.json"))["chat"]
    assert chats[0]["messages"][-1]["artifacts"] == listed

    block = _digest(coach, "create_roadmap")
    summary = roadmap["summary"]
    assert block.startswith(
        f"Created and saved a learning roadmap (id {roadmap_id}) for Data engineer: "
        f"10 h a week, {summary['weeks_total']} weeks ({summary['months_total']} months"
    )
    assert f"Fits the time given: {'yes' if summary['fits'] else 'no'}." in block
    # The first weeks as runs of one focus: "weeks 1-3: Statistics (10 h a week)".
    weeks = roadmap["weeks"]
    other = [w["index"] for w in weeks if w["focus"] != weeks[0]["focus"]]
    last = (other[0] if other else len(weeks) + 1) - 1
    run = f"weeks 1-{last}" if last > 1 else "week 1"
    assert f"First weeks: {run}: {weeks[0]['focus']} ({weeks[0]['hours']} h a week)" in block
    assert len(block) <= 1200
    assert estimate_messages(coach.ollama.chats[-1]["messages"]) <= 1500

    # Without stated hours: 5 a week. A question about plans stays a question.
    turn = await coach.send(user, thread, "Now build a roadmap for this job", job_description=JD)
    second = _created(turn, "create_roadmap")["id"]
    again = (await _get(coach, user, f"/api/learning/roadmaps/{second}")).json()
    assert again["parameters"]["hours_per_week"] == 5
    assert again["target"]["title"] == "Senior Backend Engineer"
    turn = await coach.send(user, thread, "What should I learn first for it?")
    assert {t["tool"] for t in turn.named("tool")} == {"learning_plan"}
    assert len((await _get(coach, user, "/api/learning/roadmaps")).json()) == 2


async def test_a_mock_interview_starts_a_session_with_its_first_question(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    thread = await coach.thread(user)
    await coach.send(user, thread, JD)
    turn = await coach.send(user, thread, "Can we do a mock interview for it?")
    assert turn.done["agents"] == ["learning"]
    details = [t["detail"] for t in turn.named("tool") if t["status"] == "started"]
    assert details == ['Starting a practice interview for the job "Senior Backend Engineer"...']
    artifact = _created(turn, "start_interview")
    session_id = artifact["id"]
    stored = await _get(coach, user, f"/api/interview/sessions/{session_id}")
    assert stored.status_code == 200, stored.text
    session = stored.json()
    question = session["current_question"]
    assert session["answered"] == 0 and question["number"] == 1
    assert (await _get(coach, other, f"/api/interview/sessions/{session_id}")).status_code == 404

    block = _digest(coach, "start_interview")
    assert f"(id {session_id})" in block
    assert f"Question 1 of {session['total']} ({question['kind']}): {question['question']}" in block
    assert f"POST /api/interview/sessions/{session_id}/answers" in block
    # The session is real: answering it through the API moves to the next question.
    answered = await coach.http.post(
        artifact["links"]["answer"],
        json={"answer": "I would start from the requirements and measure."},
        headers=user["headers"],
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["session"]["answered"] == 1
    refused = await coach.http.post(
        artifact["links"]["answer"], json={"answer": "mine now"}, headers=other["headers"]
    )
    assert refused.status_code == 404


async def test_offline_the_documents_are_still_created_and_said_plainly(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach(ollama_url=f"http://127.0.0.1:{free_port()}", llm_max_retries=0)
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(
        user,
        thread,
        "Tailor my resume for this job, and make me a study plan, 8 hours per week.",
        job_description=JD,
    )
    done = turn.done
    assert done["degraded"] is True and done["degraded_reason"] == "offline"
    text = turn.text
    assert text.startswith(OFFLINE_BANNER)
    resume_id = _created(turn, "tailor_resume")["id"]
    roadmap_id = _created(turn, "create_roadmap")["id"]
    # Short and for a person: what was made, with a link to open it; no ids, no API paths.
    assert "- Made a tailored resume: " in text
    assert f"- [Review and edit it](/resumes/{resume_id})" in text
    assert "Not claimed, since your profile shows no evidence" in text
    assert "- Made a roadmap of " in text and " weeks at 8 hours a week, until " in text
    assert f"- [Open your roadmap](/learning/roadmaps/{roadmap_id})" in text
    shown = text.replace(f"(/resumes/{resume_id})", "").replace(
        f"(/learning/roadmaps/{roadmap_id})", ""
    )
    assert resume_id not in shown and roadmap_id not in shown and "/api/" not in text
    assert len(text) < 2000  # the gap, the resume and the roadmap, each in a few lines
    assert (await _get(coach, user, f"/api/resumes/{resume_id}")).status_code == 200
    roadmap = (await _get(coach, user, f"/api/learning/roadmaps/{roadmap_id}")).json()
    assert roadmap["parameters"]["hours_per_week"] == 8

    # A request that cannot be met says so, and creates nothing.
    fresh = await coach.thread(user)
    turn = await coach.send(user, fresh, "Write me a cover letter")
    assert "Nothing was created: there is no job or role to aim it at yet" in turn.text
    assert (await _get(coach, user, "/api/cover-letters")).json() == []


async def test_a_saved_posting_named_by_company_and_title_is_the_target(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    added = await coach.http.post("/api/jobs", json={"text": JD}, headers=user["headers"])
    assert added.status_code == 201, added.text
    job_id = added.json()["id"]
    # Another user's posting at the same company is never theirs to use.
    theirs = JD.replace("Senior Backend Engineer", "Staff Platform Engineer")
    assert (
        await coach.http.post("/api/jobs", json={"text": theirs}, headers=other["headers"])
    ).status_code == 201

    thread = await coach.thread(user)
    turn = await coach.send(
        user, thread, "Tailor my resume for the Acme Payments backend engineer job"
    )
    (tool,) = [t for t in turn.named("tool") if t["status"] == "started"]
    assert tool["detail"] == (
        'Creating a tailored resume for your saved job "Senior Backend Engineer at Acme '
        'Payments"...'
    )
    resume_id = _created(turn, "tailor_resume")["id"]
    resume = (await _get(coach, user, f"/api/resumes/{resume_id}")).json()
    assert resume["target"]["type"] == "job" and resume["target"]["job_id"] == job_id

    # The posting stays the target: its text is analysed for the gap.
    turn = await coach.send(user, thread, "What am I missing for it?")
    block = _digest(coach, "skill_gap")
    assert block.startswith("Target: Senior Backend Engineer (Acme Payments).")
    assert "Amazon Web Services" in block

    # The other user naming "the Acme job" gets their own posting, not this one.
    mine = await coach.thread(other)
    turn = await coach.send(other, mine, "Make me a learning plan for the Acme job")
    roadmap_id = _created(turn, "create_roadmap")["id"]
    roadmap = (await _get(coach, other, f"/api/learning/roadmaps/{roadmap_id}")).json()
    assert roadmap["target"]["type"] == "job" and roadmap["target"]["job_id"] != job_id
    assert roadmap["target"]["title"] == "Staff Platform Engineer"

    # Once the posting is deleted, the coach says so instead of using stale text.
    deleted = await coach.http.delete(f"/api/jobs/{job_id}", headers=user["headers"])
    assert deleted.status_code == 204
    turn = await coach.send(user, thread, "What am I missing for it?")
    (done,) = [t for t in turn.named("tool") if t["status"] == "done"]
    assert done["ok"] is False
    assert _digest(coach, "skill_gap") == (
        'Your saved job "Senior Backend Engineer (Acme Payments)" is no longer among your '
        "postings: name another saved job, paste the job description, or name a role."
    )


async def test_an_answer_stopped_after_a_roadmap_was_made_still_lists_it(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.reply(Reply(" ".join(f"word{i}" for i in range(60)), tokens_per_second=20))
    user = await coach.user()
    thread = await coach.thread(user)
    cancels: list[Any] = []

    async def cancel_once_made(name: str, data: dict) -> None:
        if name == "tool" and data.get("artifact") and not cancels:
            cancels.append(
                await coach.http.post(f"/api/chat/threads/{thread}/cancel", headers=user["headers"])
            )

    turn = await coach.send(
        user,
        thread,
        "Make me a learning plan for a data engineer role, 10 hours a week",
        on_event=cancel_once_made,
    )
    assert turn.done["status"] == "interrupted" and "word59" not in turn.text
    roadmap_id = _created(turn, "create_roadmap")["id"]
    answer = (await coach.wait_answer(user, thread))["messages"][-1]
    assert answer["status"] == "interrupted"
    assert [(a["kind"], a["id"]) for a in answer["artifacts"]] == [("roadmap", roadmap_id)]
    assert answer["artifacts"][0]["links"]["app"] == f"/learning/roadmaps/{roadmap_id}"
    assert (await _get(coach, user, f"/api/learning/roadmaps/{roadmap_id}")).status_code == 200


async def test_a_message_can_carry_a_saved_postings_id_as_its_target(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    user = await coach.user()
    other = await coach.user()
    added = await coach.http.post("/api/jobs", json={"text": JD}, headers=user["headers"])
    assert added.status_code == 201, added.text
    job_id = added.json()["id"]

    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "Make me a learning plan for it", job_id=job_id)
    roadmap_id = _created(turn, "create_roadmap")["id"]
    roadmap = (await _get(coach, user, f"/api/learning/roadmaps/{roadmap_id}")).json()
    assert roadmap["target"]["type"] == "job" and roadmap["target"]["job_id"] == job_id

    # Another user's posting id is a 404 and their message is not stored; so is a thread
    # left untouched by a malformed id or two targets at once (422).
    theirs = await coach.thread(other)
    path = f"/api/chat/threads/{theirs}/messages"
    refused = await coach.http.post(
        path, json={"content": "Plan for it", "job_id": job_id}, headers=other["headers"]
    )
    assert refused.status_code == 404, refused.text
    assert "job" in refused.json()["detail"].lower()
    malformed = await coach.http.post(
        path, json={"content": "Plan for it", "job_id": "acme-42"}, headers=other["headers"]
    )
    assert malformed.status_code == 422
    assert "job_id" in malformed.text
    both = await coach.http.post(
        path,
        json={"content": "Plan for it", "job_id": job_id, "role_id": "esco:x"},
        headers=other["headers"],
    )
    assert both.status_code == 422
    assert "at most one" in both.text
    stored = (await _get(coach, other, f"/api/chat/threads/{theirs}")).json()
    assert stored["messages"] == []
