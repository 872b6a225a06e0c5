"""The claims check: what a text says about a person, checked against their profile (pure).

``text`` reads the claims (numbers, multiples, dates, names), ``check`` decides what the
profile supports (with position scope and computed years of experience), ``screen`` applies
it to free text sentence by sentence (the coach, feedback), ``profile`` gathers the evidence.
Other packages reach it through ``careergini.skills.service``.
"""
