"""Who may do what: the one table of permissions.

Every permission is `openiom.<capability>` and is granted through the user's
roles. Later issues add object rules here (agency involvement, special
categories) so that access stays decided in one place.
"""

from __future__ import annotations

from typing import Any

import rules

from .constants import Capability


def has_capability(capability: str) -> Any:
    @rules.predicate(name=f"has_{capability}")
    def predicate(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.has_capability(capability)

    return predicate


for _capability in Capability.values:
    rules.add_perm(f"openiom.{_capability}", has_capability(_capability))


def perm(capability: Capability) -> str:
    """The permission name a view declares for a capability."""
    return f"openiom.{capability.value}"
