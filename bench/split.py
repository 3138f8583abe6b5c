"""The held-out split: every file in data/nlu, 80/20 per intent, one fixed seed.

Both pipelines train on the same train.yml and are scored on the same test.yml, and the test
part is never used to train or tune anything.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

SEED = 42
TRAIN_FRAC = 0.8


def load_nlu(nlu_dir: Path, domain_path: Path | None = None) -> TrainingData:
    """All NLU data of a directory (examples, regexes, lookups, synonyms) plus the responses
    of retrieval intents (faq/..., chitchat/...), which live in the domain, not in data/nlu.

    Rasa's split keeps on each side only the responses its examples need; without the domain's
    responses a retrieval intent's examples would lose their answers in train.yml and test.yml.
    """
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(nlu_dir))
    if domain_path is not None and data.retrieval_intents:
        from rasa.shared.core.domain import Domain

        responses = {
            name: variants
            for name, variants in Domain.load(str(domain_path)).responses.items()
            if "/" in name  # utter_faq/ask_x: only retrieval responses belong to NLU data
        }
        data = data.merge(TrainingData(responses=responses))
    return data


def _full_intent(example: Message) -> str:
    # faq/ask_x, not faq: each response of a retrieval intent is a class of its own.
    return example.get_full_intent() or ""


def stratified_sample(data: TrainingData, frac: float, seed: int = SEED) -> TrainingData:
    """A deterministic `frac` of each intent's examples (at least 2, so both sides of the
    later 80/20 split get one), keeping regexes, lookups, synonyms and responses.

    Quick mode only: a small but still stratified data set, so a run takes minutes.
    """
    by_intent: Dict[str, List[Message]] = defaultdict(list)
    for example in data.intent_examples:
        by_intent[_full_intent(example)].append(example)
    kept: List[Message] = []
    for intent in sorted(by_intent):
        examples = sorted(by_intent[intent], key=lambda m: m.get("text") or "")
        random.Random(f"{seed}:{intent}").shuffle(examples)  # per-intent: stable if others change
        kept.extend(examples[: min(len(examples), max(2, round(frac * len(examples))))])
    return TrainingData(
        kept,
        entity_synonyms=data.entity_synonyms,
        regex_features=data.regex_features,
        lookup_tables=data.lookup_tables,
        responses=data.responses,
    )


def split(
    data: TrainingData, train_frac: float = TRAIN_FRAC, seed: int = SEED
) -> Tuple[TrainingData, TrainingData]:
    """(train, test): Rasa's own stratified split, the one `rasa data split nlu` uses."""
    return data.train_test_split(train_frac=train_frac, random_seed=seed)


def write(data: TrainingData, path: Path) -> Path:
    """Rasa YAML (nlu, and responses if any) that `rasa train/test nlu --nlu` read back."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    RasaYAMLWriter().dump(path, data)
    return path


def counts(data: TrainingData) -> Dict[str, int]:
    """Examples per (full) intent, for the report and the tests."""
    result: Dict[str, int] = defaultdict(int)
    for example in data.intent_examples:
        result[_full_intent(example)] += 1
    return dict(sorted(result.items()))
