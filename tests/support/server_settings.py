"""
The production settings, for the servers that tests/support/site.py starts.

Everything comes from config.settings, so the suites see the headers,
middleware and static files storage that production has. The one change:
collectstatic writes to a folder of the test session's own (the
TEST_SERVER_STATIC_ROOT environment variable), never to staticfiles/.
"""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["TEST_SERVER_STATIC_ROOT"]
