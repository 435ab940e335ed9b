"""A no-op marker for strings that are translated later, at render time.

``N_("...")`` returns its argument unchanged; it only lets ``pybabel extract -k N_`` find
label literals defined as plain Python strings (the templates call ``_(label)`` on them).
"""


def N_(s: str) -> str:
    return s
