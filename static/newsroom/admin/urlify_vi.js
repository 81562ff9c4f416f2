// Django's URLify drops Vietnamese accented letters ("Nẵng" -> "nng") and spells "đ" as "dj".
// Strip the accents and map đ -> d first, so that the slug shown to the reporter is the one the
// server makes (newsroom/slugs.py). Loaded after admin/js/urlify.js (see the admins' Media).
'use strict';
(function() {
    const djangoURLify = window.URLify;
    if (!djangoURLify) {
        return;
    }
    window.URLify = function(text, numChars, allowUnicode) {
        const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
            .replace(/đ/g, 'd').replace(/Đ/g, 'D');
        return djangoURLify(ascii, numChars, allowUnicode);
    };
})();
