"""The bench's native anchor for the sequence models: the same char-LSTM and tiny GPT as
web/src/bench/bench_models.js, in PyTorch on one thread, trained with Adam on the same
characters. Prints {"char_lstm": tokens/s, "tiny_gpt": tokens/s, "torch": version}.

Usage: python3 tools/bench_torch.py < ids.txt  (whitespace-separated ids in [0, 65))
"""
import json
import sys
import time

import torch
from torch import nn

STEPS, VOCABULARY, BATCH = 64, 65, 32


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCABULARY, 32)
        self.lstm = nn.LSTM(32, 128, batch_first=True)
        self.head = nn.Linear(128, VOCABULARY)

    def forward(self, ids):
        out, _ = self.lstm(self.embed(ids))
        return self.head(out)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, causal):
        h = self.norm1(x)
        x = x + self.attention(h, h, h, attn_mask=causal, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class TinyGpt(nn.Module):
    def __init__(self, width=64, heads=4):
        super().__init__()
        self.tokens = nn.Embedding(VOCABULARY, width)
        self.positions = nn.Parameter(torch.randn(STEPS, width) * 0.02)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(2)])
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, VOCABULARY)
        self.register_buffer("causal", torch.triu(torch.ones(STEPS, STEPS, dtype=torch.bool), diagonal=1))

    def forward(self, ids):
        x = self.tokens(ids) + self.positions
        for block in self.blocks:
            x = block(x, self.causal)
        return self.head(self.norm(x))


def tokens_per_second(model, ids, batches=12, runs=3):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    windows = ids[: (len(ids) - 1) // STEPS * STEPS + 1]
    x_all = windows[:-1].view(-1, STEPS)
    y_all = windows[1:].view(-1, STEPS)

    def step(b):
        x = x_all[b * BATCH : (b + 1) * BATCH]
        y = y_all[b * BATCH : (b + 1) * BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(x).reshape(-1, VOCABULARY), y.reshape(-1))
        loss.backward()
        optimizer.step()

    for b in range(3):
        step(b)
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for b in range(batches):
            step(b)
        rates.append(batches * BATCH * STEPS / (time.perf_counter() - start))
    return sorted(rates)[len(rates) // 2]


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    ids = torch.tensor([int(t) for t in sys.stdin.read().split()], dtype=torch.long)
    result = {
        "char_lstm": tokens_per_second(CharLstm(), ids),
        "tiny_gpt": tokens_per_second(TinyGpt(), ids),
        "torch": torch.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
