"""Resume builder: JD-tailored resumes and cover letters, grounded in the profile, as PDF/DOCX."""
