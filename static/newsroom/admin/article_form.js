// The article form (articles/admin/): a live character count under the title and the sapo, and
// the bylines right after them, ahead of the body (Django draws inlines after every fieldset).
(function () {
  'use strict';

  // Characters as readers see them: "ệ" typed as e + two combining marks counts once.
  function characters(text) {
    return Array.from(text.normalize('NFC')).length;
  }

  function addCounter(field) {
    var limit = Number(field.dataset.counterLimit);
    var counter = document.createElement('div');
    counter.className = 'char-counter';
    counter.id = field.id + '_counter';
    field.insertAdjacentElement('afterend', counter);
    var described = field.getAttribute('aria-describedby');
    field.setAttribute('aria-describedby', (described ? described + ' ' : '') + counter.id);

    function update() {
      var count = characters(field.value);
      var over = count > limit;
      counter.textContent = field.dataset.counterText
        .replace('{count}', count)
        .replace('{limit}', limit) + (over ? ' — ' + field.dataset.counterOver : '');
      counter.classList.toggle('char-counter--over', over);
    }
    field.addEventListener('input', update);
    update();
  }

  function bylinesAfterTitle(form) {
    var bylines = document.getElementById('bylines-group');
    var first = form.querySelector('fieldset.module');
    if (bylines && first && first.nextElementSibling !== bylines) {
      first.after(bylines);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('article_form');
    if (!form) { return; }
    bylinesAfterTitle(form);
    Array.prototype.forEach.call(form.querySelectorAll('[data-counter-limit]'), addCounter);
  });
})();
