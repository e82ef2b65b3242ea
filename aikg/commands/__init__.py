"""One module per `aikg` command; each defines register(subparsers)."""
