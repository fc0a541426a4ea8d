"""python -m bench bench | load: see bench/__init__.py."""

import argparse
import signal
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser("bench", help="issue 5: figures for every page kind")
    bench.add_argument("--treatments", type=int, help="published treatments (1000)")
    bench.add_argument("--reps", type=int, help="requests per page and mode (100)")
    bench.add_argument("--keep", action="store_true", help="keep the database")
    load = commands.add_parser("load", help="issue 6: load while an editor saves")
    load.add_argument("--seconds", type=int, help="how long (LOAD_SECONDS, 60)")
    load.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    # Stopped by make or a terminal: clean up as for Ctrl-C (finally blocks
    # stop gunicorn and drop the scratch database).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.command == "bench":
        from .benchmark import Settings, run

        return run(
            Settings.from_env(
                treatments=args.treatments, reps=args.reps, keep=args.keep or None
            )
        )
    from .loadtest import run

    return run(seconds=args.seconds, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
