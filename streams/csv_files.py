"""CSV files of an export, read whole or refused naming the file (and the line or column)."""
import csv
from collections.abc import Sequence
from pathlib import Path

__all__ = ["read_rows"]


def read_rows(path: Path, *columns: str) -> list[dict[str, str]]:
    """The file's rows; ValueError naming the file (and the line or column) when it is missing,
    unreadable, not CSV, or lacks or repeats a column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            _check_header(path, header, columns)
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except FileNotFoundError:
        raise ValueError(f"{path}: the export has no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise ValueError(f"{path}: line {reader.line_num + 1} is not readable CSV ({error})") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror})") from None


def _check_header(path: Path, header: Sequence[str], columns: tuple[str, ...]) -> None:
    """A repeated column would silently win over its twin: refuse the file instead."""
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        raise ValueError(f"{path}: column {', '.join(repeated)} appears more than once in the header")
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValueError(f"{path}: no column {', '.join(missing)}")
