"""python -m bench bench|load [--keep]: see bench/__init__.py."""

import signal
import sys

if __name__ == "__main__":
    command, keep = sys.argv[1:2], "--keep" in sys.argv  # keep the database
    if command not in (["bench"], ["load"]):
        sys.exit(__doc__)
    # Stopped by make or a terminal: clean up as for Ctrl-C (the finally
    # blocks stop gunicorn and drop the scratch database).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if command == ["bench"]:
        from .benchmark import run, settings

        sys.exit(run(settings(), keep))
    from .load import run

    sys.exit(run(keep=keep))
