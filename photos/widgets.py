"""The photo picker: a form field that chooses a library photo by its thumbnail.

It shows the library's newest photos as thumbnails with their captions, a search over the whole
library and the photo chosen. The field itself stays a `<select>` that holds only the chosen
photo: a post carries the photo's id as any select does, and the admin's "+" (upload a photo in a
pop-up, Django's RelatedObjectLookups.js) adds the new photo to it and selects it.

A page reads the newest photos in one query, and the chosen one, when it is older, in one more.
Each thumbnail is a rendition named in the photo's own row (`Image.renditions`), so no thumbnail
costs a query or a look-up in storage. The search is `PhotoChoicesView`, which whoever uses the
picker routes (the article admin does) and passes as `search_url`.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views import View

from newsroom.admin import could_be_row_id
from photos.models import Image

# Two rows of thumbnails on a desktop form.
RECENT_PHOTOS = 12
# What one search answers at most: the newest matches.
SEARCH_RESULTS = 24
# A search term longer than any caption is cut there.
LONGEST_TERM = 200
# The columns a thumbnail card shows.
CARD_FIELDS = ["id", "file", "caption", "credit", "alt_text", "width", "height", "renditions"]


def photo_card(image):
    """What the picker shows of a photo, for its template and for its search's JSON answer."""
    url, width, height = image.smallest_size()
    return {
        "id": image.pk,
        "label": str(image),
        "caption": image.caption,
        "credit": image.credit,
        "alt": image.alt_text,
        "thumb": url,
        "thumb_width": width,
        "thumb_height": height,
        "size": f"{image.width}×{image.height}" if image.width else "",
    }


def photo_id(value):
    """The id a posted or initial value names, or None (garbage and impossible ids)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value in (None, "") or not could_be_row_id(value):
        return None
    return int(str(value))


class PhotoPicker(forms.Widget):
    """Chooses one library photo (see the module's docstring). `search_url`: the address of a
    `PhotoChoicesView`."""

    template_name = "photos/widgets/photo_picker.html"
    # A ModelChoiceField hands its widget the choices (every photo); the picker never reads
    # them: it shows the newest photos and the chosen one through its own small queries.
    choices = ()

    class Media:
        css = {"all": ["photos/photo_picker.css"]}
        # Django's own pop-ups talk to the field through jQuery events (django.jQuery).
        js = [
            "admin/js/vendor/jquery/jquery.js",
            "admin/js/jquery.init.js",
            "photos/photo_picker.js",
        ]

    def __init__(self, attrs=None, *, search_url, recent=RECENT_PHOTOS):
        super().__init__(attrs)
        self.search_url = search_url
        self.recent = recent

    def id_for_label(self, id_):
        # The field's label names the search box: the <select> itself is hidden.
        return f"{id_}_search" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen_id = photo_id(value)
        recent = list(
            Image.objects.only(*CARD_FIELDS).order_by("-created_at", "-pk")[: self.recent]
        )
        chosen = next((image for image in recent if image.pk == chosen_id), None)
        if chosen is None and chosen_id is not None:
            chosen = Image.objects.only(*CARD_FIELDS).filter(pk=chosen_id).first()
        context["picker"] = {
            "chosen": photo_card(chosen) if chosen else None,
            "recent": [photo_card(image) for image in recent],
            "search_url": str(self.search_url),
            "search_id": self.id_for_label(context["widget"]["attrs"].get("id")),
        }
        return context


class PhotoChoicesView(View):
    """The picker's search: `?q=` the newest photos matching it, as the photo library's own
    search finds them (`ImageAdmin.search_fields`), or `?id=` the one photo named; as the cards
    the picker draws, in JSON. For whoever may list the photo library; one query."""

    admin_site = None

    def get(self, request):
        image_admin = self.admin_site.get_model_admin(Image)
        if not image_admin.has_view_permission(request):
            raise PermissionDenied
        images = image_admin.get_queryset(request).only(*CARD_FIELDS)
        if "id" in request.GET:
            chosen_id = photo_id(request.GET["id"])
            images = images.filter(pk=chosen_id) if chosen_id else images.none()
        else:
            # PostgreSQL refuses a NUL character in a query's text.
            term = request.GET.get("q", "")[:LONGEST_TERM].replace("\x00", "").strip()
            if term:
                images, _duplicates = image_admin.get_search_results(request, images, term)
        images = images.order_by("-created_at", "-pk")[:SEARCH_RESULTS]
        return JsonResponse({"results": [photo_card(image) for image in images]})
