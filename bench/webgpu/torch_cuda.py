"""PyTorch CUDA ceiling for the WebGPU table (bench/README.md): the same matmul sizes and the same
MLP / LeNet-5 training steps as bench/webgpu/gpu.ts, in FP32 (TF32 off) and with TF32 allowed.
Run on a machine with an NVIDIA GPU: python3 bench/webgpu/torch_cuda.py [--quick] [--out FILE]."""
import argparse, json, time
import torch
import torch.nn as nn

def timed(fn, reps):
    fn(); torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True); end = torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(reps):
        start.record(); fn(); end.record(); torch.cuda.synchronize()
        times.append(start.elapsed_time(end) / 1000)
    times.sort()
    return times[len(times) // 2]

def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))

def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

def train_rate(make, batch, steps):
    model = make().cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(batch, 1, 28, 28, device='cuda'); y = torch.randint(0, 10, (batch,), device='cuda')
    loss_fn = nn.CrossEntropyLoss()
    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y); loss.backward(); opt.step()
        return loss
    for _ in range(5): step()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps): loss = step()
    loss.item()
    return batch * steps / (time.perf_counter() - t0)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--quick', action='store_true'); ap.add_argument('--out')
    a = ap.parse_args()
    rows = {'device': torch.cuda.get_device_name(0), 'torch': torch.__version__, 'matmul': {}, 'train': {}}
    sizes = [256, 512] if a.quick else [1024, 2048, 4096]
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32; torch.backends.cudnn.allow_tf32 = tf32
        for n in sizes:
            x = torch.randn(n, n, device='cuda'); w = torch.randn(n, n, device='cuda')
            s = timed(lambda: x @ w, 20)
            rows['matmul'][f"{n}{'-tf32' if tf32 else ''}"] = 2 * n ** 3 / s / 1e9
    torch.backends.cuda.matmul.allow_tf32 = False; torch.backends.cudnn.allow_tf32 = False
    for name, make in (('mlp', mlp), ('lenet5', lenet)):
        for batch in (64, 256, 1024):
            rows['train'][f'{name}-{batch}'] = train_rate(make, batch, 20 if a.quick else 100)
    print(json.dumps(rows, indent=1))
    if a.out:
        with open(a.out, 'w') as f: json.dump(rows, f, indent=1)

if __name__ == '__main__':
    main()
