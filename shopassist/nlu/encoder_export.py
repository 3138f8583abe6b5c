"""The encoder exported once to ONNX, so that running it needs no PyTorch.

The action server embeds each help-page question with all-MiniLM-L6-v2, and the Rasa
server's featurizer runs the same model on every message. On PyTorch that costs a process
about 600 MB of libraries for a six-layer model; ONNX Runtime runs the same graph in about
100 MB and gives the same vectors (tests/unit/test_sentence_embedder.py and
test_encoder.py compare them). The export itself needs PyTorch, so it runs in a child
process that exits when done: the processes that run the model never import it.

    python -m shopassist.nlu.encoder_export          # export the default encoder

The file is named after the model's fingerprint, so a changed model is exported again and a
stale export is never read. It is written aside and renamed: two processes exporting at
once each write a whole file, and a reader never sees half of one.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from shopassist.nlu.model_location import model_fingerprint, resolve_model_dir
from shopassist.settings import env_name, get_settings

logger = logging.getLogger(__name__)

EXPORT_DIR_ENV = env_name("encoder_cache")
EXPORT_SECONDS = 600  # importing torch and tracing a small model takes 10-30 s on 2 cores
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MODULE = "shopassist.nlu.encoder_export"  # not __name__: "__main__" under `python -m`


class EncoderExportError(RuntimeError):
    """The encoder could not be exported to ONNX."""


def export_dir() -> Path:
    return get_settings().encoder_cache


def export_path(model_dir: Path) -> Path:
    return export_dir() / f"encoder-{model_fingerprint(model_dir)}.onnx"


def export(model_dir: Path, out: Path) -> None:
    """Traces the encoder (in this process: it imports PyTorch) and writes `out`."""
    import torch

    from shopassist.nlu.model_location import load_encoder

    tokenizer, model = load_encoder(model_dir)
    sample = tokenizer(["where is my order?", "hi"], padding=True, return_tensors="pt")
    names = [name for name in INPUTS if name in sample]
    axes = {name: {0: "batch", 1: "tokens"} for name in (*names, "last_hidden_state")}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f"{out.stem}.{os.getpid()}.tmp")
    with torch.inference_mode():
        # The TorchScript exporter: the newer one needs onnxscript, and this graph is simple.
        torch.onnx.export(
            model,
            tuple(sample[name] for name in names),
            str(partial),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    partial.replace(out)


def exported(model_dir: Path) -> Path:
    """The ONNX file of `model_dir`, exported in a child process if there is none yet."""
    out = export_path(model_dir)
    if out.is_file():
        return out
    logger.info("exporting the encoder %s to %s (once per model)", model_dir, out)
    command = [sys.executable, "-m", MODULE, str(model_dir), str(out)]
    env = dict(os.environ, USE_TF="0")  # transformers would import TensorFlow too
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=EXPORT_SECONDS
        )
    except subprocess.TimeoutExpired as error:
        raise EncoderExportError(f"exporting {model_dir} took over {EXPORT_SECONDS} s") from error
    if done.returncode != 0 or not out.is_file():
        raise EncoderExportError(
            f"exporting {model_dir} to ONNX failed (exit {done.returncode}): "
            f"{done.stderr.strip()[-2000:]}"
        )
    return out


def session(model_dir: Path, threads: int | None = None):
    """An ONNX Runtime session of the exported encoder (exported now if need be), and the
    model's own fast tokenizer (the `tokenizers` library: what transformers wraps).

    The session is shared by everyone in the process who asks for the same model and
    threads (the featurizer and the help search in a Rasa server: one copy of the weights,
    about 90 MB less); ONNX Runtime's `run` is safe to call from several threads. The
    tokenizer is new each time, because each caller sets its own truncation and padding."""
    from tokenizers import Tokenizer

    runner = shared_runner(str(Path(model_dir).resolve()), int(threads or 1))
    return runner, Tokenizer.from_file(str(model_dir / "tokenizer.json"))


@functools.lru_cache(maxsize=4)
def shared_runner(model_dir: str, threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # One thread unless told: a message is a few dozen tokens, and a server answers several
    # customers at once on few cores.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(exported(Path(model_dir))), options, providers=["CPUExecutionProvider"]
    )


def special_token(model_dir: Path, name: str, default: str) -> str:
    """A special token's text ("pad_token", "cls_token", ...) from tokenizer_config.json."""
    config = model_dir / "tokenizer_config.json"
    settings = json.loads(config.read_text()) if config.is_file() else {}
    return settings.get(name) or default


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2:  # the child process of exported()
        export(Path(args[0]), Path(args[1]))
        return 0
    if args:
        print(__doc__, file=sys.stderr)
        return 2
    print(exported(resolve_model_dir(None, None)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
