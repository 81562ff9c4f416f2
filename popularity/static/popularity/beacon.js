// Count this article view once the page is shown, even when it came from a cache or a CDN.
// The same reader reloading the same article within 30 minutes is not counted again; that is
// remembered in this browser only (localStorage), nothing about the reader is sent.
(function () {
  'use strict';
  var script = document.currentScript;
  var articleId = script && script.dataset.article;
  var endpoint = script && script.dataset.endpoint;
  if (!articleId || !endpoint) { return; }
  var key = 'newsroom:xem:' + articleId;
  var window30 = 30 * 60 * 1000;

  function send() {
    try {
      var last = Number(localStorage.getItem(key)) || 0;
      if (Date.now() - last < window30) { return; }
      localStorage.setItem(key, String(Date.now()));
    } catch (error) { /* storage off: count the view anyway */ }
    var body = new URLSearchParams({ id: articleId });
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) { return; }
    fetch(endpoint, { method: 'POST', body: body, keepalive: true, credentials: 'omit' })
      .catch(function () { /* never break the page */ });
  }

  if (document.visibilityState === 'visible') {
    send();
  } else {
    document.addEventListener('visibilitychange', function shown() {
      if (document.visibilityState === 'visible') {
        document.removeEventListener('visibilitychange', shown);
        send();
      }
    });
  }
})();
