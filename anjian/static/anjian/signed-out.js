/* On the sign-in page: forget the copy of the field page its service worker kept
   (field-sw.js), so the next person on a shared phone never opens the last one's page without
   signal. Visits still waiting on the phone (IndexedDB) are kept: they carry their user and are
   sent only by that user. */
"use strict";
(function () {
  if (!("caches" in window)) return;
  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("anjian-field") === 0; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { document.documentElement.dataset.fieldCopy = "forgotten"; })
    .catch(function () {});
})();
