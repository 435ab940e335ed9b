"""Who may do what to people's records beyond the route's roles.

- `may_link_account(actor, account)`: an admin links any account to a cadre (an official who
  is also trained); a coordinator only an account that is a learner's and nothing more, so a
  coordinator can never attach (or detach) an admin's, a trainer's or another coordinator's
  account, whose sign-in would then act as that cadre or lose its link.
"""

from __future__ import annotations


def may_link_account(actor, account) -> bool:
    """Whether `actor` may link `account` to a cadre, or unlink it from one."""
    if actor.has_role("admin"):
        return True
    return account.roles == {"learner"}
