"""PyTorch CPU on the benchmark's work, driven by bench/native/compare.ts as a child process.

One JSON command per stdin line, one JSON reply per stdout line, so the Node side can
interleave PyTorch samples with hebb's in the same run:
  {"op": "info"}                                    -> {"torch": version, "threads": n}
  {"op": "run", "case": id, "batch": b, "threads": t, "steps": k}
                                                    -> {"seconds": s, "cpu": process CPU s, "check": loss or output sum}
Cases (each built once per (case, batch)): mlp-train (SGD 0.1), lenet-train (Adam 1e-3),
lstm-train (Adam 1e-3), mlp-infer, lenet-infer, gemm-N (N x N x N sgemm, "batch" ignored).
"""
import json
import sys
import time

import torch
from torch import nn

torch.manual_seed(0)
workloads = {}


def mlp():
    return nn.Sequential(nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 500), nn.ReLU(), nn.Linear(500, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


class Lstm(nn.Module):
    """LSTM-128 over the 28 rows of a digit, then a dense softmax layer on the last state."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.out(y[:, -1])


def build(case, batch):
    if case.startswith("gemm-"):
        n = int(case[5:])
        a, b = torch.randn(n, n), torch.randn(n, n)
        return lambda: float(torch.mm(a, b)[0, 0])
    net, kind = case.split("-")
    model = {"mlp": mlp, "lenet": lenet, "lstm": Lstm}[net]()
    shape = {"mlp": (batch, 784), "lenet": (batch, 1, 28, 28), "lstm": (batch, 28, 28)}[net]
    x = torch.rand(shape)
    y = torch.randint(0, 10, (batch,))
    if kind == "infer":
        model.eval()

        def infer():
            with torch.no_grad():
                return float(model(x).sum())
        return infer
    opt = torch.optim.SGD(model.parameters(), lr=0.1) if net == "mlp" else torch.optim.Adam(model.parameters(), lr=1e-3)
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
        reply = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    else:
        key = (cmd["case"], cmd.get("batch", 0))
        if key not in workloads:
            workloads[key] = build(*key)
        torch.set_num_threads(cmd["threads"])
        fn = workloads[key]
        start, cpu = time.perf_counter(), time.process_time()
        check = 0.0
        for _ in range(cmd["steps"]):
            check = fn()
        reply = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "check": check}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
