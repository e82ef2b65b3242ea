"""The one error every loader raises: it names the file, the line and the field."""
from pathlib import Path

from aikg.paths import ROOT


class LoadError(Exception):
    def __init__(self, path, line=None, field=None, message=""):
        self.path, self.line, self.field, self.message = Path(path), line, field, message
        super().__init__(str(self))

    def __str__(self):
        try:
            where = str(self.path.resolve().relative_to(ROOT))
        except ValueError:
            where = str(self.path)
        if self.line:
            where += f":{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"
