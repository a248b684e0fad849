"""Reads of elections, ballots and candidates; other modules call these, never the models."""

from django.db.models import Count, Prefetch, QuerySet

from .models import Ballot, Candidate, Election


def elections() -> QuerySet[Election]:
    """Every election, the latest polling day first, with its number of ballots."""
    return Election.objects.annotate(ballot_count=Count("ballots"))


def election_by_identifier(identifier: str) -> Election | None:
    """The election with this Democracy Club identifier, or None."""
    return Election.objects.filter(identifier=identifier).first()


def election_with_ballots(identifier: str) -> Election | None:
    """The election with its ballots and their candidates fetched, or None."""
    ballots = Ballot.objects.prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.order_by("name"))
    )
    return (
        Election.objects.prefetch_related(Prefetch("ballots", queryset=ballots))
        .filter(identifier=identifier)
        .first()
    )


def ballot_by_identifier(identifier: str) -> Ballot | None:
    """The ballot with this identifier, its election fetched, or None."""
    return Ballot.objects.select_related("election").filter(identifier=identifier).first()
