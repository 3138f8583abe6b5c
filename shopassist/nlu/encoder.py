"""A torch transformer encoder that embeds pre-tokenized text, one vector per word.

Kept free of Rasa so it can be tested and benchmarked on its own; the Rasa component in
`transformer_featurizer` is a thin wrapper around it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence

import numpy as np
import torch

from shopassist.nlu.model_location import load_encoder

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
    ) -> None:
        if pooling not in {"mean", "cls"}:
            raise ValueError(f"pooling must be 'mean' or 'cls', not '{pooling}'")
        if num_threads:
            torch.set_num_threads(int(num_threads))
        self.tokenizer, self.model = load_encoder(model_dir)
        if quantize:
            # Dynamic int8 weights for the linear layers (torch's own, no extra package):
            # about a third of the encoder's time per message on a CPU.
            self.model = torch.quantization.quantize_dynamic(
                self.model, {torch.nn.Linear}, dtype=torch.qint8
            )
        # Windows are cut here, not by the tokenizer: silence its "sequence too long" warning.
        self.tokenizer.model_max_length = 10**9
        model_max = int(getattr(self.model.config, "max_position_embeddings", 512))
        self.window = max(8, min(int(max_length), model_max)) - 2  # room for [CLS] and [SEP]
        self.batch_size = int(batch_size)
        self.pooling = pooling
        self.dim = int(self.model.config.hidden_size)

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
        encoding = self.tokenizer(
            list(words), is_split_into_words=True, add_special_tokens=False, truncation=False
        )
        ids = encoding["input_ids"]
        word_ids = encoding.word_ids()
        kept = [(i, w) for i, w in zip(ids, word_ids) if w is not None]
        return [i for i, _ in kept], [w for _, w in kept]

    @torch.inference_mode()
    def _run(self, batch_ids: List[List[int]]) -> np.ndarray:
        tok = self.tokenizer
        width = max(len(ids) for ids in batch_ids) + 2
        input_ids = torch.full((len(batch_ids), width), tok.pad_token_id, dtype=torch.long)
        attention = torch.zeros((len(batch_ids), width), dtype=torch.long)
        for row, ids in enumerate(batch_ids):
            sequence = [tok.cls_token_id, *ids, tok.sep_token_id]
            input_ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
            attention[row, : len(sequence)] = 1
        output = self.model(input_ids=input_ids, attention_mask=attention)
        return output.last_hidden_state.float().numpy()
