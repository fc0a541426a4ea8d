"""
The production settings, for the server the browser suite starts.

Everything comes from config.settings, so the suite sees the headers,
middleware and static files storage that production has. The one change:
collectstatic writes to a folder of the test session's own (the
BROWSER_TESTS_STATIC_ROOT environment variable), never to staticfiles/.
"""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BROWSER_TESTS_STATIC_ROOT"]
