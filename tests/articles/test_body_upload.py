from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import image_bytes

UPLOAD_URL = "/ckeditor/upload/"


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user("phongvien", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_editor_upload_stores_a_real_photo_under_a_random_name(staff_client, media_root):
    upload = SimpleUploadedFile("Ảnh hiện trường.jpg", image_bytes(), "image/jpeg")
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 200
    data = response.json()
    assert data["uploaded"] == "1"
    assert data["url"].startswith("/media/uploads/")
    stored = Path(media_root) / data["url"].removeprefix("/media/")
    assert stored.exists()
    assert "hien-truong" not in stored.name


def test_editor_upload_refuses_a_renamed_text_file(staff_client, media_root):
    upload = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = staff_client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 400
    assert "không phải là ảnh" in response.json()["error"]["message"]
    assert not Path(media_root).exists() or not any(Path(media_root).rglob("*.jpg"))


def test_editor_upload_dialog_gets_its_error_through_the_callback(staff_client):
    upload = SimpleUploadedFile("anh.png", b"GIF89a-broken", "image/png")
    response = staff_client.post(f"{UPLOAD_URL}?CKEditorFuncNum=3", {"upload": upload})
    assert response.status_code == 400
    assert b"callFunction(3, ''" in response.content


def test_editor_upload_without_a_file_is_a_clear_400(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Không có tệp nào được gửi lên."


def test_readers_cannot_upload(client, db):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    response = client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_upload_answers_only_post(staff_client):
    assert staff_client.get(UPLOAD_URL).status_code == 405
