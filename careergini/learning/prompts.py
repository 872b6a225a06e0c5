"""The learning domain's prompts, versioned (see ``careergini.llm.prompts``): bump the
version on any change of wording."""

from __future__ import annotations

from careergini.llm.prompts import Prompt, register

ROADMAP_TEXTS = register(
    Prompt(
        name="learning.roadmap_texts",
        version=1,
        template=(
            "You write the texts of a learning roadmap whose structure is already decided. "
            "Use only the skills, topics, resources and projects listed in the data block; do "
            "not add other technologies, courses or links, and do not change hours or order. "
            "Write in the second person, plainly and encouragingly.\n"
            "Return JSON with: `overview` (at most 80 words: the goal, the path, the pace), "
            "`weeks` (for each listed week: `week` and a `description` of at most 40 words "
            "saying what to do and why it matters), and `checkpoints` (for each listed month: "
            '`month` and a `checkpoint` starting with "can " that states what the person '
            "will be able to do)."
        ),
    )
)

QUIZ_QUESTIONS = register(
    Prompt(
        name="learning.quiz_questions",
        version=1,
        template=(
            "Write $n multiple-choice questions about $skill for a learner at the $level level. "
            "Each question has 4 options, exactly one of them correct, no two options meaning "
            "the same thing, and a one- or two-sentence explanation of the correct answer. Ask "
            "about practical, verifiable facts and usage, not trivia or opinions. Do not repeat "
            'these existing questions: $existing\nReturn JSON: {"questions": [{"question", '
            '"options": [{"text", "correct"}], "explanation"}]}.'
        ),
    )
)

INTERVIEW_FEEDBACK = register(
    Prompt(
        name="learning.interview_feedback",
        version=1,
        template=(
            "You are an interview coach. Score the candidate's answer to the interview question "
            "against each rubric criterion from 1 (missing) to 5 (excellent), with a one-"
            "sentence comment each, then give up to three strengths, up to three concrete "
            "improvements and a two-sentence summary. Judge only what the answer says; do not "
            "invent experience. Use exactly these criteria: $criteria.\n"
            'Return JSON: {"scores": [{"criterion", "score", "comment"}], '
            '"strengths": [...], "improvements": [...], "summary"}.'
        ),
    )
)
