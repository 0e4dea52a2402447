"""What a rendered page is: a file name, a navigation title and its MyST text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One handbook page. `name` is the file stem: `policy` becomes policy.md, policy.html."""

    name: str
    nav_title: str
    markdown: str
    children: tuple[Page, ...] = ()

    @property
    def html_name(self) -> str:
        return f"{self.name}.html"

    def walk(self) -> tuple[Page, ...]:
        """This page and every page under it, in navigation order."""
        return (self,) + tuple(p for child in self.children for p in child.walk())
