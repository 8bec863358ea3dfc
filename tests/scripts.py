"""Scripts of the repository (bench/, tools/) loaded as modules by the tests that check them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_script(path: Path, name: str) -> ModuleType:
    """`path` imported as module `name` (registered first: dataclasses look their module up
    while being built). The tests run from a checkout, where bench/ and tools/ exist."""
    assert path.is_file(), f"{path} is missing: the tests run from a checkout with bench/"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
