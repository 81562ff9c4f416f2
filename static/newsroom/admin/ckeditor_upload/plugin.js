// Send Django's CSRF token with every upload the editor makes (the image dialog's "Tải lên" tab,
// and any pasted or dropped file), so that /ckeditor/upload/ needs no csrf_exempt. CKEditor's
// filetools plugin opens each request at priority 5 and sends it at 999 (with the headers of
// config.fileTools_requestHeaders); this listener sets the header in between, reading the token
// when the upload starts, so that a sign-in in another tab (a new token) does not break it.
// Registered as an external plugin by CKEDITOR_CONFIGS in newsroom/settings.py.
'use strict';
(function() {
    function csrfToken() {
        const cookie = document.cookie.split('; ').find(function(part) {
            return part.indexOf('csrftoken=') === 0;
        });
        if (cookie) {
            return decodeURIComponent(cookie.slice('csrftoken='.length));
        }
        // CSRF_COOKIE_HTTPONLY or CSRF_USE_SESSIONS: the token of the admin's own form.
        const field = document.querySelector('input[name=csrfmiddlewaretoken]');
        return field ? field.value : '';
    }

    CKEDITOR.plugins.add('csrfupload', {
        requires: 'filetools',
        init: function(editor) {
            editor.on('fileUploadRequest', function(event) {
                event.data.fileLoader.xhr.setRequestHeader('X-CSRFToken', csrfToken());
            }, null, null, 6);
        }
    });
})();
