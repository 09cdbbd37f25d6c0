"""Webhook delivery from the outbox, against a receiver on 127.0.0.1: every alert reaches a
receiver that fails at first exactly once after deduplication, in order, signed; a receiver
that is down loses nothing; back-off grows and stops growing; a watch's later deliveries wait
behind a failed one; `tracker sync` delivers after its round and never fails for a receiver."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import tracker
from tests.conftest import Cli, shared_file
from tracker.watches.webhook import LONGEST_WAIT, backoff

SECRET = "correct horse battery staple"
YEMEN = ("ofac_enhanced_xml", "2024-05-24_yemen", "yemen_sanctions.xml")
LATER = dt.timedelta(hours=7)  # past the longest back-off: every delivery is due again


@dataclass
class Receiver:
    """A webhook receiver: per path, answers 500 to its first `failures` POSTs, keeps each
    alert once (by X-Tracker-Alert-Id) and can be slow to answer one, as a real one would
    be; also serves a list file for `tracker sync`."""

    base: str = ""
    failures: dict[str, int] = field(default_factory=dict)
    slow: set[int] = field(default_factory=set)  # alert ids answered too late, once each
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    kept: dict[str, list[int]] = field(default_factory=dict)  # path -> alert ids, first seen
    files: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return self.base + path


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            alert_id = int(self.headers["X-Tracker-Alert-Id"])
            with receiver.lock:
                receiver.requests.append((self.path, dict(self.headers), body))
                failing = receiver.failures.get(self.path, 0)
                if failing:
                    receiver.failures[self.path] = failing - 1
                else:
                    kept = receiver.kept.setdefault(self.path, [])
                    if alert_id not in kept:
                        kept.append(alert_id)
                late = not failing and alert_id in receiver.slow
                receiver.slow.discard(alert_id)
            if late:
                time.sleep(0.5)  # kept, but the sender gave up waiting: it will send it again
            self.send_response(500 if failing else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            body = receiver.files.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


def _serve(receiver: Receiver, port: int = 0) -> ThreadingHTTPServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    httpd.daemon_threads = True
    httpd.block_on_close = False
    receiver.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def cli(seeded: Cli) -> Cli:
    """The command line on a seeded database (the authorities a list watch names)."""
    return seeded


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    httpd = _serve(state)
    yield state
    httpd.shutdown()
    httpd.server_close()


def _watch_yemen(db: tracker.Tracker, *urls: str) -> list[int]:
    """A list watch (11 new listings) on the first webhook URL, a YEMEN program watch (10)
    on each other one, then OFAC's enhanced XML imported."""
    ids = [db.watch("list", "us-ofac/SDN", webhook_url=urls[0], webhook_secret=SECRET).id]
    ids += [
        db.watch("program", "YEMEN", webhook_url=url, webhook_secret=SECRET).id for url in urls[1:]
    ]
    db.import_list(shared_file(*YEMEN))
    return ids


def _verified(headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does: HMAC-SHA256 of the raw body with the secret, compared in
    constant time with the signature header."""
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Tracker-Signature"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_receiver_failing_at_first_gets_every_alert_exactly_once_in_order_signed(
    cli: Cli, receiver: Receiver
) -> None:
    """500 for the first three POSTs, one alert kept but answered too late (sent again):
    after deduplication by alert id, every alert once, in order; every signature verifies."""
    db = cli.api
    _watch_yemen(db, receiver.url())
    alerts = {alert.id: alert for alert in db.alerts()}
    assert len(alerts) == 11
    receiver.failures["/hook"] = 3
    receiver.slow.add(sorted(alerts)[1])
    clock = dt.datetime.now(dt.UTC)
    for _round in range(10):
        outcome = db.deliver_webhooks(now=clock, timeout=0.2)
        if not outcome.failed and not outcome.waiting:
            break
        clock += LATER
    assert receiver.kept["/hook"] == sorted(alerts)
    assert len(receiver.requests) == 11 + 3 + 1  # three refused, one repeated
    listed = {a["id"]: a for a in cli.json("alerts")["alerts"]}
    for _path, headers, body in receiver.requests:
        assert headers["Content-Type"] == "application/json"
        assert _verified(headers, body)
        payload = json.loads(body)
        assert payload["alert"] == listed[int(headers["X-Tracker-Alert-Id"])]
        assert payload["watch_id"] == 1
        assert payload["attempt"] == int(headers["X-Tracker-Delivery-Attempt"])
        assert dt.datetime.fromisoformat(payload["sent_at"]).tzinfo is not None
    attempts = [int(h["X-Tracker-Delivery-Attempt"]) for _p, h, _b in receiver.requests[:5]]
    assert attempts == [1, 2, 3, 4, 1]  # the first alert, refused three times, then the next
    assert db.deliver_webhooks().delivered == ()


def test_a_tampered_body_does_not_verify(cli: Cli, receiver: Receiver) -> None:
    """The signature covers the exact body: one byte changed, it no longer verifies."""
    _watch_yemen(cli.api, receiver.url())
    cli.api.deliver_webhooks()
    _path, headers, body = receiver.requests[0]
    assert _verified(headers, body)
    assert not _verified(headers, body.replace(b'"watch_id": 1', b'"watch_id": 2'))


def test_a_receiver_that_is_down_loses_nothing(cli: Cli) -> None:
    """Connection refused: every delivery stays queued; once the receiver is up, all 11."""
    port = _free_port()
    db = cli.api
    _watch_yemen(db, f"http://127.0.0.1:{port}/hook")
    first = db.deliver_webhooks(timeout=1)
    assert first.delivered == ()
    (failed,) = first.failed  # the oldest; the watch's later ones wait behind it
    assert failed.last_status is None
    assert "refused" in (failed.last_error or "").lower()
    assert first.waiting == 10
    state = Receiver()
    httpd = _serve(state, port)
    try:
        later = db.deliver_webhooks(now=dt.datetime.now(dt.UTC) + LATER, timeout=2)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert len(later.delivered) == 11
    assert later.failed == ()
    assert later.waiting == 0
    assert state.kept["/hook"] == sorted(alert.id for alert in db.alerts())


def test_back_off_doubles_after_each_failure_up_to_a_cap(cli: Cli, receiver: Receiver) -> None:
    """30 s, 1 min, 2 min, 4 min... never more than six hours; not retried before it is due."""
    db = cli.api
    _watch_yemen(db, receiver.url())
    receiver.failures["/hook"] = 100
    clock = dt.datetime.now(dt.UTC)
    waits = []
    for _attempt in range(4):
        (failed,) = db.deliver_webhooks(now=clock, timeout=1).failed
        assert failed.last_status == 500
        assert failed.last_error == "HTTP 500 Internal Server Error"
        waits.append(failed.next_attempt_at - clock)
        early = db.deliver_webhooks(now=failed.next_attempt_at - dt.timedelta(seconds=1))
        assert early.failed == ()
        assert early.delivered == ()
        assert early.waiting == 11
        clock = failed.next_attempt_at
    assert waits == [dt.timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert backoff(30) == LONGEST_WAIT == dt.timedelta(hours=6)
    assert len(receiver.requests) == 4


def test_a_failing_watch_holds_back_only_its_own_later_deliveries(
    cli: Cli, receiver: Receiver
) -> None:
    """One watch's receiver refuses: one attempt for it this round (its nine later deliveries
    wait); the other watch gets all eleven."""
    db = cli.api
    _watch_yemen(db, receiver.url("/up"), receiver.url("/down"))
    receiver.failures["/down"] = 100
    outcome = db.deliver_webhooks(timeout=1)
    assert len(outcome.delivered) == 11
    assert [(f.watch_id, f.attempts) for f in outcome.failed] == [(2, 1)]
    assert outcome.waiting == 9
    assert [path for path, _h, _b in receiver.requests].count("/down") == 1


def test_alerts_deliver_exits_1_with_one_line_per_failing_watch(
    cli: Cli, receiver: Receiver
) -> None:
    """Two watches down: two lines, exit 1; once they answer, exit 0 and nothing pending."""
    _watch_yemen(cli.api, receiver.url("/a"), receiver.url("/b"))
    receiver.failures.update({"/a": 1, "/b": 1})
    result = cli("alerts", "deliver", "--timeout", "2")
    assert result.exit_code == 1, result.output
    assert result.stdout == "Delivered 0, 2 failed, 19 waiting\n"
    lines = result.stderr.splitlines()
    assert [line.split(":")[0:2] for line in lines] == [
        ["Error", " watch 1"],
        ["Error", " watch 2"],
    ]
    assert all("HTTP 500" in line and "attempt 1" in line for line in lines)
    cli.api.deliver_webhooks(now=dt.datetime.now(dt.UTC) + LATER)
    assert cli.ok("alerts", "deliver").stdout == "Delivered 0, 0 failed, 0 waiting\n"


def test_sync_delivers_after_its_round_and_a_failed_delivery_does_not_fail_it(
    cli: Cli, receiver: Receiver, tmp_path: Path
) -> None:
    """A new edition by `tracker sync`: its alerts are POSTed at the end of the round; a
    receiver refusing leaves them queued for the next round, and the sync still succeeds."""
    receiver.files["/sdn.xml"] = shared_file(*YEMEN).read_bytes()
    db = cli.api
    db.watch("list", "us-ofac/SDN", webhook_url=receiver.url("/down"), webhook_secret=SECRET)
    db.watch("program", "YEMEN", webhook_url=receiver.url("/up"), webhook_secret=SECRET)
    receiver.failures["/down"] = 100
    result = cli(
        "sync",
        "--url",
        receiver.url("/sdn.xml"),
        "--format",
        "ofac",
        "--name",
        "ofac-sdn",
        "--archive",
        str(tmp_path / "archive"),
        "--timeout",
        "2",
        "--retries",
        "0",
    )
    assert result.exit_code == 0, result.output
    assert len(receiver.kept["/up"]) == 10  # the program's listings: one is GLOMAG
    assert "/down" not in receiver.kept
    receiver.failures["/down"] = 0
    assert len(db.deliver_webhooks(now=dt.datetime.now(dt.UTC) + LATER).delivered) == 11
