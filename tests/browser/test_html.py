"""The Nu Html Checker (vnu.jar) on the HTML of every page type, as served.

vnu takes seconds to start, so it runs once, over all the pages together.
Errors fail the test. Warnings (vnu's "info" messages) are listed, in the
failure message and in a logged warning (pytest --log-cli-level=WARNING
shows it), and do not fail it. vnu gives none on these pages today, so
IGNORED_WARNINGS, for those not even worth listing, is empty: add one
there only with the reason.
"""

import json
import logging
import subprocess
from collections import defaultdict

import pytest

from tests.browser.conftest import PAGES, VNU

pytestmark = pytest.mark.browser
log = logging.getLogger(__name__)

# {the start of a warning's message: why it does not matter here}
IGNORED_WARNINGS = {}


def test_every_page_type_is_valid_html(site, tmp_path):
    files = {}
    for name, path, status in PAGES:
        answered, headers, body = site.get(path)
        assert answered == status, f"{path} answered {answered}, expected {status}"
        assert headers.get_content_type() == "text/html"
        (tmp_path / f"{name}.html").write_bytes(body)
        files[f"{name}.html"] = path

    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(checked.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(
            f"vnu gave no report (exit {checked.returncode}):\n{checked.stderr}"
        )

    errors, warnings = defaultdict(list), defaultdict(list)
    for message in messages:
        # vnu names the file by a file: URL.
        file = message.get("url", "").rsplit("/", 1)[-1]
        page = files.get(file, file or "(no file)")
        line = f"line {message.get('lastLine', '?')}: {message['message']}"
        if message["type"] == "info":
            if not message["message"].startswith(tuple(IGNORED_WARNINGS)):
                warnings[page].append(line)
        else:  # "error", or "non-document-error" (vnu could not read it)
            extract = message.get("extract", "").strip()
            errors[page].append(f"{line}\n      {extract}" if extract else line)

    report = "\n".join(
        [f"{page}\n  " + "\n  ".join(lines) for page, lines in errors.items()]
        + [
            f"{page} (warning)\n  " + "\n  ".join(lines)
            for page, lines in warnings.items()
        ]
    )
    if warnings:
        log.warning("The Nu Html Checker's warnings:\n%s", report)
    assert not errors, f"The Nu Html Checker found errors:\n{report}"
