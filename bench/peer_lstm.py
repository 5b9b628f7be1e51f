#!/usr/bin/env python3
"""PyTorch peer for decoder training: the issue's configuration. Word embedding 512; the 4096-d image feature
projected to 512 and concatenated with the embedding at every step; LSTM hidden 512; softmax over 10,000 words;
batch 100 x 17 steps; cross-entropy; clip_grad_norm 5; Adam. Prints one JSON object: median seconds per
training step after warm-up steps, and tokens per second (100 x 17 tokens per step)."""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 6
torch.set_num_threads(threads)
torch.manual_seed(1)
VOCAB, EMBED, HIDDEN, FEATURE, BATCH, TIME = 10_000, 512, 512, 4096, 100, 17


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED)
        self.image = nn.Linear(FEATURE, EMBED)
        self.lstm = nn.LSTM(2 * EMBED, HIDDEN, batch_first=True)
        self.out = nn.Linear(HIDDEN, VOCAB)

    def forward(self, features, words):
        image = self.image(features).unsqueeze(1).expand(-1, words.size(1), -1)
        hidden, _ = self.lstm(torch.cat([self.embed(words), image], dim=2))
        return self.out(hidden)


model = Decoder()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
features = torch.relu(torch.randn(BATCH, FEATURE))
words = torch.randint(4, VOCAB, (BATCH, TIME))
targets = torch.randint(4, VOCAB, (BATCH, TIME))


def step():
    optimizer.zero_grad()
    logits = model(features, words)
    loss = loss_fn(logits.reshape(-1, VOCAB), targets.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()


for _ in range(2):
    step()  # warm-up
times = []
for _ in range(steps):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
seconds = statistics.median(times)
print(json.dumps({"peer": f"pytorch {torch.__version__}", "threads": threads, "vocabulary": VOCAB,
                  "hidden": HIDDEN, "embedding": EMBED, "batch": BATCH, "steps_per_sequence": TIME,
                  "seconds_per_step": round(seconds, 3), "tokens_per_second": round(BATCH * TIME / seconds, 1)}))
