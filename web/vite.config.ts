// The playground (npm run web / npm run build:web). Relative base, so web/dist works from any
// static server and any path. The dev server and preview send COOP/COEP headers, so the page is
// cross-origin isolated and the wasm backend runs threads (everything is same-origin).
import { defineConfig } from 'vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  // The library's worker pool and training worker are ES modules; so is the bundle.
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { headers: isolation },
  preview: { headers: isolation },
});
