#!/usr/bin/env python3
"""PyTorch CPU reference for the bench's lstm-train case (bench/cases/lstm.ts): LSTM-128 over
28 MNIST rows (x [64, 28, 28]), dense 10 on the last h, softmax cross-entropy, one SGD step.
Prints samples/s (median of timed steps) for 1 and 2 threads.

Run:  python3 bench/lstm-torch.py
"""
import statistics
import time

import torch

BATCH, T, F, U, CLASSES = 64, 28, 28, 128, 10
torch.manual_seed(0)
for threads in (1, 2):
    torch.set_num_threads(threads)
    lstm = torch.nn.LSTM(F, U, batch_first=True)
    head = torch.nn.Linear(U, CLASSES)
    opt = torch.optim.SGD(list(lstm.parameters()) + list(head.parameters()), lr=0.05)
    x = torch.rand(BATCH, T, F)
    y = torch.randint(0, CLASSES, (BATCH,))

    def step():
        opt.zero_grad()
        out, (h, _) = lstm(x)
        loss = torch.nn.functional.cross_entropy(head(h[0]), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(3):
        step()
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f'pytorch {torch.__version__} cpu {threads} thread(s): {BATCH / med:.1f} samples/s (median step {1000 * med:.1f} ms)')
