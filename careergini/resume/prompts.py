"""The resume builder's prompts, registered and versioned (see ``careergini.llm.prompts``).

Change a wording, bump its version. The person's bullets and the job description reach the model
only inside ``wrap_untrusted`` blocks; the grounding check runs on whatever comes back.
"""

from __future__ import annotations

from careergini.llm.prompts import DATA_RULE, Prompt, register

TONES = {
    "neutral": "plain and factual",
    "confident": "confident and direct, with strong verbs and no hedging",
    "warm": "warm and personable, still concise",
    "formal": "formal and precise",
}

TAILOR = register(
    Prompt(
        name="resume.tailor",
        version=1,
        template=(
            "You tailor a resume to one job. Rewrite each bullet so that it speaks to the job, "
            "and write a summary of two or three sentences aimed at the role.\n"
            "Rules, all of them strict:\n"
            "1. Return exactly one bullet for each input bullet, with its source_id. Never "
            "merge, split, add or drop bullets.\n"
            "2. A bullet may state only facts its source bullet states: never add or change an "
            "employer, a job title, a date, a number, a metric, an amount, a degree, a "
            "certification, a tool or a skill. Keep every number exactly as written.\n"
            "3. Use a keyword of the job only where the bullet already shows it.\n"
            "4. The summary may state only facts from the candidate block: nothing about "
            "the job's company, and no skill the candidate block does not list.\n"
            "5. Each bullet: one sentence, at most 30 words, starting with a strong verb, no "
            "first person. Tone: $tone.\n"
            "Answer with JSON only, in this shape: "
            '{"summary": "...", "bullets": [{"source_id": "b1", "text": "..."}]}.\n' + DATA_RULE
        ),
    )
)

TAILOR_INPUT = register(
    Prompt(
        name="resume.tailor.input",
        version=1,
        template=(
            "The candidate:\n$facts\n\n"
            "The bullets to rewrite, grouped by position (source_id in brackets):\n$bullets\n\n"
            "The job:\n$job"
        ),
    )
)

COVER_LETTER = register(
    Prompt(
        name="resume.cover_letter",
        version=1,
        template=(
            "You improve the body of a cover letter for one job. Rewrite each paragraph so that "
            "it reads well and speaks to the job.\n"
            "Rules, all of them strict:\n"
            "1. Return exactly one paragraph for each input paragraph, with its source_id.\n"
            "2. A paragraph may state only facts that the input paragraphs or the candidate "
            "block state: never add an employer, a job title, a date, a number, a metric, a "
            "degree, a certification, a tool or a skill. The job's company and title may be "
            "named only as the job applied for, never as past experience.\n"
            "3. Write in the first person, at most 90 words a paragraph. Tone: $tone.\n"
            "Answer with JSON only, in this shape: "
            '{"paragraphs": [{"source_id": "p1", "text": "..."}]}.\n' + DATA_RULE
        ),
    )
)

COVER_LETTER_INPUT = register(
    Prompt(
        name="resume.cover_letter.input",
        version=1,
        template=(
            "The candidate:\n$facts\n\n"
            "The paragraphs to rewrite (source_id in brackets):\n$paragraphs\n\n"
            "The job:\n$job"
        ),
    )
)
