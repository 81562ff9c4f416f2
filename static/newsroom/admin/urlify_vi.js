// Django's URLify maps "đ" to "dj" (the Serbian spelling). Vietnamese wants "d": wrap URLify so the
// slug typed for the reporter matches the one the server makes (newsroom/slugs.py).
'use strict';
(function() {
    const djangoURLify = window.URLify;
    if (!djangoURLify) {
        return;
    }
    window.URLify = function(text, numChars, allowUnicode) {
        return djangoURLify(text.replace(/đ/g, 'd').replace(/Đ/g, 'D'), numChars, allowUnicode);
    };
})();
