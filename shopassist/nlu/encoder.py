"""A transformer encoder that embeds pre-tokenized text, one vector per word.

Kept free of Rasa so it can be tested and benchmarked on its own; the Rasa component in
`transformer_featurizer` is a thin wrapper around it. The model runs on PyTorch with
transformers (`runtime: torch`), or on ONNX Runtime from its export (`runtime: onnx`,
shopassist.nlu.encoder_export): the same word vectors to 1e-5, without PyTorch's 600 MB in
the serving process.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence

import numpy as np

from shopassist.nlu import encoder_export
from shopassist.nlu.model_location import load_encoder

RUNTIMES = ("torch", "onnx")

logger = logging.getLogger(__name__)


@dataclass
class Encoded:
    """Embeddings of one text: `words` has one row per input word, `sentence` one row."""

    words: np.ndarray  # (num_words, dim)
    sentence: np.ndarray  # (1, dim)


class WordEncoder:
    """Embeds lists of words with a Hugging Face encoder, aligned through word pieces.

    Each word's vector is the mean of its word pieces' last hidden states. Texts longer than
    the model's window are cut into consecutive windows and encoded piece by piece, so no
    word is dropped and no input is too long.
    """

    def __init__(
        self,
        model_dir: Path,
        max_length: int = 256,
        batch_size: int = 32,
        pooling: str = "mean",
        num_threads: int | None = None,
        quantize: bool = False,
        runtime: str = "torch",
    ) -> None:
        if pooling not in {"mean", "cls"}:
            raise ValueError(f"pooling must be 'mean' or 'cls', not '{pooling}'")
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {RUNTIMES}, not '{runtime}'")
        if runtime == "onnx" and quantize:
            raise ValueError("quantize is a torch option; runtime 'onnx' runs the full model")
        self.model = (
            OnnxModel(model_dir, num_threads)
            if runtime == "onnx"
            else TorchModel(model_dir, num_threads, quantize)
        )
        model_max = int(
            json.loads((model_dir / "config.json").read_text()).get("max_position_embeddings")
            or 512
        )
        self.window = max(8, min(int(max_length), model_max)) - 2  # room for [CLS] and [SEP]
        self.batch_size = int(batch_size)
        self.pooling = pooling
        self.dim = self.model.dim

    def encode(self, texts_as_words: Sequence[Sequence[str]]) -> List[Encoded]:
        """Encodes many texts, each given as its list of words (Rasa tokens)."""
        results: List[Encoded | None] = [None] * len(texts_as_words)
        pieces_per_text = []
        windows = []  # (text index, piece ids of one window)
        for index, words in enumerate(texts_as_words):
            piece_ids, piece_word = self._pieces(words)
            pieces_per_text.append(piece_word)
            for start in range(0, max(len(piece_ids), 1), self.window):
                windows.append((index, piece_ids[start : start + self.window]))

        hidden_per_text: List[List[np.ndarray]] = [[] for _ in texts_as_words]
        cls_per_text: List[np.ndarray | None] = [None] * len(texts_as_words)
        # Sorting windows by length keeps padding (wasted work) small in each batch.
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1]))
        outputs: List[np.ndarray | None] = [None] * len(windows)
        for batch_start in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[batch_start : batch_start + self.batch_size]]
            hidden = self._run([ids for _, ids in batch])
            for slot, i in enumerate(order[batch_start : batch_start + self.batch_size]):
                outputs[i] = hidden[slot, : len(windows[i][1]) + 2]
        for (index, _), out in zip(windows, outputs):
            if cls_per_text[index] is None:
                cls_per_text[index] = out[0]
            hidden_per_text[index].append(out[1:-1])

        for index, words in enumerate(texts_as_words):
            pieces = np.concatenate(hidden_per_text[index], axis=0)
            word_of_piece = pieces_per_text[index]
            word_vectors = np.zeros((len(words), self.dim), dtype=np.float32)
            counts = np.zeros(len(words), dtype=np.float32)
            for piece_index, word_index in enumerate(word_of_piece):
                word_vectors[word_index] += pieces[piece_index]
                counts[word_index] += 1
            # A word the tokenizer turns into no piece at all (e.g. a lone control character)
            # keeps a zero vector rather than borrowing a neighbour's.
            word_vectors /= np.maximum(counts, 1)[:, None]
            if self.pooling == "cls" or len(pieces) == 0:
                sentence = cls_per_text[index][None, :]
            else:
                sentence = pieces.mean(axis=0, keepdims=True)
            results[index] = Encoded(words=word_vectors, sentence=sentence.astype(np.float32))
        return results  # type: ignore[return-value]

    def _pieces(self, words: Sequence[str]):
        """Word-piece ids of the words, and for each piece the index of its word."""
        if not words:
            return [], []
        return self.model.pieces(list(words))

    def _run(self, batch_ids: List[List[int]]) -> np.ndarray:
        """The last hidden states of [CLS] + ids + [SEP] for each row, padded to one width."""
        width = max(len(ids) for ids in batch_ids) + 2
        input_ids = np.full((len(batch_ids), width), self.model.pad_id, dtype=np.int64)
        attention = np.zeros((len(batch_ids), width), dtype=np.int64)
        for row, ids in enumerate(batch_ids):
            sequence = [self.model.cls_id, *ids, self.model.sep_id]
            input_ids[row, : len(sequence)] = sequence
            attention[row, : len(sequence)] = 1
        return self.model.states(input_ids, attention)


class TorchModel:
    """The encoder on PyTorch with transformers' tokenizer."""

    def __init__(self, model_dir: Path, num_threads: int | None, quantize: bool) -> None:
        import torch

        self.torch = torch
        if num_threads:
            torch.set_num_threads(int(num_threads))
        self.tokenizer, self.model = load_encoder(model_dir)
        if quantize:
            # Dynamic int8 weights for the linear layers (torch's own, no extra package):
            # about a third of the encoder's time per message on a CPU.
            self.model = torch.quantization.quantize_dynamic(
                self.model, {torch.nn.Linear}, dtype=torch.qint8
            )
        # Windows are cut by WordEncoder, not here: silence the "sequence too long" warning.
        self.tokenizer.model_max_length = 10**9
        self.dim = int(self.model.config.hidden_size)
        tok = self.tokenizer
        self.cls_id, self.sep_id, self.pad_id = tok.cls_token_id, tok.sep_token_id, tok.pad_token_id

    def pieces(self, words: List[str]):
        encoding = self.tokenizer(
            words, is_split_into_words=True, add_special_tokens=False, truncation=False
        )
        kept = [(i, w) for i, w in zip(encoding["input_ids"], encoding.word_ids()) if w is not None]
        return [i for i, _ in kept], [w for _, w in kept]

    def states(self, input_ids: np.ndarray, attention: np.ndarray) -> np.ndarray:
        with self.torch.inference_mode():
            output = self.model(
                input_ids=self.torch.from_numpy(input_ids),
                attention_mask=self.torch.from_numpy(attention),
            )
        return output.last_hidden_state.float().numpy()


class OnnxModel:
    """The same encoder on ONNX Runtime, with the model's own fast tokenizer (the library
    transformers wraps, so the same pieces)."""

    def __init__(self, model_dir: Path, num_threads: int | None) -> None:
        self.session, self.tokenizer = encoder_export.session(model_dir, num_threads)
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.dim = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])

        def token_id(name: str, default: str) -> int:
            return self.tokenizer.token_to_id(
                encoder_export.special_token(model_dir, name, default)
            )

        self.cls_id = token_id("cls_token", "[CLS]")
        self.sep_id = token_id("sep_token", "[SEP]")
        self.pad_token = encoder_export.special_token(model_dir, "pad_token", "[PAD]")
        self.pad_id = self.tokenizer.token_to_id(self.pad_token)

    def pieces(self, words: List[str]):
        encoding = self.tokenizer.encode(words, is_pretokenized=True, add_special_tokens=False)
        kept = [(i, w) for i, w in zip(encoding.ids, encoding.word_ids) if w is not None]
        return [i for i, _ in kept], [w for _, w in kept]

    def states(self, input_ids: np.ndarray, attention: np.ndarray) -> np.ndarray:
        columns = {
            "input_ids": input_ids,
            "attention_mask": attention,
            "token_type_ids": np.zeros_like(input_ids),
        }
        return self.session.run(None, {name: columns[name] for name in self.inputs})[0]
