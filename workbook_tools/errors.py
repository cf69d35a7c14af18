"""The small exception tree. Every message is one Chinese line meant for the user.

Bad *data* is never an exception (it becomes a finding in a report); these are for
inputs that cannot be used at all: a broken schema file, an unreadable workbook, a
wrong invocation.
"""


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
        text = f"无法读取文件 {self.path}：{reason}"
        if advice:
            text += f"。{advice}"
        super().__init__(text)

    def __reduce__(self):  # pickled by io/isolate.py (the reading child process)
        return type(self), (self.path, self.reason, self.advice)


class OutputError(WorkbookToolsError):
    """An output could not be written (refusing to overwrite an input, locked, …)."""
