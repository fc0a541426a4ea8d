"""python -m bench bench: see bench/__init__.py."""

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
    args = parser.parse_args(argv)

    # Stopped by make or a terminal: clean up as for Ctrl-C (finally blocks
    # stop gunicorn and drop the scratch database).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    from .benchmark import Settings, run

    return run(
        Settings.from_env(
            treatments=args.treatments, reps=args.reps, keep=args.keep or None
        )
    )


if __name__ == "__main__":
    sys.exit(main())
