"""Back/forward history of the codes a coder opened (pure Python, like a browser's)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """One code in one code set: where the detail pane can be."""

    code_set: str
    code: str


class History:
    """A back stack, the current place and a forward stack; visiting clears the forward stack."""

    def __init__(self, limit: int = 200) -> None:
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self.current: Place | None = None
        self._limit = limit

    def visit(self, place: Place) -> None:
        if place == self.current:
            return
        if self.current is not None:
            self._back.append(self.current)
            del self._back[: -self._limit]
        self.current = place
        self._forward.clear()

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Place | None:
        if not self._back:
            return None
        if self.current is not None:
            self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Place | None:
        if not self._forward:
            return None
        if self.current is not None:
            self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current
