"""Answers to the costly questions (status, changes, lists), kept until the data changes.

A status report of a 100,000-entry list takes about a second to build, and a client paging
through it asks the same question once per page. Each answer is kept under the question and
`Tracker.data_version()`, so the first write or import after it makes it stale."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

from tracker.api import Tracker

Answer = TypeVar("Answer")
KEPT = 4  # answers kept (a 100,000-entry status report is large), least recent dropped first


class AnswerCache:
    def __init__(self, tracker: Tracker, kept: int = KEPT) -> None:
        self.tracker = tracker
        self.kept = kept
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()

    def get(self, question: Hashable, answer: Callable[[], Answer]) -> Answer:
        """The cached answer to `question` on the current data, else `answer()` (kept).
        Asked again while it is being answered, the question waits for that answer rather
        than building it a second time (after an import, every client asks at once)."""
        key = (question, self.tracker.data_version())
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]  # type: ignore[no-any-return]
            pending = self._pending.get(key)
            building = pending is None
            if building:
                pending = self._pending[key] = Future()
        assert pending is not None
        if not building:
            return pending.result()  # type: ignore[no-any-return]
        try:
            found = answer()  # outside the lock: other questions are answered meanwhile
        except BaseException as error:
            pending.set_exception(error)
            raise
        finally:
            with self._lock:
                del self._pending[key]
        with self._lock:
            self._answers[key] = found
            while len(self._answers) > self.kept:
                self._answers.popitem(last=False)
        pending.set_result(found)
        return found
