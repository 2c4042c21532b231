"""Bounded HTTP requests with retries: the one way smolgraph talks to a server.

Every request made here is bounded three ways. Its timeout is wall-clock
time for the whole of it (connecting, the headers, the body, redirects), so a
server that sends a byte every few seconds is cut off when the time is up; its
answer is read up to a size cap, so an endless answer ends in an error, not a
``MemoryError``; and redirects are followed on the same origin only (scheme,
host and port), with the same request, credentials included: a redirect
elsewhere, or to another scheme, is refused and named, since an update or a
whole graph should reach no server but the one the user named.

Failures worth trying again are tried again a bounded number of times with a
doubling wait: connection errors, time-outs, ``5xx`` answers and ``429``
(after its ``Retry-After``, when that is short). A ``4xx`` is final: the same
request gets the same answer.

What a failure means to a user (the words, the hints) is the caller's
business: :func:`with_retries` hands the final :class:`Failure` to the
caller's ``fail`` to turn into an exception. :mod:`smolgraph.remote` is the
caller today.

Exceptions raised inside an attempt, and what :func:`classify` makes of them::

    Answered   an error status, its body read within the bounds  -> Failure("status")
    Refused    a redirect not followed                           -> Failure("redirect")
    TooLarge   an answer over the size cap                       -> Failure("too large")
    socket and urllib errors                                     -> Failure("timeout" | "connection")
"""
from __future__ import annotations

import http.client
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .i18n import _

__all__ = [
    "MAX_REDIRECTS", "MAX_RETRY_AFTER", "ERROR_BODY", "Failure", "Answered", "Refused", "TooLarge", "Budget",
    "Deadline", "classify", "retry_after", "read_body", "opener", "fetch", "with_retries", "safe_url",
    "looks_html", "page_text", "short",
]

#: Redirects followed for one request before it is taken for a loop.
MAX_REDIRECTS = 10
#: The longest ``Retry-After`` that is waited out; a server asking for more is reported as busy.
MAX_RETRY_AFTER = 30.0
#: The most of an error body that is read: its start is all a message shows.
ERROR_BODY = 1 << 16

log = logging.getLogger(__name__)


# -- what went wrong ----------------------------------------------------------------
@dataclass
class Failure:
    """What went wrong with one attempt: an HTTP status, a time-out or a lost connection."""

    kind: str  # "status", "timeout", "connection", "redirect" or "too large"
    status: int | None = None
    text: str = ""  # the server's own words (shortened), or the reason of a lost connection
    headers: dict = field(default_factory=dict)
    redirect: "Refused | None" = None


class Answered(Exception):
    """An answer with an error status, its body already read (within the request's time and size bounds)."""

    def __init__(self, status: int, headers: dict, text: str) -> None:
        super().__init__(status)
        self.status, self.headers, self.text = status, headers, text


class Refused(Exception):
    """A redirect that is not followed: ``why`` is "origin", "scheme" or "loop"."""

    def __init__(self, why: str, source: str, target: str) -> None:
        super().__init__(why)
        self.why, self.source, self.target = why, source, target


class TooLarge(Exception):
    """An answer longer than the size cap (raised before it is all read)."""


def classify(exc: BaseException) -> Failure | None:
    """The :class:`Failure` an exception of a request stands for; None for anything else."""
    if isinstance(exc, Answered):
        return Failure("status", exc.status, exc.text, exc.headers)
    if isinstance(exc, Refused):
        return Failure("redirect", redirect=exc)
    if isinstance(exc, TooLarge):
        return Failure("too large")
    # A time-out while connecting comes wrapped in URLError, one while waiting for the answer bare.
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return Failure("timeout")
    if isinstance(reason, socket.gaierror):
        return Failure("connection", text=_("the host name is not known (DNS)"))
    if isinstance(reason, ConnectionRefusedError):
        return Failure("connection", text=_("connection refused"))
    if isinstance(reason, (ConnectionError, http.client.HTTPException)):
        return Failure("connection", text=_("the connection broke before a whole answer came"))
    if isinstance(exc, urllib.error.URLError):  # unreachable network, TLS, …
        return Failure("connection", text=str(getattr(reason, "strerror", None) or reason))
    return None


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds of a ``Retry-After`` header given in seconds (an HTTP date is not worth parsing here)."""
    try:
        return max(0.0, float(headers.get("retry-after", "")))
    except ValueError:
        return None



# -- bounds ---------------------------------------------------------------------------
def read_body(response, cap: int, deadline: "Deadline", *, cut: bool = False) -> bytes:
    """The body of an answer, read in blocks so that it never goes past ``cap`` bytes.

    Past the cap it raises :class:`TooLarge`, or with ``cut`` returns the
    first ``cap`` bytes (an error page, of which a message shows the start).
    """
    declared = response.headers.get("Content-Length", "") if response.headers else ""
    length = int(declared) if declared.strip().isdigit() else None
    if length is not None and length > cap and not cut:
        raise TooLarge()
    blocks: list[bytes] = []
    size = 0
    while True:
        block = response.read(min(1 << 16, cap + 1 - size))
        if not block:
            break
        blocks.append(block)
        size += len(block)
        if size > cap:
            if cut:
                return b"".join(blocks)[:cap]
            raise TooLarge()
    if deadline.expired:  # the socket was closed under the read, which then looks like the end
        raise TimeoutError("the request's time ran out")
    if length is not None and size < length and not cut:
        raise http.client.IncompleteRead(b"".join(blocks), length - size)
    return b"".join(blocks)


class Budget:
    """A caller's own time limit for a call that may make several requests."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


class Deadline:
    """The end of one request in wall-clock time: then its sockets are shut down.

    A socket timeout only bounds each wait for the next bytes, so a server
    that sends one byte a second is never timed out by it; shutting the
    socket down wakes the read wherever it waits (headers, body, TLS).
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            late = self.expired
        if late:
            _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _watched(connection_class, deadline: Deadline, host: str, **kwargs):
    """An http.client connection whose socket ``deadline`` can shut down."""
    connection = connection_class(host, **kwargs)
    create = connection._create_connection
    connection._create_connection = lambda *args, **kw: deadline.watch(create(*args, **kw))
    return connection


class _Watching:
    """Opens every connection through :func:`_watched`, and sends a file body from its start each time."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class, req, **kwargs):
        # A body sent from a file was read by an earlier send (a redirect, a Digest challenge).
        if hasattr(req.data, "seek"):
            req.data.seek(0)
        return super().do_open(lambda host, **kw: _watched(http_class, self.deadline, host, **kw), req, **kwargs)


class _HTTPHandler(_Watching, urllib.request.HTTPHandler):
    pass


if hasattr(urllib.request, "HTTPSHandler"):  # Python built without ssl has none
    class _HTTPSHandler(_Watching, urllib.request.HTTPSHandler):
        pass
else:
    _HTTPSHandler = None


def _origin(url: str) -> tuple[str, str, int | None]:
    split = urllib.parse.urlsplit(url)
    try:
        port = split.port
    except ValueError:
        port = -1
    return split.scheme.lower(), (split.hostname or "").lower(), port or {"http": 80, "https": 443}.get(split.scheme.lower())


def _origin_root(url: str) -> str:
    split = urllib.parse.urlsplit(url)
    return f"{split.scheme}://{split.netloc}/"


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects on the same origin with the same request; refuses any other.

    urllib's own handler would carry every header, Authorization included,
    to any host, follow ``ftp:`` URLs, turn a redirected POST into a GET
    without its query, and read the redirect's page whole however long it is.
    """

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri")
        if not location:
            return None  # nothing to follow: the status is reported as it is
        fp.close()  # its page is of no use, and could be endless
        target = urllib.parse.urljoin(req.full_url, location.strip().replace(" ", "%20"))
        split = urllib.parse.urlsplit(target)
        if split.scheme.lower() not in ("http", "https"):
            raise Refused("scheme", req.full_url, target)
        if "@" in split.netloc or _origin(target) != _origin(req.full_url):
            raise Refused("origin", req.full_url, target)
        visited = dict(getattr(req, "redirect_dict", {}))
        if sum(visited.values()) >= MAX_REDIRECTS:
            raise Refused("loop", req.full_url, target)
        visited[target] = visited.get(target, 0) + 1
        # 303 means: look at the answer over there, with GET. Any other
        # redirect gets the same request again, its body and method kept
        # (a SPARQL POST turned into a bare GET would lose its query).
        method = "GET" if code == 303 else req.get_method()
        data = None if method in ("GET", "HEAD") else req.data
        # Only the headers set for the request (Authorization: Basic among
        # them); urllib's own (Host, a Digest answer) are made anew.
        keep = {k: v for k, v in req.headers.items() if data is not None or k.lower() not in ("content-type", "content-length")}
        new = urllib.request.Request(target, data=data, headers=keep, method=method)
        new.redirect_dict = visited
        return self.parent.open(new, timeout=req.timeout)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


# -- one request ----------------------------------------------------------------------
def opener(url: str, deadline: Deadline, *, digest: tuple[str, str] | None = None) -> urllib.request.OpenerDirector:
    """The one way requests are made: http(s) only, redirects checked, sockets bounded by ``deadline``.

    Built for each attempt because the deadline and the Digest state belong
    to one request, and requests go out from several threads. Basic
    credentials are the caller's header, which only same-origin redirects
    carry on; Digest needs the challenge-response handler, given the
    password for ``url``'s origin only.
    """
    director = urllib.request.OpenerDirector()
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), _HTTPHandler(deadline),
        _Redirects(), urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
    ]
    if _HTTPSHandler is not None:
        handlers.append(_HTTPSHandler(deadline))
    if digest is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, _origin_root(url), *digest)
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    for handler in handlers:
        director.add_handler(handler)
    return director


def fetch(make: Callable[[], urllib.request.Request], *, url: str, seconds: float, max_bytes: int,
          digest: tuple[str, str] | None = None) -> tuple[dict, bytes]:
    """One attempt: ``(headers, body)`` of the answer to ``make()``, header names in lower case.

    ``make`` builds the request inside the attempt because urllib adds
    headers (Host, a Digest answer) to a request it sends. An error status
    is raised as :class:`Answered`, with the start of its page read within
    the same bounds; whatever breaks once the deadline has passed is a
    ``TimeoutError``.
    """
    deadline = Deadline(seconds)
    try:
        request = make()
        try:
            with opener(url, deadline, digest=digest).open(request, timeout=seconds) as response:
                headers = {k.lower(): v for k, v in response.headers.items()}
                return headers, read_body(response, max_bytes, deadline)
        except urllib.error.HTTPError as exc:
            # Read here, within the request's bounds: an error page can drip or never end too.
            headers = {k.lower(): v for k, v in exc.headers.items()} if exc.headers else {}
            try:
                text = read_body(exc, ERROR_BODY, deadline, cut=True).decode("utf-8", "replace")
            except Exception:  # noqa: BLE001 - the body is only a hint
                text = ""
            raise Answered(exc.code, headers, text) from None
    except Exception as exc:
        # Whatever broke when the deadline closed the socket, it is the time that ran out.
        if deadline.expired:
            raise TimeoutError(f"no answer within {seconds:g} s") from exc
        raise
    finally:
        deadline.cancel()


# -- trying again ---------------------------------------------------------------------
def with_retries(
    send: Callable[[float], tuple[dict, bytes]],
    *,
    attempts: int,
    timeout: float,
    backoff: float,
    fail: Callable[[Failure, int, float], Exception],
    allow: set[int] = frozenset(),
    retry_timeouts: bool = True,
    budget: Budget | None = None,
    clean: Callable[[str], str] = lambda text: text,
    log_as: tuple[str, str] = ("", ""),
) -> tuple[dict, bytes]:
    """``send(seconds)``, tried again on failures worth trying again, ``attempts`` times at most.

    Each attempt gets ``timeout`` seconds; with a ``budget`` no attempt, nor
    wait, goes past its end. An answer whose status is in ``allow`` comes
    back with an empty body. ``clean`` makes the server's words fit for a
    message (a password it echoed taken out); ``fail(failure, tries,
    seconds)`` makes the exception raised at the end, ``seconds`` being the
    time limit that ran out. ``log_as`` is the (safe URL, what was being
    done) of the debug line logged before each new attempt.
    """
    for attempt in range(1, attempts + 1):
        seconds = timeout if budget is None else min(timeout, budget.left())
        if seconds <= 0:
            raise fail(Failure("timeout"), attempt - 1, budget.seconds)
        try:
            return send(seconds)
        except Exception as exc:  # noqa: BLE001 - sorted out just below
            failure = classify(exc)
            if failure is None:
                raise
        # Clean before shortening: a cut would leave part of a secret unrecognised.
        failure.text = short(page_text(clean(failure.text)))
        if failure.status in allow:
            return failure.headers, b""
        wait = _wait(failure, attempt, backoff, retry_timeouts)
        spent = budget is not None and (wait or 0.0) >= budget.left()
        if wait is None or attempt == attempts or spent:
            shown = budget.seconds if budget is not None and (spent or seconds < timeout) else timeout
            raise fail(failure, attempt, shown)
        log.debug("%s: %s while trying to %s; trying again in %.2f s (attempt %d of %d)",
                  log_as[0], failure.text or failure.kind, log_as[1], wait, attempt + 1, attempts)
        time.sleep(wait)
    raise AssertionError("unreachable")


def _wait(failure: Failure, attempt: int, backoff: float, retry_timeouts: bool) -> float | None:
    """Seconds to wait before trying again, or None when trying again cannot help."""
    doubled = backoff * 2 ** (attempt - 1)
    if failure.kind == "connection" or (failure.kind == "timeout" and retry_timeouts):
        return doubled
    if failure.status == 429:
        asked = retry_after(failure.headers)
        if asked is not None and asked > MAX_RETRY_AFTER:
            return None
        return max(doubled, asked or 0.0)
    if failure.status is not None and failure.status >= 500:
        return doubled
    return None  # 4xx: the same request gets the same answer


# -- text of an answer ----------------------------------------------------------------
def safe_url(url: str) -> str:
    """``url`` without any user:password part, nor its query (which may hold a query's text)."""
    split = urllib.parse.urlsplit(url)
    if "@" in split.netloc:
        split = split._replace(netloc="***@" + split.netloc.rsplit("@", 1)[1])
    return urllib.parse.urlunsplit(split._replace(query=""))


def looks_html(body: bytes) -> bool:
    """Whether ``body`` starts like an HTML page: the usual answer of a wrong URL."""
    return body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def page_text(text: str, *, force: bool = False) -> str:
    """The words of an HTML page without its markup; other text as it is."""
    if not (force or looks_html(text.encode("utf-8", "replace")[:100])):
        return text
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    return re.sub(r"<[^>]*>", " ", text)


def short(text: str, limit: int = 400) -> str:
    """``text`` on one line, cut at ``limit`` characters with " …"."""
    text = " ".join(re.sub(r"<[^>]{1,40}>", " ", text).split())
    return text if len(text) <= limit else text[:limit] + " …"

