"""CareerGini's tests (see tests/conftest.py)."""

import os

# OpenMP threads (llama.cpp in the real-model tests; torch) sleep instead of spinning while they
# wait: on a machine whose cores are shared, spinning threads starve each other. Measured with
# SmolLM2 on 2 busy cores (load 13): 40 tokens in 50-60 s spinning, 11 s sleeping; the
# embedder's speed is the same either way. Set here, before torch or xllamacpp loads libgomp,
# which reads it once.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
