"""Reading files: type detection, ZIP safety, PDF and DOCX text in reading order, layout lines.

Pure and below every domain: bytes in, text or layout lines out. Turning lines into a resume
is the profile's work; reading a job description is the skills engine's.
"""
