"""Command-line subcommands of Werkbrug.

Each module ``cmd_<name>.py`` defines ``register(subparsers)`` that adds one or more
subcommands with ``set_defaults(func=handler)``; a handler takes ``(args, ctx)`` and
returns the exit code. Modules are discovered at start-up, so adding a command never
touches the others.
"""
