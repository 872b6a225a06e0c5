"""Profile: resume, LinkedIn export and JSON Resume import into one structured profile.

Parsing is pure (``careergini.profile.parsers.parse_document``: bytes in, ``ParseResult`` out).
"""
