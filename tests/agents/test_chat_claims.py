"""The coach's answers pass the claims check before they are shown (issue 15).

With a lying model, "you led a team at <invented employer>, raising revenue by 73% with
<invented skill>" reached the user as a fact about them. Now a sentence about the user is held
back until it is complete and supported; a withheld one is said in a ``withheld`` event, and the
stored message is exactly what the user saw.
"""

from __future__ import annotations

from careergini.agents.state import HistoryMessage, keep_recent
from tests.agents.chat_support import RESUME, CoachMaker, answer_script
from tests.doubles.lying import LyingModel, Planted, you_sentence

LIE = "You led a team of 9 at Initech, raising revenue by 73% with Kubernetes."
SKILL_ONLY = "You worked with COBOL at Acme Corp."
TRUE = "You built FastAPI services on PostgreSQL at Acme Corp."
ADVICE = "Next, practise system design questions."
RESUME_BULLETS = [line[2:] for line in RESUME.splitlines() if line.startswith("- ")]


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


async def test_the_conversation_the_next_turn_reads_holds_what_was_shown_not_the_lies(
    make_coach: CoachMaker,
) -> None:
    coach = await make_coach()
    planted = Planted()
    honest = [s for s in map(you_sentence, RESUME_BULLETS) if s]
    lying = LyingModel(seed=3).coach(honest, planted)
    coach.ollama.script = answer_script(lying)
    user = await coach.user()
    thread = await coach.thread(user)
    first = await coach.send(user, thread, "What have I done so far?")
    assert first.done["status"] == "complete" and first.named("withheld")
    markers = [marker for _, marker in planted.lies]
    assert all(marker not in first.text for marker in markers)

    coach.ollama.script = answer_script(ADVICE)
    asked = len(coach.ollama.chats)
    second = await coach.send(user, thread, "Say that again, please.")
    assert second.done["status"] == "complete"
    # The model's request for the next answer carries the first answer as the user saw it.
    answers = [b for b in coach.ollama.chats[asked:] if not b.get("format")]
    assert answers
    history = [m["content"] for m in answers[-1]["messages"] if m["role"] == "assistant"]
    assert first.text.strip() in [h.strip() for h in history]
    for marker in markers:
        assert all(marker not in text for text in history), marker


def test_a_revision_replaces_the_raw_answer_in_the_kept_conversation() -> None:
    raw = HistoryMessage(role="assistant", content=f"{TRUE} {LIE}")
    asked = HistoryMessage(role="user", content="What have I done so far?")
    shown = HistoryMessage(role="assistant", content=TRUE, revises=True)
    kept = keep_recent([asked, raw], [shown])
    assert kept == [asked, {"role": "assistant", "content": TRUE}]
    # Without an answer to revise (the turn was stopped before one), it is appended.
    assert keep_recent([asked], [shown]) == [asked, {"role": "assistant", "content": TRUE}]
