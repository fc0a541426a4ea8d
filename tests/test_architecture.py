"""The arrows between the apps run one way (docs/architecture.md).

Every import in the site's own code (migrations aside: they are history)
is read, and the ones the architecture forbids fail here, naming the
module and the line.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR)
APPS = ["core", "editorial", "treatments", "comparisons", "pages"]
CONTENT = {"treatments", "comparisons", "pages"}

# {app: the project packages it may not import}
FORBIDDEN = {
    # The machinery serves every app and knows none of them.
    "core": {"editorial", *CONTENT},
    # Publishing, review and change notes work on any content model, found
    # through the app registry.
    "editorial": CONTENT,
    # The catalogue knows nothing of the comparisons built on it.
    "treatments": {"comparisons", "pages"},
    "comparisons": {"pages"},
    "pages": set(),
}


def imports(path):
    """(line, top-level package) of each import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def modules(app):
    for path in sorted((BASE / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def wrong_arrows(app, forbidden):
    return [
        f"{path.relative_to(BASE)}:{line} imports {package}"
        for path in modules(app)
        for line, package in imports(path)
        if package in forbidden
    ]


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_what_it_must_not(app):
    # No app imports config: settings come through django.conf.settings.
    assert wrong_arrows(app, FORBIDDEN[app] | {"config"}) == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The reader finds imports at any depth, in functions too."""
    module = tmp_path / "module.py"
    module.write_text(
        "import os\n"
        "from treatments.models import Treatment\n"
        "def later():\n"
        "    from comparisons import views\n"
        "    import config.settings\n"
        "from . import sibling\n"
    )
    assert list(imports(module)) == [
        (1, "os"),
        (2, "treatments"),
        (4, "comparisons"),
        (5, "config"),
    ]


def test_every_app_of_the_project_is_checked():
    """A new app at the top level must be given its rules here."""
    installed = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == BASE
    }
    assert installed == set(APPS)
