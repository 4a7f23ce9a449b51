// School visit notes that are never lost. Every change to the notes form is kept in this browser's
// local storage at once; the form autosaves with htmx as usual, and when a save cannot reach the server
// (no connection) the page says so and sends the kept notes as soon as the connection returns — also
// after the tablet was closed and the page opened again (the service worker serves it from its cache).
// The kept copy is removed only once the server has saved exactly what it holds.
(function () {
  "use strict";
  var form = document.getElementById("visit-notes-form");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-offline-key");
  var line = document.getElementById("visit-offline");
  var sent = null;

  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "keep_mine") { data[el.name] = el.value; }
    });
    return data;
  }
  function content(data) {
    var copy = {};
    Object.keys(data).sort().forEach(function (k) { if (k !== "version") { copy[k] = data[k]; } });
    return JSON.stringify(copy);
  }
  function say(text) { if (line) { line.textContent = text; } }
  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ fields: snapshot(), at: new Date().toISOString() }));
    } catch (e) {
      say("This device could not keep a copy of your notes (its storage is full): stay connected until they are saved.");
    }
  }
  function kept() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function send() {
    if (navigator.onLine !== false && window.htmx) { window.htmx.trigger(form, "submit"); }
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("htmx:configRequest", function () { sent = content(snapshot()); });
  form.addEventListener("htmx:sendError", function () {
    keep();
    say("No connection: your notes are kept on this device and will be saved when the connection returns.");
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) { return; }
    var status = document.getElementById("visit-status");
    if (status && /^Not saved/.test(status.textContent)) {
      say("Your notes are still kept on this device.");
      return;
    }
    if (sent !== null && content(snapshot()) === sent) {
      localStorage.removeItem(key);
      say("");
    }
  });
  window.addEventListener("online", function () {
    if (kept()) { say("Connection back: saving the notes kept on this device…"); send(); }
  });
  window.addEventListener("offline", function () {
    say("No connection: keep writing — your notes are kept on this device.");
  });

  var draft = kept();
  if (draft && draft.fields) {
    var here = snapshot();
    if (content(draft.fields) !== content(here)) {
      Object.keys(draft.fields).forEach(function (name) {
        var el = form.elements[name];
        if (el && typeof el.value !== "undefined") { el.value = draft.fields[name]; }
      });
      say("Restored notes kept on this device" + (navigator.onLine === false ? " — they will be saved when the connection returns." : "; saving them now…"));
      send();
    } else {
      localStorage.removeItem(key);
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.getAttribute("data-sw"), { scope: form.getAttribute("data-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () {
        if (window.caches) { return caches.open("edlead-visits-v1").then(function (c) { return c.add(window.location.pathname); }); }
      })
      .catch(function () { /* no service worker: notes are still kept in local storage */ });
  }
})();
