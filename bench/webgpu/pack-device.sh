#!/usr/bin/env bash
# Packs what bench/webgpu/device.sh needs on a GPU machine that has no Node and no npm registry:
# a Node binary, the `webgpu` package (Dawn for linux-x64) and the GPU benchmark bundled with esbuild,
# into .gpu/ (git-ignored), plus the Vulkan loader's Debian packages into .gl/.
# Usage: bash bench/webgpu/pack-device.sh   (then run device.sh there with .gpu and .gl carried)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .gpu .gl
[ -f .gpu/node.xz ] || xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > .gpu/node.xz
if [ ! -f .gpu/wg.tar.xz ]; then
  rm -rf .gpu/wg && mkdir -p .gpu/wg/dist
  cp -r node_modules/webgpu/index.js node_modules/webgpu/package.json node_modules/webgpu/node_modules .gpu/wg/
  cp -r node_modules/webgpu/dist/linux-x64 .gpu/wg/dist/
  (cd .gpu && tar cJf wg.tar.xz wg && rm -rf wg)
fi
banner="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
for b in gpu gemm; do
  [ -f "bench/webgpu/$b.ts" ] && npx esbuild "bench/webgpu/$b.ts" --bundle --platform=node --format=esm \
    --external:webgpu --loader:.wasm=binary --outfile=".gpu/$b.mjs" --log-level=warning "--banner:js=$banner"
done
if ! ls .gl/libvulkan1_*.deb >/dev/null 2>&1; then
  mkdir -p /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1)
fi
du -sh .gpu .gl
