"""Fixtures for the app's tests: a small HTTP server on 127.0.0.1 standing in for the data's public mirrors."""
import http.server
import threading

import pytest


@pytest.fixture
def server():
    """A small HTTP server on 127.0.0.1 serving a dict path → bytes."""
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            if body is not None:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield files, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def env(tmp_path, monkeypatch, phone_csv):
    """The phone CSV through GLASSTORCH_DATA, an empty working folder, an empty cache, no downloads."""
    monkeypatch.setenv("GLASSTORCH_DATA", str(phone_csv))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("GLASSTORCH_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path
