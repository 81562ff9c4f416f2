// The workflow panel (templates/admin/articles/article/workflow_panel.html).
//
// - Time inputs are typed day first ("05/11/2026 09:45"), whatever the browser's locale, and
//   say how long until the article goes live or comes down, in the newsroom's time zone and by
//   the server's clock, as the person types. The server reads the same formats
//   (articles/admin/workflow.py, parse_local_datetime) and says the same (time_hint).
// - "Xuất bản" asks first, in a dialog showing the public address and, when the article has no
//   lead photo, saying so. Without this script the button publishes at once, as before.
// - The no-lead-photo warning follows the lead photo chosen in the form.
(function () {
  'use strict';

  var MINUTE = 60 * 1000;

  function pad(number) { return (number < 10 ? '0' : '') + number; }

  // The offset (ms) of `timeZone` from UTC at the instant `epoch`.
  function zoneOffset(epoch, timeZone) {
    var parts = {};
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
    }).formatToParts(new Date(epoch)).forEach(function (part) { parts[part.type] = +part.value; });
    var asUTC = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute,
      parts.second);
    return asUTC - Math.floor(epoch / 1000) * 1000;
  }

  // The instant a wall-clock time names in `timeZone`.
  function zonedEpoch(fields, timeZone) {
    var wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute,
      fields.second);
    var epoch = wall - zoneOffset(wall, timeZone);
    var again = wall - zoneOffset(epoch, timeZone);
    return again === epoch ? epoch : again;
  }

  var DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;
  var ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;

  // What was typed, as wall-clock fields; null when it is not a time the server would read.
  function parseTyped(text) {
    var value = text.trim();
    var match = DAY_FIRST.exec(value);
    var fields;
    if (match) {
      fields = { day: +match[1], month: +match[2], year: +match[3],
        hour: +(match[4] || 0), minute: +(match[5] || 0), second: +(match[6] || 0) };
    } else {
      match = ISO.exec(value);
      if (!match) { return null; }
      fields = { year: +match[1], month: +match[2], day: +match[3],
        hour: +(match[4] || 0), minute: +(match[5] || 0), second: +(match[6] || 0) };
    }
    var check = new Date(Date.UTC(fields.year, fields.month - 1, fields.day));
    if (fields.month < 1 || fields.month > 12 || check.getUTCDate() !== fields.day ||
        check.getUTCMonth() !== fields.month - 1 || fields.hour > 23 || fields.minute > 59 ||
        fields.second > 59) {
      return null;
    }
    return fields;
  }

  function delayText(milliseconds) {
    var minutes = Math.ceil(milliseconds / MINUTE);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    var parts = [];
    if (days) { parts.push(days + ' ngày'); }
    if (hours) { parts.push(hours + ' giờ'); }
    if (rest) { parts.push(rest + ' phút'); }
    return parts.join(' ');
  }

  function exampleTime(now, timeZone) {
    // The next round quarter hour at least five minutes ahead, as the server prefills it.
    var earliest = now + 5 * MINUTE;
    var moment = Math.ceil(earliest / MINUTE) * MINUTE;
    var wall = new Date(moment + zoneOffset(moment, timeZone));
    var minute = wall.getUTCMinutes();
    wall = new Date(wall.getTime() + ((15 - (minute % 15)) % 15) * MINUTE);
    return pad(wall.getUTCDate()) + '/' + pad(wall.getUTCMonth() + 1) + '/' +
      wall.getUTCFullYear() + ' ' + pad(wall.getUTCHours()) + ':' + pad(wall.getUTCMinutes());
  }

  function hintFor(value, kind, now, timeZone) {
    if (!value.trim()) { return kind === 'unpublish' ? 'Để trống nếu bài không tự gỡ.' : ''; }
    var fields = parseTyped(value);
    if (!fields) {
      return 'Hãy nhập theo dạng ngày/tháng/năm giờ:phút, ví dụ ' +
        exampleTime(now, timeZone) + '.';
    }
    var delay = zonedEpoch(fields, timeZone) - now;
    if (delay <= 0) { return 'Thời điểm này đã qua.'; }
    return (kind === 'unpublish' ? 'Sẽ gỡ khỏi trang sau ' : 'Sẽ lên trang sau ') +
      delayText(delay);
  }

  function setUpTimes(panel, clock) {
    var inputs = panel.querySelectorAll('input[data-time-kind]');
    function refresh(input) {
      var hint = document.getElementById(input.getAttribute('aria-describedby'));
      if (hint) {
        hint.textContent = hintFor(input.value, input.dataset.timeKind, clock(), clock.timeZone);
      }
    }
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener('input', function () { refresh(input); });
    });
    // "In 15 minutes" becomes "in 14 minutes" while the page stays open.
    window.setInterval(function () { Array.prototype.forEach.call(inputs, refresh); }, 20000);
  }

  // The lead photo chosen in the edit form, if the page has one; else what the server said.
  function leadPhotoField() {
    var form = document.getElementById('article_form');
    return form ? form.elements.namedItem('lead_image') : null;
  }

  function setUpLeadPhotoWarning(panel) {
    var warnings = document.querySelectorAll('[data-no-lead-photo]');
    var field = leadPhotoField();
    if (!field || !warnings.length) { return function () {}; }
    function refresh() {
      var missing = !field.value;
      Array.prototype.forEach.call(warnings, function (warning) { warning.hidden = !missing; });
    }
    field.addEventListener('change', refresh);
    field.addEventListener('input', refresh);
    // The admin's autocomplete (select2) announces a choice through jQuery only.
    if (window.django && window.django.jQuery) { window.django.jQuery(field).on('change', refresh); }
    return refresh;
  }

  function setUpConfirmation(panel, refreshWarning) {
    var dialog = document.getElementById('wf-confirm-publish');
    if (!dialog || typeof dialog.showModal !== 'function') { return; }
    var address = dialog.querySelector('[data-public-url]');
    var savedSlug = address ? address.dataset.slug : '';
    var unpublishLine = dialog.querySelector('[data-confirm-unpublish]');
    var pending = null;

    function shownAddress() {
      var slugField = document.getElementById('id_slug');
      var url = address.dataset.url;
      var typed = slugField ? slugField.value.trim() : '';
      if (typed && typed !== savedSlug && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(typed)) {
        var at = url.lastIndexOf('/' + savedSlug + '-');
        if (at !== -1) {
          url = url.slice(0, at + 1) + typed + url.slice(at + 1 + savedSlug.length);
        }
      }
      return url;
    }

    panel.addEventListener('click', function (event) {
      var button = event.target.closest('[data-confirm-publish]');
      if (!button || button.disabled) { return; }
      event.preventDefault();
      pending = button;
      address.textContent = shownAddress();
      refreshWarning();
      var unpublish = document.getElementById(button.dataset.unpublishInput || '');
      if (unpublishLine) {
        var typed = unpublish ? unpublish.value.trim() : '';
        unpublishLine.hidden = !typed;
        unpublishLine.querySelector('strong').textContent = typed;
      }
      dialog.showModal();
    });
    dialog.querySelector('[data-confirm]').addEventListener('click', function () {
      var button = pending;
      dialog.close();
      if (button && button.form) {
        button.form.requestSubmit(button);
      }
    });
    dialog.querySelector('[data-cancel]').addEventListener('click', function () {
      dialog.close();
    });
    dialog.addEventListener('close', function () {
      if (pending) { pending.focus(); }
    });
  }

  function setUpSharedLinks() {
    Array.prototype.forEach.call(document.querySelectorAll('input[data-select-on-focus]'),
      function (input) { input.addEventListener('focus', function () { input.select(); }); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var panel = document.querySelector('.workflow[data-time-zone]');
    setUpSharedLinks();
    if (!panel) { return; }
    // The server's clock, not the browser's: a wrong clock on the desk must not say "in 2
    // hours" of a time that is already past for the site.
    var skew = (+panel.dataset.now || Date.now()) - Date.now();
    var clock = function () { return Date.now() + skew; };
    clock.timeZone = panel.dataset.timeZone;
    setUpTimes(panel, clock);
    setUpConfirmation(panel, setUpLeadPhotoWarning(panel));
  });
})();
