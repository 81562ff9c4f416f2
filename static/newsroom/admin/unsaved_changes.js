// The article form keeps what was typed: the workflow steps save it first (they belong to the
// form), but the page has other ways out — the preview-link forms, links, closing the tab.
// Before any of them throws away changes not saved yet, the person is asked.
(function () {
  'use strict';
  var MESSAGE = 'Bài có thay đổi chưa lưu. Nếu tiếp tục, những thay đổi đó sẽ mất.';

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('article_form');
    if (!form) { return; }
    var typed = false;
    var leavingOnPurpose = false;

    // Inputs may sit outside the form and belong to it (form="article_form"): listen on the
    // document and ask each event's element which form it belongs to.
    function noteTyping(event) {
      if (event.target && event.target.form === form) { typed = true; }
    }
    document.addEventListener('input', noteTyping);
    document.addEventListener('change', noteTyping);

    function editorChanged() {
      var editors = (window.CKEDITOR && window.CKEDITOR.instances) || {};
      return Object.keys(editors).some(function (name) { return editors[name].checkDirty(); });
    }

    function hasChanges() { return typed || editorChanged(); }

    // Capture phase: decide before any other form's own handlers run.
    document.addEventListener('submit', function (event) {
      if (event.target === form) { leavingOnPurpose = true; return; }
      if (!hasChanges()) { return; }
      if (window.confirm(MESSAGE + ' Vẫn tiếp tục?')) {
        leavingOnPurpose = true;
      } else {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);

    window.addEventListener('beforeunload', function (event) {
      if (leavingOnPurpose || !hasChanges()) { return; }
      event.preventDefault();
      event.returnValue = MESSAGE;
    });
  });
})();
