"""Cover letters: composed from a tailored resume's facts (``compose``), stored, reviewed and
rendered (``service``), served under ``/api/cover-letters`` (``router``)."""
