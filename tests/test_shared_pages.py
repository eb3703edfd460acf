"""A page one worker rendered is not rendered again by another worker of the same build."""

from __future__ import annotations

from server.web.app import create_app
from server.web.http.shared_pages import SharedPages
from server.web.views import linked_data

PAGE = "/page/organisation/etela-savo?lang=sv"


def _renders(monkeypatch) -> list[str]:
    """Count the renderings of resource pages, whichever app (worker) does them."""
    seen: list[str] = []
    real = linked_data.resource_page

    def counting(build, iri, path, langs):
        seen.append(iri)
        return real(build, iri, path, langs)

    monkeypatch.setattr(linked_data, "resource_page", counting)
    return seen


def test_a_second_worker_reads_the_first_ones_rendering(real_settings, monkeypatch):
    renders = _renders(monkeypatch)
    first, second = create_app(real_settings), create_app(real_settings)  # two workers, one build
    try:
        one = first.test_client(use_cookies=False).get(PAGE, headers={"Accept-Encoding": "identity"})
        two = second.test_client(use_cookies=False).get(PAGE, headers={"Accept-Encoding": "identity"})
        assert one.status_code == two.status_code == 200
        assert two.data == one.data and two.headers["ETag"] == one.headers["ETag"]
        assert renders.count("https://w3id.org/strategiaverkko/id/organisation/etela-savo") <= 1
    finally:
        for app in (first, second):
            app.extensions["strategiaverkko.pool"].close()


def test_with_the_shared_cache_off_each_worker_renders_for_itself(real_settings, monkeypatch):
    renders = _renders(monkeypatch)
    settings = {**real_settings, "shared_page_bytes": 0}
    apps = [create_app(settings), create_app(settings)]
    try:
        for app in apps:
            assert app.test_client(use_cookies=False).get("/page/organisation/etela-karjala?lang=en").status_code == 200
        assert renders.count("https://w3id.org/strategiaverkko/id/organisation/etela-karjala") == 2
    finally:
        for app in apps:
            app.extensions["strategiaverkko.pool"].close()


def test_the_file_is_bounded_and_a_full_file_only_stops_sharing(tmp_path):
    pages = SharedPages(tmp_path, max_bytes=64 * 1024)
    kept = []
    for n in range(40):
        body = bytes([n % 251]) * 8000
        pages.put(("page", str(n)), body)
        kept.append(pages.get(("page", str(n))) == body)
    assert kept[0] and not kept[-1]  # the first are shared; past the bound nothing more is
    assert (tmp_path / "pages.sqlite").stat().st_size <= 64 * 1024
    assert pages.get(("page", "0")) == bytes([0]) * 8000


def test_an_unwritable_build_folder_turns_sharing_off_without_an_error(tmp_path):
    pages = SharedPages(tmp_path / "missing" / "folder", max_bytes=1_000_000)
    pages.put(("page", "x"), b"body")
    assert pages.get(("page", "x")) is None and pages.enabled is False


def test_workers_with_other_settings_do_not_share(real_settings):
    # A catalog page of one item is not the catalog page of fifty: the settings are part of the key.
    small, large = create_app({**real_settings, "catalog_page_size": 1}), create_app(real_settings)
    try:
        one = small.test_client(use_cookies=False).get("/catalog", headers={"Accept": "text/turtle"})
        all_of_it = large.test_client(use_cookies=False).get("/catalog", headers={"Accept": "text/turtle"})
        assert b"hydra" in one.data and b"hydra" not in all_of_it.data
    finally:
        for app in (small, large):
            app.extensions["strategiaverkko.pool"].close()
