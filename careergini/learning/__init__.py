"""Learning: roadmaps from the skill gap, curated resources, progress, interview practice and
quizzes."""
