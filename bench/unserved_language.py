"""Which messages are clearly in a language the shop does not serve, and which served
messages would be wrongly called so.

    .venv/bin/python -m bench.unserved_language [--list]

Served messages: every training example of data/nlu (the language is its folder, English
at the top), every customer turn of the stories and rules (data/, tests/*.yml), and every
string of two words or more in tests/**/*.py (some are code, not messages: each one called
unsupported is listed, so a reader can judge it). Unserved messages: UNSERVED_LATIN and
PINYIN below, written here, and bench.language_id.UNSERVED. The evaluation sets of
bench/eval/ are not read. Reported: how many of each are clearly unsupported
(`Reading.clearly_unsupported`, what routes a message to the served-languages reply), and
what the check costs `detect` per message (p50 and p99 over the served messages, with the
check and with it turned off, in the same process). `--evaluation-sets` also counts the
messages of bench/eval/<language>/*.csv called clearly unsupported: a check after the
figures were chosen, never an input to them.
"""

from __future__ import annotations

import argparse
import ast
import re
import statistics
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import yaml

from bench.language_id import UNSERVED
from bench.report import table

REPO = Path(__file__).resolve().parent.parent
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")

# fmt: off
UNSERVED_LATIN: Tuple[Tuple[str, str], ...] = (
    ("it", "dov'è il mio ordine 100234?"), ("it", "Vorrei sapere quando arriva il mio pacco"),
    ("it", "il mio ordine non è ancora arrivato"),
    ("it", "voglio restituire le scarpe, sono troppo piccole"),
    ("it", "posso pagare con carta di credito?"),
    ("it", "buongiorno, ho bisogno di aiuto con un reso"),
    ("it", "quanto costa la spedizione in Italia"), ("it", "grazie mille per l'aiuto"),
    ("pt", "onde está a minha encomenda"), ("pt", "Quero cancelar o meu pedido 100234"),
    ("pt", "a minha encomenda chegou danificada"), ("pt", "vocês enviam para o Brasil?"),
    ("pt", "preciso da fatura da minha compra"), ("pt", "olá, gostaria de devolver um produto"),
    ("nl", "waar blijft mijn pakket?"), ("nl", "ik wil mijn bestelling annuleren"),
    ("nl", "kunnen jullie naar België verzenden"), ("nl", "de jas is te klein, kan ik hem ruilen?"),
    ("nl", "Hallo, ik heb een vraag over mijn factuur"),
    ("pl", "Dzień dobry, gdzie jest moja paczka?"), ("pl", "chcę anulować zamówienie 100234"),
    ("pl", "ile kosztuje wysyłka do Polski"), ("pl", "produkt przyszedł uszkodzony"),
    ("tr", "siparişim hala gelmedi"), ("tr", "iade nasıl yapabilirim?"),
    ("tr", "merhaba, faturamı nereden indirebilirim"), ("sv", "när kommer mitt paket?"),
    ("sv", "jag vill avbryta min beställning"), ("da", "hvornår kommer min pakke?"),
    ("da", "jeg vil gerne returnere skoene"),
    ("ro", "unde este coletul meu? am comandat acum o săptămână"),
    ("ro", "vreau să anulez comanda 100234"), ("cs", "kdy dorazí můj balík?"),
    ("cs", "chci zrušit objednávku"), ("id", "kapan paket saya sampai?"),
    ("id", "saya ingin membatalkan pesanan 100234"),
)
PINYIN: Tuple[str, ...] = (
    "wo de dingdan zai nali", "wǒ xiǎng tuìhuò", "wo xiang tuihuo", "wo yao tuikuan",
    "ni hao, wo de baoguo hai mei dao", "kuaidi shenme shihou dao",
    "qing bang wo cha yixia dingdan 100234", "wǒ de dìngdān zài nǎlǐ", "wo3 xiang3 tui4huo4",
    "zenme tuihuo", "xie xie ni", "wo de dingdan 100234 zai nar",
    "keyi yong zhifubao fukuan ma", "wo yao quxiao dingdan", "fapiao zai nali xiazai",
    "dongxi huai le, wo yao tuihuo",
)
# fmt: on


def _plain(text: str) -> str:
    return _ENTITY.sub(r"\1", text).strip()


def training_examples() -> List[Tuple[str, str]]:
    """(language, text) of every training example; a file's folder names its language."""
    rows = []
    for path in sorted((REPO / "data" / "nlu").rglob("*.yml")):
        language = path.parent.name if path.parent.name != "nlu" else "en"
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in item:
                continue  # lookup tables, regexes, synonyms: not messages
            for line in str(item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    rows.append((language, _plain(line.strip()[2:])))
    return rows


def story_turns() -> List[str]:
    """Customer turns of the stories and rules, those of the tests included."""
    paths = sorted((REPO / "tests").glob("*.yml")) + sorted((REPO / "data").rglob("*.yml"))
    texts = []
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("stories", "rules"):
            for story in document.get(key) or []:
                for step in story.get("steps") or []:
                    if isinstance(step.get("user"), str) and not step["user"].startswith("/"):
                        texts.append(_plain(step["user"]))
    return texts


def test_strings() -> List[str]:
    """Strings of two words or more, on one line, in the tests' Python files."""
    texts = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if len(text.split()) >= 2 and "\n" not in text and len(text) < 400:
                    texts.append(text)
    return texts


@contextmanager
def without_check() -> Iterator[None]:
    """detect() as it was before the Latin-letter checks: pinyin and unserved Latin-script
    languages never sure."""
    from shopassist.language import reading

    saved = reading.surely_pinyin, reading.surely_unserved
    reading.surely_pinyin = reading.surely_unserved = lambda *args: False
    try:
        yield
    finally:
        reading.surely_pinyin, reading.surely_unserved = saved


def _times_ms(texts: List[str]) -> List[float]:
    from shopassist.language import detect

    times = []
    for text in texts:
        started = time.perf_counter()
        detect(text)
        times.append(1000 * (time.perf_counter() - started))
    return times


def _p(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run() -> Dict:
    from shopassist.language import detect
    from shopassist.language.unserved import served_words

    detect("warm up")
    started = time.perf_counter()
    served_words()
    words_ms = 1000 * (time.perf_counter() - started)
    # Strings of the tests written as unserved on purpose are not served messages.
    unserved_texts = {t for _, t in UNSERVED_LATIN} | set(PINYIN) | {t for _, t in UNSERVED}
    served: Dict[str, List[str]] = {}
    for language, text in training_examples():
        served.setdefault(f"data/nlu {language}", []).append(text)
    served["stories and rules"] = story_turns()
    served["tests' strings"] = test_strings()

    def clear(text: str) -> bool:
        try:
            return detect(text).clearly_unsupported
        except UnicodeEncodeError:  # a lone surrogate: the length guard replaces it first
            return False

    called = {
        name: [t for t in texts if t not in unserved_texts and clear(t)]
        for name, texts in served.items()
    }
    everything = [t for texts in served.values() for t in texts if t not in unserved_texts]
    everything = [t for t in everything if t.encode("utf-8", "ignore").decode() == t]
    with_check = _times_ms(everything)
    with without_check():
        before = _times_ms(everything)
        before_called = sum(detect(t).clearly_unsupported for t in everything)
    readings = {
        "latin": [(code, t, detect(t)) for code, t in UNSERVED_LATIN],
        "pinyin": [("pinyin", t, detect(t)) for t in PINYIN],
        "language_id": [(code, t, detect(t)) for code, t in UNSERVED],
    }
    return {
        "served": {name: len(texts) for name, texts in served.items()},
        "called": called,
        "called_before": before_called,
        "unserved": {
            name: {
                "n": len(rows),
                "clear": sum(r.clearly_unsupported for _, _, r in rows),
                "missed": [t for _, t, r in rows if not r.clearly_unsupported],
                "by_language": Counter(c for c, _, r in rows if r.clearly_unsupported),
            }
            for name, rows in readings.items()
        },
        "ms": {
            "p50": statistics.median(with_check),
            "p99": _p(with_check, 0.99),
            "p50_before": statistics.median(before),
            "p99_before": _p(before, 0.99),
            "messages": len(everything),
            "served_words_load_ms": words_ms,
        },
    }


def report(result: Dict) -> str:
    lines = table(
        ["served messages", "n", "called clearly unsupported"],
        ([name, n, len(result["called"][name])] for name, n in result["served"].items()),
    )
    lines += [
        "",
        *table(
            ["unserved messages", "n", "clearly unsupported", "missed"],
            (
                [name, row["n"], row["clear"], "; ".join(f"`{t}`" for t in row["missed"]) or "-"]
                for name, row in result["unserved"].items()
            ),
        ),
    ]
    ms = result["ms"]
    lines += [
        "",
        f"detect() over {ms['messages']} served messages: p50 {ms['p50']:.3f} ms, p99 "
        f"{ms['p99']:.3f} ms with the checks; {ms['p50_before']:.3f} / {ms['p99_before']:.3f} ms "
        f"without; the served words loaded once in {ms['served_words_load_ms']:.0f} ms. "
        f"Without the checks {result['called_before']} served messages are clearly unsupported.",
        "",
        "Served messages called clearly unsupported:",
    ]
    for name, texts in result["called"].items():
        lines += [f"- {name}: `{t}`" for t in texts]
    return "\n".join(lines)


def evaluation_sets() -> Dict[str, List[str]]:
    """Per language, the evaluation sets' messages called clearly unsupported."""
    from bench.language_id import messages
    from shopassist.language import detect

    called: Dict[str, List[str]] = {}
    for text, language in messages():
        called.setdefault(language, [])
        if detect(text).clearly_unsupported:
            called[language].append(text)
    return called


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluation-sets", action="store_true")
    args = parser.parse_args(argv)
    print(report(run()))
    if args.evaluation_sets:
        from bench.language_id import messages

        sizes = Counter(language for _, language in messages())
        for language, texts in evaluation_sets().items():
            shown = "; ".join(f"`{t}`" for t in texts)
            print(f"- bench/eval/{language}: {len(texts)} of {sizes[language]} {shown}")


if __name__ == "__main__":
    main()
