"""The small exception tree. Every message is one Chinese line meant for the user.

Bad *data* is never an exception (it becomes a finding in a report); these are for
inputs that cannot be used at all: a broken schema file, an unreadable workbook, a
wrong invocation.
"""


import re

# Control characters (newline, ESC of terminal escape codes, …) and bidirectional overrides:
# in a file name they could forge or hide console lines.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text) -> str:
    """``text`` (a file name or path) safe to print on one console line: control and
    bidi-override characters as Python escapes (a newline becomes \\n, ESC \\x1b)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


class WorkbookToolsError(Exception):
    """Base class: ``str(exc)`` is a complete Chinese sentence for the user."""


class SchemaError(WorkbookToolsError):
    """The schema YAML is invalid; the message names the file and line."""


class UnreadableWorkbook(WorkbookToolsError):
    """A file could not be read as a workbook (empty, lock file, encrypted, corrupt, hostile)."""

    def __init__(self, path, reason: str, advice: str = ""):
        self.path = str(path)
        self.reason = reason
        self.advice = advice
        text = f"无法读取文件 {shown(self.path)}：{reason}"
        if advice:
            text += f"。{advice}"
        super().__init__(text)

    def __reduce__(self):  # pickled by io/isolate.py (the reading child process)
        return type(self), (self.path, self.reason, self.advice)


class OutputError(WorkbookToolsError):
    """An output could not be written (refusing to overwrite an input, locked, …)."""
