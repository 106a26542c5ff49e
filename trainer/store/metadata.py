"""All tables the migrations manage, wherever their models are defined.

Model modules are `trainer.store.models` plus any `trainer.store.*_models`
(features add their tables in their own module); importing them all here keeps
Alembic's autogenerate and the schema-drift test seeing the whole schema.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

import trainer.store as package
from trainer.store.models import Base


def load_all_models() -> MetaData:
    """Import every model module and return the shared metadata."""
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.endswith("_models"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return Base.metadata
