import pytest

from core.pdf import StaticOnlyFetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/",
        "https://example.org/logo.png",
        "static:../../label_portal/settings/base.py",
    ],
)
def test_pdf_fetcher_refuses_anything_but_static_files_and_data(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_pdf_fetcher_reads_a_static_file():
    response = StaticOnlyFetcher().fetch("static:css/pdf.css")

    assert b"@page" in response.read()


def test_pdf_fetcher_reads_a_data_uri():
    response = StaticOnlyFetcher().fetch("data:text/plain,bonjour")

    assert response.read() == b"bonjour"
