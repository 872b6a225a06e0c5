"""The coach's answers pass the claims check before they are shown (issue 15).

With a lying model, "you led a team at <invented employer>, raising revenue by 73% with
<invented skill>" reached the user as a fact about them. Now a sentence about the user is held
back until it is complete and supported; a withheld one is said in a ``withheld`` event, and the
stored message is exactly what the user saw.
"""

from __future__ import annotations

from tests.agents.chat_support import CoachMaker, answer_script

LIE = "You led a team of 9 at Initech, raising revenue by 73% with Kubernetes."
SKILL_ONLY = "You worked with COBOL at Acme Corp."
TRUE = "You built FastAPI services on PostgreSQL at Acme Corp."
ADVICE = "Next, practise system design questions."


async def test_a_lie_about_the_user_is_withheld_and_the_stored_message_is_what_was_shown(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    answer = f"{TRUE} {LIE} {SKILL_ONLY} {ADVICE}"
    coach.ollama.script = answer_script(answer)
    user = await coach.user()
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "What have I done so far?")
    assert turn.done["status"] == "complete"
    shown = turn.text
    assert "Initech" not in shown and "73%" not in shown and "9" not in shown
    assert TRUE in shown and ADVICE in shown
    assert "Did you work with COBOL?" in shown and SKILL_ONLY not in shown
    withheld = turn.named("withheld")
    assert len(withheld) == 2
    assert any("73%" in reason for reason in withheld[0]["reasons"])
    assert withheld[0]["replacement"] is None
    assert withheld[1]["replacement"] == "Did you work with COBOL?"
    detail = await coach.wait_answer(user, thread)
    assert detail["messages"][-1]["content"] == shown


async def test_without_a_profile_every_claim_about_the_user_is_withheld(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    coach.ollama.script = answer_script(f"{TRUE} {ADVICE}")
    user = await coach.user(resume=None)
    thread = await coach.thread(user)
    turn = await coach.send(user, thread, "What have I done so far?")
    assert turn.done["status"] == "complete"
    assert turn.text.strip() == ADVICE
    assert turn.named("withheld")
