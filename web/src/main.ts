// The playground's shell: waits for hb.ready(), applies ?backend= and ?threads=, and routes
// #/digits, #/train, #/lectures and #/lectures/<name> to their pages (hash routes, so the
// built site works from any static server and path).
import * as hb from '../../src/index.js';
import * as digits from './digits.js';
import * as lectures from './lectures/index.js';
import * as train from './train.js';
import { el, param } from './util.js';
import './style.css';

/** A page draws itself into `root` and may return a function that stops its work when the page is left. */
export type Page = (root: HTMLElement) => void | (() => void) | Promise<void | (() => void)>;

const routes: Record<string, { title: string; page: Page }> = {
  digits: { title: 'Digits', page: digits.render },
  train: { title: 'Train', page: train.render },
  lectures: { title: 'Lectures', page: lectures.renderIndex },
  ...Object.fromEntries(lectures.LECTURES.map((l) => [`lectures/${l.id}`, { title: l.title, page: l.render }])),
};

let cleanup: (() => void) | null = null;

async function show(): Promise<void> {
  const key = location.hash.replace(/^#\/?/, '') || 'digits';
  const route = routes[key] ?? routes.digits;
  cleanup?.();
  cleanup = null;
  const app = document.getElementById('app')!;
  app.replaceChildren();
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', key.startsWith(a.getAttribute('href')!.slice(2))));
  document.title = `${route.title} · hebb playground`;
  try {
    cleanup = (await route.page(app)) ?? null;
  } catch (e) {
    console.error(e);
    app.append(el('p', { class: 'error' }, `This page failed: ${e instanceof Error ? e.message : String(e)}`));
  }
}

async function start(): Promise<void> {
  const nav = document.getElementById('nav')!;
  nav.append(el('a', { href: '#/digits' }, 'Digits'), el('a', { href: '#/train' }, 'Train'), el('a', { href: '#/lectures' }, 'Lectures'));
  await hb.ready();
  // ?backend=NAME picks another registered backend (e.g. webgpu); ?threads=N the wasm pool size.
  // WebGPU starts asynchronously: it runs kernels once hb.ready() has found an adapter.
  const backend = param('backend');
  if (backend !== null) {
    if (!hb.listBackends().includes(backend)) console.warn(`?backend=${backend}: not registered here (available: ${hb.listBackends().join(', ')})`);
    else {
      const previous = hb.getBackend();
      try {
        hb.setBackend(backend);
        await hb.ready();
      } catch (e) {
        console.warn(`?backend=${backend}: unavailable here (${e instanceof Error ? e.message : String(e)}); staying on ${previous}`);
        hb.setBackend(previous);
      }
    }
  }
  // The library on window, for the devtools console (and for the browser tests to ask where kernels ran).
  (globalThis as { hb?: typeof hb }).hb = hb;
  const threads = param('threads');
  if (threads !== null) hb.setThreads(Math.min(Number(threads), hb.browser.environment().cores));
  const env = hb.browser.environment();
  const status = document.getElementById('status')!;
  status.textContent = `${env.backend} · ${env.threads} thread${env.threads === 1 ? '' : 's'} · ${env.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated'}`;
  status.dataset.backend = env.backend;
  status.dataset.threads = String(env.threads);
  status.dataset.isolated = String(env.crossOriginIsolated);
  addEventListener('hashchange', () => void show());
  await show();
  document.body.dataset.ready = 'true';
}

void start();
