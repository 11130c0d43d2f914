"""The one mark of input a person gave that cannot be used.

A file that cannot be read, a broken mapping, settings or routing file, a folder
named where a file belongs: each error of that kind derives from `BadInput`, and
its `str()` says what is wrong and what to do. The `station` command ends with
that message and exit code 2 on any of them, in one place
(`station.commands.common.run_command`), instead of each command catching its own.
"""

from __future__ import annotations


class BadInput(ValueError):
    """Input that cannot be used; the message names the problem and what to do."""
