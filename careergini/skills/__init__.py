"""Skills: the taxonomy (ESCO, O*NET, linguist, simple-icons), extraction, roles, gap analysis."""
