"""Reading a job description: sections, skills by importance, years, level, pay, place, terms.

``parser.parse_job_description`` composes the readers; ``schemas`` holds what it returns.
"""
