/// <reference lib="webworker" />
/**
 * The service worker (vite-plugin-pwa, strategy injectManifest): precaches the app shell, the
 * workers, TF.js's WebAssembly and the demo data, so that after one visit the app starts, trains and
 * optimises with no network; serves every navigation of the app from its index.html (not the
 * headless runner's page); waits with a new version until the page asks it to take over
 * (registerType 'prompt': the update notice's Reload). Every response it serves carries the
 * cross-origin isolation headers (src/platform/cross-origin-isolation.ts), so a static host that
 * cannot set headers still gets a cross-origin-isolated app (TF.js's WebAssembly threads) from the
 * second load on; the first load reloads once when this worker takes control (src/pwa/isolation-reload.ts).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, PrecacheController, type PrecacheEntry, PrecacheRoute } from 'workbox-precaching';
import { NavigationRoute, Router } from 'workbox-routing';
import { withIsolationHeaders } from '../platform/cross-origin-isolation';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

const precache = new PrecacheController();
precache.precache(self.__WB_MANIFEST);

const router = new Router();
router.registerRoute(new PrecacheRoute(precache));
router.registerRoute(new NavigationRoute(precache.createHandlerBoundToURL('index.html'), { denylist: [/^\/headless\.html/] }));

// Requests no route answers (the headless runner page, anything not precached) go to the network as usual.
self.addEventListener('fetch', (event) => {
  const response = router.handleRequest({ event, request: event.request });
  if (response) event.respondWith(response.then(withIsolationHeaders));
});

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

cleanupOutdatedCaches();
clientsClaim();
