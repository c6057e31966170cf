"""`clusterbench preview`: build the working tree, serve the site on this machine, and build again on every save.

A lone `clusterbench build` after a one-value edit spends most of its time starting things: a kernel in
each worker, with pandas and Altair imported, and a Typst process per PDF that has memoised nothing yet.
A preview keeps them from one build to the next (a `build.Session`), so the site and the PDFs show an
edit sooner; what each build writes is exactly what `clusterbench build` would write.

A page the preview serves reloads itself after each build: the server adds a small script to each page it
sends (the files stay as built), which asks twice a second how many builds there have been.

A change to the code of `analysis` or `clusterbench` restarts the preview in a fresh process, so that no
kernel or module runs code older than the files.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from clusterbench import build as B

#: How often the files are looked at for a change, in seconds.
POLL = 0.1


class PreviewError(Exception):
    """The preview cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class Changes:
    """What changed between two looks at the files: inputs of the book, or the code that builds it."""

    inputs: tuple[Path, ...] = ()
    code: tuple[Path, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.inputs or self.code)


class Watcher:
    """The modification times and sizes of everything a build reads: the project's files, the data and the code."""

    def __init__(self, root: Path, data_dir: Path):
        self.root, self.data_dir = root, data_dir
        self._seen = self._look()

    def _code(self) -> list[Path]:
        return B.code_files()

    def _look(self) -> dict[Path, tuple[str, int, int]]:
        kinds = [("input", B._project_files(self.root)), ("input", B.files(self.data_dir, ("**/*",))), ("code", self._code())]
        seen = {}
        for kind, paths in kinds:
            for path in paths:
                try:
                    stat = path.stat()
                except OSError:  # gone since it was listed
                    continue
                seen[path] = (kind, stat.st_mtime_ns, stat.st_size)
        return seen

    def changes(self) -> Changes:
        """What changed since the last call (or since the watcher was made): added, edited and deleted files."""
        before, now = self._seen, self._look()
        self._seen = now
        changed = {p: (now.get(p) or before[p])[0] for p in now.keys() | before.keys() if now.get(p) != before.get(p)}
        return Changes(tuple(sorted(p for p, kind in changed.items() if kind == "input")),
                       tuple(sorted(p for p, kind in changed.items() if kind == "code")))

    def settled(self) -> Changes:
        """`changes()`, once the files have stopped changing: an editor may write a file in several steps."""
        found = self.changes()
        while True:
            time.sleep(POLL / 5)
            more = self.changes()
            if not more:
                return found
            found = Changes(tuple(sorted(set(found.inputs) | set(more.inputs))), tuple(sorted(set(found.code) | set(more.code))))


#: What a served page asks for, beside the site: the number of builds so far, and the script that asks
#: for it twice a second and reloads the page when it has changed.
BUILD_PATH, RELOAD_PATH = "/__preview__/build", "/__preview__/reload.js"
_RELOAD_SCRIPT = f"""(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{BUILD_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(function (n) {{
      if (seen !== null && n !== seen) location.reload();
      seen = n;
    }}).catch(function () {{}});
  }}, 500);
}})();
""".encode("utf-8")
_RELOAD_TAG = f'<script src="{RELOAD_PATH}"></script>'.encode("utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The site's files as they are, but each page with the reload script (in the response, not the file)."""

    def __init__(self, *args, builds: list[int], **kwargs):
        self.builds = builds
        super().__init__(*args, **kwargs)

    def do_GET(self):
        route = urllib.parse.urlsplit(self.path).path
        if route == BUILD_PATH:
            return self._send(str(self.builds[0]).encode("ascii"), "text/plain")
        if route == RELOAD_PATH:
            return self._send(_RELOAD_SCRIPT, "text/javascript")
        page = Path(self.translate_path(self.path))
        if route.endswith("/"):
            page = page / "index.html"
        if page.suffix == ".html" and page.is_file():
            body = page.read_bytes()
            end = body.rfind(b"</body>")
            return self._send(body[:end] + _RELOAD_TAG + body[end:] if end >= 0 else body + _RELOAD_TAG,
                              "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # the terminal is for the builds
        pass


def serve(site: Path, port: int, builds: list[int]) -> http.server.ThreadingHTTPServer:
    """The site, served from localhost in a background thread (the folder is looked up anew on each request,
    so each build's swap of the site is served at once); `builds[0]` is the number of builds so far."""
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                 functools.partial(_Handler, directory=str(site), builds=builds))
    except OSError as exc:
        raise PreviewError(f"cannot serve on 127.0.0.1:{port} ({exc.strerror}): choose another port with --port N") from None
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


def _describe(result: B.BuildResult) -> str:
    if result.up_to_date:
        return f"Up to date: nothing changed since {result.out} was built."
    return (f"Built {result.out} in {result.seconds:.1f} s: {result.pages} pages, {len(result.pdfs)} PDFs; "
            f"chapters executed {result.executed}, reused from cache {result.reused}.")


def _build(session: B.Session, root: Path, out: Path, data: Path | None, to: tuple[str, ...], say, force: bool = False) -> bool:
    try:
        result = B.build(root, out=out, engine="wheel", to=to, data=data, quiet=True, force=force, session=session)
        say(_describe(result))
        return not result.up_to_date
    except B.BuildError as exc:
        say(f"Build failed; the site shown is the last one built.\n{exc}")
        return False


def run(root: Path, *, out: Path, data: Path | None = None, to: tuple[str, ...] = ("html", "pdf"),
        port: int | None = 4848, builds: int | None = None, say=print) -> str:
    """Build, serve (unless `port` is None) and build again on each change, until interrupted or, with `builds`,
    until that many builds after the first. Returns "restart" when the code changed, else "stopped"."""
    data_dir = Path(data).resolve() if data else root / "data"
    built = [0]  # the builds so far, for the pages' reload script
    server = serve(out, port, built) if port is not None else None  # first, so that a port in use stops it at once
    session = B.Session()
    try:
        watcher = Watcher(root, data_dir)
        # Even when the site is up to date: the first build starts the kernels and gives Typst its memo.
        built[0] += _build(session, root, out, data, to, say, force=True)
        if server is not None:
            say(f"Preview at http://127.0.0.1:{server.server_address[1]}/ ; watching {root} (Ctrl-C stops).")
        else:
            say(f"Watching {root} (Ctrl-C stops).")
        done = 0
        while builds is None or done < builds:
            time.sleep(POLL)
            changes = watcher.settled()
            if changes.code:
                say(f"The code changed ({_names(changes.code, root)}): starting again.")
                return "restart"
            if changes.inputs:
                say(f"Changed: {_names(changes.inputs, root)}")
                built[0] += _build(session, root, out, data, to, say)
                done += 1
        return "stopped"
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        session.close()


def _names(paths: tuple[Path, ...], root: Path) -> str:
    shown = [B._relative(p, root) for p in paths[:3]]
    return ", ".join(shown) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def restart() -> None:
    """Run this same command again in a fresh process, which imports the code as it is now."""
    import gc

    gc.collect()  # the closed session's process pools release their semaphores, or the tracker warns of leaks
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "clusterbench.cli", *sys.argv[1:]])
