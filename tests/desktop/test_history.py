"""Back/forward history behaves like a browser's."""

from __future__ import annotations

from desktop.history import History, Place

A, B, C = Place("ICD-10-CM", "E11.9"), Place("ICD-10-PCS", "0DTJ4ZZ"), Place("HCPCS", "J9035")


def test_back_and_forward() -> None:
    history = History()
    assert history.back() is None and not history.can_go_back()
    for place in (A, B, C):
        history.visit(place)
    assert history.back() == B
    assert history.back() == A
    assert not history.can_go_back() and history.can_go_forward()
    assert history.forward() == B
    history.visit(A)  # a new visit drops the forward stack
    assert not history.can_go_forward()
    assert history.back() == B


def test_revisiting_the_current_place_is_not_a_step() -> None:
    history = History()
    history.visit(A)
    history.visit(A)
    assert not history.can_go_back()


def test_limit() -> None:
    history = History(limit=3)
    for number in range(10):
        history.visit(Place("HCPCS", f"J{number}"))
    steps = 0
    while history.back() is not None:
        steps += 1
    assert steps == 3
