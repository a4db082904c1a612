"""The seminar memo (muistio): a model built from the store, and its renderers."""

from facilitator.memo.markdown import render_markdown
from facilitator.memo.model import Memo, build_memo

__all__ = ["Memo", "build_memo", "render_markdown"]
