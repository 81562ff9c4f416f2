// The photo picker (photos/widgets.py): the library's newest photos as thumbnails, a search over
// the whole library, and the photo chosen. The field is the hidden <select>, which holds only the
// chosen photo. Choosing a thumbnail puts it there; so does the admin's "+" (Django's pop-up adds
// the new photo to the select and triggers a jQuery "change"), after which the picker asks its
// search for the new photo's thumbnail.
(function () {
  'use strict';
  var SEARCH_DELAY_MS = 250;

  function cardFromButton(button) {
    var data = button.dataset;
    return {
      id: data.photoId,
      label: data.label,
      credit: data.credit,
      size: data.size,
      thumb: data.thumb,
      thumb_width: data.thumbWidth,
      thumb_height: data.thumbHeight
    };
  }

  function creditLine(card) {
    return [card.credit, card.size].filter(Boolean).join(' · ');
  }

  function setPicture(img, card) {
    img.src = card.thumb;
    img.width = Number(card.thumb_width) || 0;
    img.height = Number(card.thumb_height) || 0;
  }

  function initPicker(root) {
    var select = root.querySelector('select');
    var grid = root.querySelector('[data-grid]');
    var search = root.querySelector('[data-search]');
    var status = root.querySelector('[data-status]');
    var chosenBox = root.querySelector('[data-chosen]');
    var emptyNote = root.querySelector('[data-empty]');
    var template = root.querySelector('template[data-card-template]');
    var cards = {};
    var recentItems = Array.prototype.slice.call(grid.children);
    var searchTimer = null;
    var lastSearch = 0;

    Array.prototype.forEach.call(grid.querySelectorAll('[data-photo-id]'), function (button) {
      cards[button.dataset.photoId] = cardFromButton(button);
    });
    var chosenOption = select.querySelector('option[value]:checked');
    if (chosenOption && chosenOption.value && !cards[chosenOption.value]) {
      var chosenImg = chosenBox.querySelector('[data-chosen-thumb]');
      cards[chosenOption.value] = {
        id: chosenOption.value,
        label: chosenOption.textContent,
        credit: root.querySelector('[data-chosen-credit]').textContent,
        size: '',
        thumb: chosenImg.getAttribute('src'),
        thumb_width: chosenImg.getAttribute('width'),
        thumb_height: chosenImg.getAttribute('height')
      };
    }

    function text(name, term) {
      return (root.dataset['text' + name] || '').replace('{term}', term || '');
    }

    function markPressed() {
      Array.prototype.forEach.call(grid.querySelectorAll('[data-photo-id]'), function (button) {
        button.setAttribute('aria-pressed', String(button.dataset.photoId === select.value));
      });
    }

    function showChosen() {
      var card = cards[select.value];
      chosenBox.hidden = !card;
      emptyNote.hidden = Boolean(select.value);
      if (card) {
        setPicture(chosenBox.querySelector('[data-chosen-thumb]'), card);
        chosenBox.querySelector('[data-chosen-caption]').textContent = card.label;
        chosenBox.querySelector('[data-chosen-credit]').textContent = creditLine(card);
      }
      markPressed();
    }

    function request(params) {
      var url = root.dataset.searchUrl + '?' + new URLSearchParams(params).toString();
      return fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (answer) {
          answer.results.forEach(function (card) { cards[String(card.id)] = card; });
          return answer.results;
        });
    }

    // A photo the picker has no card for yet (one just added through "+"): ask for it.
    function sync() {
      if (!select.value || cards[select.value]) { showChosen(); return; }
      var wanted = select.value;
      request({id: wanted}).then(showChosen, showChosen).then(function () {
        if (wanted === select.value && !cards[wanted]) {
          // Not in the library's list for this person: show its name alone.
          cards[wanted] = {id: wanted, label: select.selectedOptions[0].textContent, thumb: ''};
          showChosen();
        }
      });
    }

    function choose(id) {
      var card = cards[id];
      var option = select.querySelector('option[value="' + CSS.escape(String(id)) + '"]');
      if (!option) {
        option = new Option(card ? card.label : String(id), String(id));
        select.add(option);
      }
      select.value = String(id);
      // A real event: the page's unsaved-changes watch and Django's jQuery handlers both hear it.
      select.dispatchEvent(new Event('change', {bubbles: true}));
    }

    function cardItem(card) {
      var item = template.content.firstElementChild.cloneNode(true);
      var button = item.querySelector('button');
      button.dataset.photoId = card.id;
      button.querySelector('.photo-picker__caption').textContent = card.label;
      button.querySelector('.photo-picker__credit').textContent = card.credit;
      var img = button.querySelector('img');
      img.loading = 'lazy';
      setPicture(img, card);
      return item;
    }

    function showCards(items) {
      grid.replaceChildren.apply(grid, items);
      markPressed();
    }

    function runSearch() {
      var term = search.value.trim();
      var number = ++lastSearch;
      if (!term) {
        status.textContent = text('Recent');
        showCards(recentItems);
        return;
      }
      status.textContent = text('Searching');
      request({q: term}).then(function (results) {
        if (number !== lastSearch) { return; }
        status.textContent = text(results.length ? 'Found' : 'None', term);
        showCards(results.map(cardItem));
      }, function () {
        if (number === lastSearch) { status.textContent = text('Failed'); }
      });
    }

    grid.addEventListener('click', function (event) {
      var button = event.target.closest('[data-photo-id]');
      if (button) { choose(button.dataset.photoId); }
    });
    root.querySelector('[data-clear]').addEventListener('click', function () { choose(''); });
    search.addEventListener('input', function () {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(runSearch, SEARCH_DELAY_MS);
    });
    search.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        window.clearTimeout(searchTimer);
        runSearch();
      }
    });
    window.django.jQuery(select).on('change', sync);

    // The admin's "+" beside the field uploads a photo in a pop-up; it sits with the search.
    var add = document.getElementById('add_' + select.id);
    if (add) {
      add.classList.add('photo-picker__add');
      add.appendChild(document.createTextNode(root.dataset.textAdd || ''));
      root.querySelector('[data-toolbar]').appendChild(add);
    }
    showChosen();
  }

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-photo-picker]'), initPicker);
  });
})();
