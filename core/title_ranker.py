"""Learned re-ranking of job-title candidates: a small ensemble of regression trees over the
candidate features of :class:`core.titles.TitleMatcher` (see :data:`core.titles.FEATURES`),
fitted with LambdaRank by ``tools/train_title_ranker.py`` on the development sets and stored as
plain data in ``resources/ranker/titles.json``.

The linear blend finds and orders the candidates; the trees re-order the best ``top`` of them.
They capture what a weighted sum cannot (a label that covers the query *and* shares its head is
worth more than the sum of both). Evaluating the trees needs no library: the model is turned
into one Python function of nested conditional expressions when it is loaded, after every node
has been checked to hold only a feature index, a number or a leaf value.
"""
from __future__ import annotations

import json
import logging
import math
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from core.resources import resource_path

__all__ = ["TitleRanker", "default_ranker", "RANKER_EXTRA"]

log = logging.getLogger("werkbrug.titles")

FORMAT = 1
# features appended to core.titles.FEATURES for the ranker, in this order
RANKER_EXTRA = ("kind", "units", "linear", "swap", "unknown", "ambiguity", "label_extra")


class TitleRanker:
    """A tree ensemble ``score(features) -> float``; higher is better."""

    def __init__(self, doc: dict):
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError("unsupported ranker format")
        features = doc.get("features")
        trees = doc.get("trees")
        if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
            raise ValueError("ranker features must be a list of names")
        if not isinstance(trees, list) or not trees:
            raise ValueError("ranker has no trees")
        self.features: tuple[str, ...] = tuple(features)
        self.top = int(doc.get("top", 30))
        self.min_labels = int(doc.get("min_labels", 1000))
        self.trees = trees
        n = len(self.features)
        body = " + ".join(f"({_expression(t, n)})" for t in trees)
        # the features are unpacked into local names once (faster than indexing at every node)
        names = ", ".join(f"x{i}" for i in range(n))
        code = compile(f"def _score(x):\n    {names}{',' if n == 1 else ''} = x\n    return {body}\n",
                       "<title-ranker>", "exec")
        scope: dict = {}
        exec(code, {"__builtins__": {}}, scope)   # noqa: S102 - source generated from checked numbers only
        self.score: Callable[[Sequence[float]], float] = scope["_score"]

    @classmethod
    def from_file(cls, path: Path) -> "TitleRanker":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def score_slow(self, x: Sequence[float]) -> float:
        """The same score by walking the trees (a reference for tests)."""
        total = 0.0
        for t in self.trees:
            node = t
            while isinstance(node, list):
                f, thr, left, right = node
                node = left if x[f] <= thr else right
            total += node
        return total


def _number(v) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError("ranker node holds something that is not a finite number")
    return float(v)


def _expression(node, n_features: int, depth: int = 0) -> str:
    """Source of one tree as nested conditional expressions over ``x``."""
    if depth > 64:
        raise ValueError("ranker tree too deep")
    if isinstance(node, list):
        if len(node) != 4 or isinstance(node[0], bool) or not isinstance(node[0], int) \
                or not 0 <= node[0] < n_features:
            raise ValueError("ranker node must be [feature, threshold, left, right]")
        thr = _number(node[1])
        return (f"({_expression(node[2], n_features, depth + 1)}) if x{node[0]} <= {thr!r} "
                f"else ({_expression(node[3], n_features, depth + 1)})")
    return repr(_number(node))


@lru_cache(maxsize=1)
def default_ranker() -> TitleRanker | None:
    """The ranker shipped in resources/ranker/titles.json, or None (logged) when it is missing or
    unreadable: matching then keeps the order of the linear blend."""
    path = resource_path("ranker", "titles.json")
    try:
        return TitleRanker.from_file(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, RecursionError) as e:
        log.warning("title ranker %s not used: %s", path, e)
        return None
