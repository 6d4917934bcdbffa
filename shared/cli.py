"""How coprod's commands fail: one plain line saying what went wrong, and an exit code, never a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

import httpx

USAGE = 2  # a command given wrongly, as argparse and click say it
FAILED = 1


def say_and_exit(command: str, problem: str, code: int = FAILED) -> NoReturn:
    print(f"{command}: {problem}", file=sys.stderr)
    sys.exit(code)


class PlainParser(argparse.ArgumentParser):
    """argparse, with its usage errors on one line that says where the help is."""

    def error(self, message: str) -> NoReturn:
        say_and_exit(self.prog, f"{message} (see {self.prog} --help)", USAGE)


def plain_failures(command: str, main: Callable[[Sequence[str] | None], int], argv: Sequence[str]) -> int:
    """Run a command's `main`, turning the failures a person can put right into one line each."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        return 130
    except FileNotFoundError as error:
        say_and_exit(command, f"there is no file {error.filename!r}")
    except IsADirectoryError as error:
        say_and_exit(command, f"{error.filename!r} is a folder, not a file")
    except PermissionError as error:
        say_and_exit(command, f"not allowed to read or write {error.filename!r}")
    except UnicodeDecodeError:
        say_and_exit(command, "the file is not text in UTF-8: save it as 'CSV UTF-8' and try again")
    except httpx.TransportError as error:
        where = error.request.url if _has_request(error) else "the service"
        say_and_exit(command, f"cannot reach {where} ({error}); is coprod running?")


def _has_request(error: httpx.TransportError) -> bool:
    try:
        error.request  # noqa: B018
    except RuntimeError:
        return False
    return True
