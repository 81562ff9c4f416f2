"""Who may change a photo of the library (`may_change_photo`).

Editors change any photo (the "change any photo" right, `photos.change_any_image`). A reporter
changes only a photo they uploaded themselves, and only while no use of it is locked: an app that
shows photos says which uses lock a photo against its uploader (articles: a lead photo of an
article that has gone to the editors or to readers) by registering a check here, since photos
knows nothing of the apps built on it.
"""

_lock_checks = []


def register_lock(check):
    """Add `check(image) -> bool`: True when some use of `image` keeps its uploader from
    changing it. Apps register their checks in AppConfig.ready()."""
    if check not in _lock_checks:
        _lock_checks.append(check)


def is_locked(image):
    return any(check(image) for check in _lock_checks)


def may_change_photo(user, image):
    """Whether `user` may change this photo: its caption, credit, alt text or file.

    Anyone without the "change photo" permission changes none. Deleting asks the same, on top
    of the "delete photo" permission, which reporters do not have.
    """
    if not (user.is_active and user.is_staff and user.has_perm("photos.change_image")):
        return False
    if user.has_perm("photos.change_any_image"):
        return True
    return (
        image.uploaded_by_id is not None
        and image.uploaded_by_id == user.pk
        and not is_locked(image)
    )
