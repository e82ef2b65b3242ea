"""The `aikg` command line. Each command lives in aikg/commands/<name>.py and
registers itself; this module only assembles them."""
import argparse
import importlib
import pkgutil
import sys

from aikg import commands
from graph.queries import QueryError
from graph.backends import StoreError
from loaders.errors import LoadError


def parser():
    p = argparse.ArgumentParser(prog="aikg", description="A knowledge graph of AI labs, models and claims, with provenance.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"aikg.commands.{mod.name}").register(sub)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except (LoadError, QueryError, StoreError) as e:
        print(f"aikg {args.command}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
