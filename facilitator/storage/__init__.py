"""SQLite storage: the single source of truth. The only package that writes SQL."""

from facilitator.storage.db import DatabaseError, default_db_path, open_db
from facilitator.storage.store import EventNotFound, StateError, Store

__all__ = ["DatabaseError", "EventNotFound", "StateError", "Store", "default_db_path", "open_db"]
