"""Quorum and voting by a panel's terms of reference (pure functions; no Django).

From the Richmond terms of reference: "A Quorum will be achieved when representatives from a
minimum of 4 or more organisations/agencies are present"; "Voting on any matter will be by a
simple majority, with the Chair or Acting-Chair having a casting vote if required"; "In the
absence of the Chair the meeting will be chaired by the Vice-Chair or the senior police or
council representative present".

Organisations vote, not people: two people from one organisation are one organisation
present and cast one vote. A deputy attending in a member's place counts for their
organisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Quorum", "Tally", "VoteChoice", "VotingError", "count_votes", "quorum"]


class VoteChoice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class VotingError(ValueError):
    """A vote that cannot be decided as recorded, said in words."""


@dataclass(frozen=True)
class Quorum:
    organisations_present: int
    needed: int

    @property
    def met(self) -> bool:
        return self.organisations_present >= self.needed

    @property
    def message(self) -> str:
        present = f"{self.organisations_present} organisation{'s' if self.organisations_present != 1 else ''} present"
        if self.met:
            return f"Quorate: {present}; {self.needed} needed."
        short = self.needed - self.organisations_present
        return f"Not quorate: {present}; {self.needed} needed, so {short} more must attend before any decision."


def quorum(organisations: Iterable[object], needed: int) -> Quorum:
    """`organisations` holds the organisation of each person present (repeats count once)."""
    return Quorum(organisations_present=len(set(organisations)), needed=needed)


@dataclass(frozen=True)
class Tally:
    votes_for: int
    votes_against: int
    abstentions: int
    carried: bool
    casting_vote_used: bool
    message: str


def count_votes(
    votes: Mapping[object, VoteChoice],
    *,
    organisations_present: Iterable[object],
    acting_chair_organisation: object | None,
    casting_vote: VoteChoice | None = None,
) -> Tally:
    """A simple majority of the organisations present that vote; a tie goes to the acting chair.

    `votes` maps organisation to its vote. Every organisation that votes must be present. On
    a tie the acting chair (the chair, or the vice chair when the chair is absent) must give
    a casting vote of for or against; without one the vote is not decided.
    """
    present = set(organisations_present)
    strangers = [org for org in votes if org not in present]
    if strangers:
        raise VotingError("only organisations present at the meeting can vote")
    votes_for = sum(1 for v in votes.values() if v == VoteChoice.FOR)
    against = sum(1 for v in votes.values() if v == VoteChoice.AGAINST)
    abstain = sum(1 for v in votes.values() if v == VoteChoice.ABSTAIN)
    if votes_for + against == 0:
        raise VotingError("no organisation voted for or against")
    counts = f"{votes_for} for, {against} against, {abstain} abstaining"
    if votes_for != against:
        carried = votes_for > against
        return Tally(
            votes_for, against, abstain, carried, False, f"{'Carried' if carried else 'Not carried'}: {counts}."
        )
    if acting_chair_organisation is None or acting_chair_organisation not in present:
        raise VotingError(f"the vote is tied ({counts}) and no chair or vice chair is present to give a casting vote")
    if casting_vote not in (VoteChoice.FOR, VoteChoice.AGAINST):
        raise VotingError(f"the vote is tied ({counts}): the acting chair must give a casting vote for or against")
    carried = casting_vote == VoteChoice.FOR
    return Tally(
        votes_for,
        against,
        abstain,
        carried,
        True,
        f"{'Carried' if carried else 'Not carried'} on the acting chair's casting vote: {counts}.",
    )
