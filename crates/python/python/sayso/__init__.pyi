from collections.abc import Iterable, Iterator
from os import PathLike
from typing import Any, Literal, Optional, Sequence, Union

import pyarrow

Record = dict[str, Any]
Path = Union[str, PathLike[str]]
Paths = Union[Path, Sequence[Path]]

TABLES: tuple[str, str, str, str]

class InputError(ValueError):
    """A record that could not be read; the message is the CLI's."""

def extract(
    text: Optional[Union[str, bytes]] = None,
    html: Optional[Union[str, bytes]] = None,
    url: Optional[str] = None,
    title: Optional[str] = None,
    published: Optional[str] = None,
    *,
    id: Optional[Union[str, int]] = None,
    outlet: Optional[str] = None,
    authors: Optional[list[str]] = None,
    with_text: bool = False,
) -> dict[str, Any]: ...
def extract_many(
    records: Iterable[Record],
    threads: Optional[int] = None,
    *,
    on_error: Literal["raise", "warn", "return"] = "raise",
    with_text: bool = False,
) -> Iterator[Union[dict[str, Any], InputError]]: ...
def extract_arrow(
    records: Iterable[Record], threads: Optional[int] = None, *, on_error: Literal["raise", "warn"] = "raise"
) -> pyarrow.RecordBatch: ...
def read(path: Paths, *, on_error: Literal["raise", "warn", "return"] = "warn") -> Iterator[Union[Record, InputError]]: ...
def read_tables(path: Paths, threads: Optional[int] = 1) -> Iterator[dict[str, pyarrow.RecordBatch]]: ...
def schemas() -> dict[str, pyarrow.Schema]: ...
def sketch(text: str) -> list[int]:
    """The quotation's trail sketch (bottom-k MinHash keys of its four-word shingles), as the store computes it; empty under six words."""
