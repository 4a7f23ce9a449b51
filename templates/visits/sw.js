{% load static %}// EdLead's service worker for school visits (scope /visits/): a visit's page and the files it needs are
// kept in the browser's cache, so a visitor on a tablet with no connection can open the page again and
// go on writing notes (the page keeps them in local storage and sends them when the connection returns).
// Only GET requests are served from the cache, and only when the network fails; writes always go out.
"use strict";
var CACHE = "edlead-visits-v1";
var FILES = [
  "{% static 'uswds/css/uswds.min.css' %}",
  "{% static 'uswds/js/uswds-init.min.js' %}",
  "{% static 'uswds/js/uswds.min.js' %}",
  "{% static 'htmx/htmx.min.js' %}",
  "{% static 'edlead/edlead.css' %}",
  "{% static 'edlead/visit-offline.js' %}",
  "{% static 'edlead/favicon.svg' %}"
];
var STATIC = "{% get_static_prefix %}";
var VISIT_PAGE = /^\/visits\/\d+\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE && k.indexOf("edlead-visits-") === 0; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = VISIT_PAGE.test(url.pathname);
  if (!page && url.pathname.indexOf(STATIC) !== 0) { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && page) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(page ? url.pathname : request, { ignoreSearch: page }).then(function (hit) {
        return hit || new Response("You are offline and this page was not kept on this device.", {
          status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
        });
      });
    })
  );
});
