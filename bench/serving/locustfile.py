"""The serving benchmark's simulated customers, for locust (https://locust.io).

Each user plays whole scripted conversations over the REST channel one after the other,
closed loop: a fresh sender id and a fresh cookie jar per conversation (HAProxy's sticky
cookie, as a new browser session), the next turn sent as soon as the reply is in (no think
time). Requests are named by their position in the conversation (`turn 01` ...), so
locust's statistics hold the latency of each position.

bench/serving/load.py runs it headless, in the load generator's own environment
(scripts/setup-bench-load.sh), so it imports locust and the standard library only:

    locust -f bench/serving/locustfile.py --headless --host URL -u C -r RATE -t SECONDS \\
        --reset-stats --json-file STATS --conversations plan.json --tally tally.json

plan.json: {"conversations": [[text, ...], ...], "timeout": s, "unavailable_mark": str};
conversation n plays conversations[n % len]. tally.json, written at the end: what locust's
statistics do not count, over the measured part only (after spawning completed): answers
without any bot message, answers with the guard's apology, conversations started, the
errors' messages and the measured part's length in seconds.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from pathlib import Path

from locust import HttpUser, constant, events, task

PLAN: dict = {}
NUMBERS = itertools.count()
TALLY = {"empty_replies": 0, "unavailable_replies": 0, "conversations_started": 0}
WINDOW = {"from": 0.0, "to": 0.0}  # the measured part, wall clock


@events.init_command_line_parser.add_listener
def _arguments(parser) -> None:
    parser.add_argument("--conversations", default="", help="plan.json (see the docstring)")
    parser.add_argument("--tally", default="", help="where to write the tally (JSON)")


@events.init.add_listener
def _load(environment, **_kwargs) -> None:
    PLAN.update(json.loads(Path(environment.parsed_options.conversations).read_text("utf-8")))


@events.spawning_complete.add_listener
def _measured_part_begins(**_kwargs) -> None:
    # --reset-stats clears locust's own figures at the same moment.
    for key in TALLY:
        TALLY[key] = 0
    WINDOW["from"] = time.time()


@events.test_stop.add_listener
def _measured_part_ends(**_kwargs) -> None:
    WINDOW["to"] = time.time()


@events.quitting.add_listener
def _write_tally(environment, **_kwargs) -> None:
    # Quitting comes after the users stopped: the counts are final.
    if environment.parsed_options.tally:
        errors = [str(e.error) for e in environment.stats.errors.values()]
        seconds = WINDOW["to"] - WINDOW["from"] if WINDOW["from"] else 0.0
        Path(environment.parsed_options.tally).write_text(
            json.dumps({**TALLY, "errors": errors, "seconds": seconds}), "utf-8"
        )


class Customer(HttpUser):
    wait_time = constant(0)

    @task
    def conversation(self) -> None:
        conversations = PLAN["conversations"]
        script = conversations[next(NUMBERS) % len(conversations)]
        TALLY["conversations_started"] += 1
        sender = f"bench-{uuid.uuid4().hex[:12]}"
        self.client.cookies.clear()
        for position, text in enumerate(script, 1):
            with self.client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                name=f"turn {position:02d}",
                timeout=PLAN["timeout"],
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(response.error or f"HTTP {response.status_code}")
                    continue
                try:
                    texts = [str(m.get("text") or m.get("custom") or m) for m in response.json()]
                except ValueError as error:
                    response.failure(type(error).__name__)
                    continue
                TALLY["empty_replies"] += not texts
                TALLY["unavailable_replies"] += any(PLAN["unavailable_mark"] in t for t in texts)
