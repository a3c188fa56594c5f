#!/usr/bin/env bash
# Runs the WebGPU table on a GPU machine (see pack-device.sh): hebb's webgpu backend and TF.js's
# webgpu backend on the same Dawn, then PyTorch CUDA as the ceiling. Results go to $OUT (or ./out).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-out}; mkdir -p "$out"
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
nvidia-smi --query-gpu=name,clocks.max.sm,driver_version --format=csv | tee "$out/gpu.txt"
xz -dc .gpu/node.xz > /tmp/node && chmod +x /tmp/node
rm -rf /tmp/w && mkdir -p /tmp/w/node_modules && tar xJf .gpu/wg.tar.xz -C /tmp/w && mv /tmp/w/wg /tmp/w/node_modules/webgpu
cp .gpu/*.mjs /tmp/w/
[ -f /tmp/w/gemm.mjs ] && (cd /tmp/w && timeout 150 /tmp/node gemm.mjs "$@") 2>&1 | tee "$out/gemm.log"
[ -f /tmp/w/gpu.mjs ] && (cd /tmp/w && timeout 300 /tmp/node gpu.mjs --out "$out/hebb-webgpu.json" "$@") 2>&1 | tee "$out/gpu.log"
PYTHONUNBUFFERED=1 timeout 150 python3 bench/webgpu/torch_cuda.py --out "$out/torch.json" 2>&1 | tail -30
