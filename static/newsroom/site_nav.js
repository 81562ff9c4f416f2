// The section menu (templates/includes/site_header.html) scrolls sideways on a narrow screen.
// Mark which ends have more sections beyond them (site.css draws a fade there, and an arrow at
// the end), and bring the current section into view. An IntersectionObserver reports after the
// browser's own layout, so the page is never laid out an extra time for this.
(function () {
  "use strict";
  var nav = document.querySelector(".site-nav");
  var list = nav && nav.querySelector("ul");
  if (!list || !list.firstElementChild || !("IntersectionObserver" in window)) {
    return;
  }
  var first = list.firstElementChild;
  var last = list.lastElementChild;
  var current = list.querySelector('[aria-current="page"]');
  var item = current && current.closest("li");
  var placed = false;

  function centre() {
    // Scroll the menu only, never the page (scrollIntoView would).
    list.scrollLeft = item.offsetLeft - (list.clientWidth - item.offsetWidth) / 2;
  }

  var watcher = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        var hidden = entry.intersectionRatio < 0.99;
        if (entry.target === first) {
          nav.classList.toggle("site-nav--more-before", hidden);
        }
        if (entry.target === last) {
          nav.classList.toggle("site-nav--more-after", hidden);
        }
        if (entry.target === item && !placed) {
          placed = true;
          if (hidden) {
            centre();
          }
        }
      });
    },
    { root: list, threshold: [0.99] }
  );
  watcher.observe(first);
  watcher.observe(last);
  if (item) {
    watcher.observe(item);
  }
})();
