"""The kennisbank's starter documents in the demo (seed 001), as `load_library_starters` does."""

from __future__ import annotations

from doorstroom.demo.context import DemoContext
from doorstroom.library.services import starter_author, starter_load
from doorstroom.library.starters import STARTERS


def load_library(ctx: DemoContext) -> None:
    organisation = starter_author()
    for starter in STARTERS:
        starter_load(starter, organisation=organisation)
