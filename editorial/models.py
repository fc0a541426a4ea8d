# Models kept in the modules of their concern, imported so that Django finds
# them.
from .addresses import FormerAddress  # noqa: F401
from .changes import ChangeNote  # noqa: F401
