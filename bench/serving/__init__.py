"""The serving benchmark: ShopAssist beside the stock `rasa init` assistant, same cluster.

Four configurations, one after the other in one run, each on the production-shaped cluster
of shopassist/cluster.py (HAProxy in front, PostgreSQL tracker store in a fresh database,
Redis lock store, RabbitMQ event broker, action servers behind the proxy):

    shopassist-1  ShopAssist, 1 Rasa server + 1 action server
    stock-1       the stock `rasa init` assistant, 1 Rasa server (its action server idle)
    shopassist-2  ShopAssist, 2 + 2
    stock-2       stock, 2 + 2

For each: cold start to ready (Cluster.start() wall time, and per process the time until its
health URL answers), a warm-up, closed-loop load through the proxy at each concurrency level
(locust: every simulated customer one conversation at a time, a fresh sender id and cookie
jar per conversation, the next turn sent as soon as the reply is in: no think time), RSS of every
Rasa and action server process after the warm-up and after the load, and (one-instance
configurations) one long conversation, turn by turn, for the cost of a turn as the
conversation grows. Nothing is asserted: the figures are printed and written down.

The stock assistant is made with `rasa init --no-prompt`, which also trains it with its own
config.yml (Rasa's default pipeline and policies). It is served with the same cluster
(credentials.yml and deploy/endpoints.production.yml of ShopAssist; its custom actions are
never called, so the action servers are ShopAssist's, idle).

    .venv/bin/python -m bench.serving [--quick] [--write]

Full: results/bench/serving/serving.json (logs and the stock project beside it) and, with
--write, the "Serving" section of bench/BENCHMARKS.md; about 25 minutes on 2 cores.
Quick (--quick): load levels 1 and 4 for 8 s, a 60-turn long conversation; results only in
results/bench/quick/serving.json.

    .venv/bin/python -m bench.serving --action-memory [--write]

Only the action server's memory: one server, no cluster, its RSS after start and after each
kind of action called through /webhook (tests/webhook_kit.py); about a minute; with --write,
the "Action server memory" table of bench/BENCHMARKS.md.

The parts, each a module of this package:

    plan.py           what is played: configurations, scripts, settings, targets
    runner.py         the run and the command line (`python -m bench.serving`)
    configuration.py  one configuration on its cluster: start, probe, load, memory, long
    load.py           one load level: locust run headless, its statistics read back
    locustfile.py     the simulated customers (runs in locust's own environment)
    conversation.py   single conversations turn by turn: the probe, the long conversation
    processes.py      RSS and CPU time of the servers, from /proc
    figures.py        the figures from what was recorded (pure)
    report.py         the Markdown sections (tables through bench/report.py)
    action_memory.py  the action server's memory after each kind of action
"""
