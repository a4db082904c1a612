"""The process walk's rotation: which group stands at which station in which round.

Groups start at different stations and all move on one station at the facilitator's
signal, like a clock's hand: group g (counted from 0) stands in round r (counted from 1)
at station (g + r - 1) mod S. So when there are as many rounds as stations every group
visits every station exactly once, and no two groups meet at a station as long as there
are no more groups than stations (with more, groups g and g + S walk together).

Pure arithmetic, no I/O: the method, its tests and the console's grid all use it.
"""

from __future__ import annotations


def _check(stations: int, round: int) -> None:
    if stations < 1:
        raise ValueError(f"a walk needs at least one station, not {stations}")
    if round < 1:
        raise ValueError(f"rounds count from 1, not {round}")


def station_of(group: int, round: int, stations: int) -> int:
    """The station (from 0) where group `group` (from 0) stands in round `round` (from 1)."""
    _check(stations, round)
    if group < 0:
        raise ValueError(f"groups count from 0, not {group}")
    return (group + round - 1) % stations


def groups_at(station: int, round: int, groups: int, stations: int) -> tuple[int, ...]:
    """The groups (from 0) standing at `station` in `round`, in order."""
    _check(stations, round)
    return tuple(g for g in range(groups) if station_of(g, round, stations) == station)


def schedule(groups: int, stations: int, rounds: int) -> tuple[tuple[int, ...], ...]:
    """The whole walk: `schedule(...)[r - 1][g]` is group g's station in round r."""
    return tuple(
        tuple(station_of(g, r, stations) for g in range(groups)) for r in range(1, rounds + 1)
    )
