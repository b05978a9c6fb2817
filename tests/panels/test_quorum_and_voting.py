"""Quorum (4 organisations; two people from one count once) and simple-majority voting with the
acting chair's casting vote."""

from __future__ import annotations

import pytest

from openiom.panels.governance import VoteChoice, VotingError, count_votes, quorum

FOR, AGAINST, ABSTAIN = VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN


def test_three_organisations_are_not_quorate() -> None:
    q = quorum(["probation", "police", "housing"], needed=4)
    assert not q.met
    assert q.message == "Not quorate: 3 organisations present; 4 needed, so 1 more must attend before any decision."


def test_four_organisations_are_quorate() -> None:
    assert quorum(["probation", "police", "housing", "yot"], needed=4).met


def test_two_people_from_one_organisation_count_once() -> None:
    q = quorum(["probation", "police", "police", "housing"], needed=4)
    assert q.organisations_present == 3
    assert not q.met


PRESENT = ["probation", "police", "housing", "yot"]


def test_simple_majority() -> None:
    tally = count_votes(
        {"probation": FOR, "police": FOR, "housing": AGAINST, "yot": ABSTAIN},
        organisations_present=PRESENT,
        acting_chair_organisation="probation",
    )
    assert tally.carried
    assert not tally.casting_vote_used
    assert tally.message == "Carried: 2 for, 1 against, 1 abstaining."


def test_a_tie_is_broken_by_the_chairs_casting_vote() -> None:
    votes = {"probation": FOR, "police": FOR, "housing": AGAINST, "yot": AGAINST}
    tally = count_votes(
        votes, organisations_present=PRESENT, acting_chair_organisation="probation", casting_vote=AGAINST
    )
    assert not tally.carried
    assert tally.casting_vote_used
    assert "casting vote" in tally.message


def test_with_the_chair_absent_the_vice_chair_casts() -> None:
    present = ["police", "housing", "yot", "substance"]
    votes = {"police": FOR, "housing": AGAINST, "yot": FOR, "substance": AGAINST}
    tally = count_votes(votes, organisations_present=present, acting_chair_organisation="police", casting_vote=FOR)
    assert tally.carried


def test_a_tie_without_a_casting_vote_is_not_decided() -> None:
    votes = {"probation": FOR, "police": AGAINST}
    with pytest.raises(VotingError, match="the acting chair must give a casting vote"):
        count_votes(votes, organisations_present=PRESENT, acting_chair_organisation="probation")


def test_a_tie_with_no_chair_or_vice_chair_present_cannot_be_broken() -> None:
    votes = {"housing": FOR, "yot": AGAINST}
    with pytest.raises(VotingError, match="no chair or vice chair is present"):
        count_votes(
            votes, organisations_present=["housing", "yot", "police", "victims"], acting_chair_organisation=None
        )


def test_only_organisations_present_vote() -> None:
    with pytest.raises(VotingError, match="only organisations present"):
        count_votes({"jobcentre": FOR}, organisations_present=PRESENT, acting_chair_organisation="probation")
