"""Reading ESCO classification CSV files (occupations, skills): the one reader both imports use.

ESCO's CSV downloads start with a UTF-8 BOM, may use ',' or ';' and have cells spanning
several lines (altLabels). Rows are numbered as a spreadsheet numbers them (the header is 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

DELIMITERS = (",", ";")


class EscoFormatError(ValueError):
    """The file is not the expected ESCO file: required columns are missing."""

    def __init__(self, path: Path, missing: list[str]) -> None:
        super().__init__(f"{path}: missing columns {', '.join(missing)}")
        self.path = path
        self.missing = missing


def _delimiter(header: str, required: Sequence[str]) -> str:
    """Pick the separator that splits the header into the required columns, else into the most."""
    columns = {
        d: [c.strip() for c in next(csv.reader([header], delimiter=d), [])] for d in DELIMITERS
    }
    for delimiter in DELIMITERS:
        if all(c in columns[delimiter] for c in required):
            return delimiter
    return max(DELIMITERS, key=lambda d: len(columns[d]))


def esco_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row with stripped values); refuse a file without ``required``."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header_line = handle.readline()
        delimiter = _delimiter(header_line, required)
        header = [c.strip() for c in next(csv.reader([header_line], delimiter=delimiter), [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise EscoFormatError(path, missing)
        for number, values in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
            if any(v.strip() for v in values):  # a blank line is no row to report
                yield number, {k: v.strip() for k, v in zip(header, values, strict=False) if k}
