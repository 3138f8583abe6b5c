"""The console's analytics page: figures over the tracker store's event rows.

Each conversation's share (`partial`) is worked out once and kept until the conversation
changes; a page load merges them (`figures`). So the cost of a page follows the messages
since the last one, not the whole history (measured: bench/BENCHMARKS.md, Console).

A conversation (one sender id) counts once it has a user message, on the day (UTC) it
started; its fallback and handoff flags come from `summarise`, so the analytics agree with
the conversation list. Everything returned is plain JSON (str, int, float, None, lists).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional

from shopassist.console.conversations import (
    ConversationStore,
    Summary,
    said_once,
    summarise,
    turn_of,
)

TOP_INTENTS = 10


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%d")


def _share(count: int, total: int) -> Optional[float]:
    return count / total if total else None


@dataclass
class Partial:
    """One conversation's share of the figures; the console keeps one per conversation and
    recomputes it only when the conversation changes (ConversationStore.per_conversation)."""

    summary: Summary
    messages_per_day: Counter
    intents: Counter
    sentiment: Dict[str, List[Dict[str, Any]]]
    response_times: List[float]
    # Questions by the path that took them: read ("search": the help pages instead of
    # "did you mean"; "question_first": a rule question answered before any form) and
    # answered ("curated", "passage", "unknown" or a model's reply; "did_you_mean": the
    # help-page section the customer picked among the "did you mean" buttons).
    answer_paths: Counter = field(default_factory=Counter)


def partial(conversation: str, group: List) -> Optional[Partial]:
    """The figures of one conversation's rows (in order of id), None if the customer said
    nothing."""
    summary = summarise(conversation, group)
    if summary is None or not summary.user_messages:
        return None
    result = Partial(summary, Counter(), Counter(), defaultdict(list), [])
    waiting: List[float] = []  # user messages not answered yet
    for row in said_once(group):
        if row.type_name == "bot":
            # The first bot event after a message answers it (a person's reply too).
            result.response_times.extend(float(row.timestamp) - at for at in waiting)
            waiting = []
        if row.type_name not in {"user", "bot"}:
            continue
        turn = turn_of(row)
        if turn.answered_by:
            kind = "read" if turn.kind == "user" else "answered"
            result.answer_paths[f"{kind}:{turn.answered_by}"] += 1
        if turn.kind != "user":
            continue
        waiting.append(turn.at)
        result.messages_per_day[_day(turn.at)] += 1
        if turn.intent:
            result.intents[turn.intent] += 1
        score = (turn.sentiment or {}).get("score")
        if isinstance(score, (int, float)):  # messages before sentiment analysis have none
            result.sentiment[_day(turn.at)].append(turn.sentiment)
    return result


def compute(rows: Iterable, ratings: Dict[str, int]) -> Dict[str, Any]:
    """Figures over event rows (`ConversationStore.rows()`); `ratings`: conversation -> 1..5."""
    grouped: Dict[str, list] = {}
    for row in rows:  # in order of id within a conversation, as the store gives them
        grouped.setdefault(row.sender_id, []).append(row)
    return merge((partial(c, group) for c, group in grouped.items()), ratings)


def merge(partials: Iterable[Optional[Partial]], ratings: Dict[str, int]) -> Dict[str, Any]:
    """The page's figures from the conversations' partial ones."""
    ratings = ratings or {}
    summaries = []
    intents: Counter = Counter()
    per_day: Dict[str, Dict[str, int]] = defaultdict(lambda: {"conversations": 0, "messages": 0})
    sentiment: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    response_times: List[float] = []
    answer_paths: Counter = Counter()
    for part in partials:
        if part is None:
            continue
        summaries.append(part.summary)
        per_day[_day(part.summary.started)]["conversations"] += 1
        for day, count in part.messages_per_day.items():
            per_day[day]["messages"] += count
        intents.update(part.intents)
        for day, scores in part.sentiment.items():
            sentiment[day].extend(scores)
        response_times.extend(part.response_times)
        answer_paths.update(part.answer_paths)

    total = len(summaries)
    handoffs = sum(s.handoff for s in summaries)
    rated = [ratings[s.conversation] for s in summaries if s.conversation in ratings]
    return {
        "conversations": total,
        "messages": sum(s.user_messages for s in summaries),
        "per_day": [{"day": day, **counts} for day, counts in sorted(per_day.items())],
        "containment_rate": _share(total - handoffs, total),
        "fallback_rate": _share(sum(s.fallback for s in summaries), total),
        "handoff_rate": _share(handoffs, total),
        # Most frequent first; ties by name, so the order is stable between page loads.
        "top_intents": [
            {"intent": intent, "count": count}
            for intent, count in sorted(intents.items(), key=lambda item: (-item[1], item[0]))[
                :TOP_INTENTS
            ]
        ],
        "sentiment_by_day": [
            {
                "day": day,
                "mean_score": statistics.fmean(float(s["score"]) for s in scores),
                "negative_share": _share(
                    sum(s.get("label") == "negative" for s in scores), len(scores)
                ),
            }
            for day, scores in sorted(sentiment.items())
        ],  # fmt: skip
        "average_rating": statistics.fmean(rated) if rated else None,
        "ratings": len(rated),
        "median_response_seconds": (statistics.median(response_times) if response_times else None),
        "answer_paths": [
            {"stage": stage, "path": path, "count": count}
            for (stage, path), count in sorted(
                ((tuple(key.split(":", 1)), n) for key, n in answer_paths.items()),
                key=lambda item: (item[0][0] != "read", -item[1], item[0][1]),
            )
        ],
    }


def figures(store: ConversationStore, ratings: Dict[str, int]) -> Dict[str, Any]:
    """The page's figures, reading only the conversations that changed since last time."""
    return merge(store.per_conversation("analytics", partial).values(), ratings)
