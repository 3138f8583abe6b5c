#!/usr/bin/env bash
# Prints a hash of everything a trained model depends on: training data, domain, config,
# the NLU components' code and the pinned dependencies. The model file is named after it,
# so "is the model stale?" is "does models/shopassist-<hash>.tar.gz exist?".
set -euo pipefail
cd "$(dirname "$0")/.."
find config.yml domain.yml data shopassist/nlu requirements.txt -type f \
    \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.txt' \) \
    -not -path '*/__pycache__/*' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12
