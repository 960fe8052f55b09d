// Live inbox: one EventSource per tab of the browser. When the server says a conversation changed, every
// element on the page marked data-live-url is re-fetched (only the one for that conversation, when it names
// one). Pages swapped in by hx-boost are picked up too, since elements are looked up on each event.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="switchboard-stream"]');
  if (!meta || !window.EventSource) {
    return;
  }
  var pending = {};
  var timer = null;

  function refresh(conversationId) {
    document.querySelectorAll("[data-live-url]").forEach(function (element) {
      var only = element.getAttribute("data-live-conversation");
      if (!conversationId || !only || only === conversationId) {
        pending[element.id] = element.getAttribute("data-live-url");
      }
    });
    // a burst of changes (message + status + counts) becomes one fetch per region
    clearTimeout(timer);
    timer = setTimeout(flush, 150);
  }

  function flush() {
    var regions = pending;
    pending = {};
    Object.keys(regions).forEach(function (id) {
      if (!document.getElementById(id)) {
        return;
      }
      fetch(regions[id], { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected || !response.ok) {
            return null; // signed out or gone: leave the page as it is
          }
          return response.text();
        })
        .then(function (html) {
          var current = document.getElementById(id);
          if (html && current) {
            var holder = document.createElement("template");
            holder.innerHTML = html.trim();
            var fresh = holder.content.firstElementChild;
            if (fresh) {
              current.replaceWith(fresh);
              if (window.htmx) {
                window.htmx.process(fresh);
              }
              localizeTimes(fresh);
            }
          }
        })
        .catch(function () { /* the next change or reconnect refreshes again */ });
    });
  }

  function localizeTimes(root) {
    var lang = document.documentElement.lang || undefined;
    root.querySelectorAll("time[datetime]").forEach(function (time) {
      var date = new Date(time.getAttribute("datetime"));
      if (!isNaN(date)) {
        time.textContent = date.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
        time.title = date.toISOString();
      }
    });
  }

  var source = new EventSource(meta.getAttribute("content"));
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-stream", "open");
    // anything that changed while we were (re)connecting
    refresh(null);
  });
  source.addEventListener("error", function () {
    document.documentElement.setAttribute("data-stream", "reconnecting");
  });
  source.addEventListener("changed", function (event) {
    var change = {};
    try { change = JSON.parse(event.data); } catch (ignored) { }
    refresh(change.conversation_id || null);
  });
  window.addEventListener("pagehide", function () { source.close(); });

  function ready() {
    localizeTimes(document);
  }
  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("htmx:afterSettle", function (event) { localizeTimes(event.target); });
  if (document.readyState !== "loading") {
    ready();
  }
})();
