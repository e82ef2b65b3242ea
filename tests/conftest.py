"""Shared fixtures: one real build of the bundled corpus per test session."""
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest

from aikg.cli import main
from graph.build import build
from graph.store import open_store


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A build of the bundled corpus into a fresh folder (BuildResult)."""
    return build(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def build_dir(built):
    return built.trig.parent


@pytest.fixture(scope="session")
def store(built):
    """The built Oxigraph store, read-only."""
    return open_store(built.trig.parent)


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(build_dir):
    """Run `aikg ARGS...` in-process against the session build; returns code, out, err."""
    def run(*args, use_build_dir=True):
        args = list(args)
        if use_build_dir and args and args[0] not in ("build", "locate") and "--build-dir" not in args:
            args += ["--build-dir", str(build_dir)]
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as e:
                code = e.code
        return CliResult(code, out.getvalue(), err.getvalue())
    return run
