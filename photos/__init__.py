"""The photo library. `photos.store(upload, *, by, ...)` adds a photo to it and
`photos.replace_file(image, upload, *, by)` gives a stored photo a new file: both live in
`photos.library`, and are reached from here lazily, because this package is imported while
Django loads its apps, before `photos.library` (which imports the models) may be."""

_SERVICES = {"store", "replace_file"}


def __getattr__(name):
    if name in _SERVICES:
        from photos import library

        return getattr(library, name)
    raise AttributeError(f"module 'photos' has no attribute {name!r}")
