// pycells service worker: keeps a site's pages and its Python engine in the browser's Cache Storage,
// so that after one visit every page opens and its cells run without the network, and the engine
// starts from disk instead of the network.
//
// A site's build writes its own copy at the site root (the scope is the whole site) with the
// manifest filled in (coursekit/offline_cache.py for the course):
//   version   changes whenever a file changes: a new build installs a new cache and drops the old
//   files     URLs (relative to this script, or absolute) that must all be cached
//   extras    third-party URLs the pages load (MathJax from a CDN): cached when they can be
// Pages are fetched from the network first (a new build shows at once) and from the cache when the
// network fails; everything else comes from the cache first.

const MANIFEST = { version: "unbuilt", files: [], extras: [] };   // replaced by the build
const CACHE = `pycells-${MANIFEST.version}`;

async function store(cache, url, mode) {
  const request = new Request(new URL(url, self.location), { mode, cache: "no-cache" });
  const response = await fetch(request);
  if (mode === "cors" && !response.ok) throw new Error(`${request.url}: HTTP ${response.status}`);
  await cache.put(request, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(MANIFEST.files.map((url) => store(cache, url, "cors")));
    await Promise.allSettled(MANIFEST.extras.map((url) => store(cache, url, "no-cors")));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pycells-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  if (url.pathname.endsWith("/")) url.pathname += "index.html";
  return cache.match(url.href, { ignoreSearch: true, ignoreVary: true });
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await fromCache(request);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  return (await fromCache(request)) ?? fetch(request);
}

// a page: a navigation, or a page fetched to be shown in place of another (pycells' keep-engine)
const isPage = (request) => request.mode === "navigate" || /(\.html|\/)$/.test(new URL(request.url).pathname);

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith(isPage(event.request) ? networkFirst(event.request) : cacheFirst(event.request));
});
