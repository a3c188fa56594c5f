"""PyTorch CPU side of bench/recurrent.ts: LSTM-128 / GRU-128 over 28 MNIST-sized rows, dense 10 on
the last state, softmax cross-entropy, one SGD step (lr 0.05), the same work as hebb's rows.

One JSON command per stdin line, one JSON reply per stdout line:
  {"op": "info"}                                                   -> {"torch": version}
  {"op": "run", "case": "lstm"|"gru", "batch": b, "threads": t, "steps": k}
                                                                   -> {"seconds": wall, "cpu": process CPU seconds}
"""
import json
import sys
import time

import torch
from torch import nn

torch.manual_seed(0)
built = {}


class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(28, 128, batch_first=True)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y[:, -1])


def build(kind, batch):
    model = Net(kind)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    x = torch.rand(batch, 28, 28)
    y = torch.randint(0, 10, (batch,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return float(loss)
    return step


for line in sys.stdin:
    cmd = json.loads(line)
    if cmd["op"] == "info":
        reply = {"torch": torch.__version__}
    else:
        key = (cmd["case"], cmd["batch"])
        if key not in built:
            built[key] = build(*key)
        torch.set_num_threads(cmd["threads"])
        step = built[key]
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(cmd["steps"]):
            step()
        reply = {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
