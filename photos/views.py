"""The body editor's photo upload, checked as every photo the site stores."""

from ckeditor_uploader.views import upload as ckeditor_upload
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.html import escapejs
from django.views.decorators.http import require_POST

from .library import clean_upload

# The editor's dialog posts its photo by XMLHttpRequest (filebrowserUploadMethod "xhr") with
# Django's CSRF token in a header (static/newsroom/admin/ckeditor_upload/plugin.js) and reads the
# JSON answer. A client that names a callback (CKEditorFuncNum, CKEditor's older form post) gets
# it back inside a <script>, so it must be a plain number: CKEditor's own are small counters.
FUNC_NUM_MAX_DIGITS = 9


@staff_member_required
@permission_required("photos.add_image", raise_exception=True)
@require_POST
def upload_body_image(request):
    """The editor's photo upload, for staff with a newsroom role (reporters and editors may add
    photos). django-ckeditor stores what it is given, so it is given the photo as the library
    cleans every photo (`photos.library.clean_upload`: checked, upright, without metadata,
    named after its real format), or nothing: the editor shows why, in Vietnamese. A callback
    that is not a plain number is refused before anything is read or stored."""
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num and not (
        func_num.isascii() and func_num.isdigit() and len(func_num) <= FUNC_NUM_MAX_DIGITS
    ):
        return HttpResponseBadRequest(
            "CKEditorFuncNum phải là một số.", content_type="text/plain; charset=utf-8"
        )
    upload = request.FILES.get("upload")
    message = None
    if upload is None:
        message = "Không có tệp nào được gửi lên."
    else:
        try:
            request.FILES["upload"] = clean_upload(upload)
        except ValidationError as error:
            message = " ".join(error.messages)
    if message is None:
        return ckeditor_upload(request)
    if func_num:
        # A form post from the editor's "Upload" tab expects a script that reports back to it.
        return HttpResponseBadRequest(
            "<script>window.parent.CKEDITOR.tools.callFunction("
            f"{func_num}, '', '{escapejs(message)}');</script>"
        )
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)
