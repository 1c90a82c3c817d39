/* The field page's service worker (served from /field/ so that it controls the field page).

   Network first for every GET the page makes on this site; when the network fails, the last
   good copy. So a grid worker who opened the field page once with signal can open it again in
   a yard without signal, and the visits kept on the phone (IndexedDB, field.js) are sent from
   it when the signal is back. Nothing else is kept: not the API, not photos, not POSTs. */
"use strict";

var CACHE = "anjian-field-v1";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) {
        return caches.delete(n);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function kept(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/api/") !== 0
    && url.pathname.indexOf("/photos/") < 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !kept(new URL(request.url))) return;
  event.respondWith(
    fetch(request).then(function (response) {
      // Only a page really served (not a redirect to the sign-in page) is worth keeping.
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) { return hit || Response.error(); });
    })
  );
});
