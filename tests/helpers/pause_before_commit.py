"""The tracker CLI, stopped at the last moment before its data transaction commits.

    python tests/helpers/pause_before_commit.py --db URL COMMAND ...

Every write of the command has been sent to the database when it prints "ready to commit"
and sleeps, waiting for the test to kill it: the harshest moment for a crash.
"""

import sys
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.cli import main


@event.listens_for(Session, "before_commit")
def _pause(session: Session) -> None:
    session.flush()
    print("ready to commit", flush=True)
    time.sleep(600)


if __name__ == "__main__":
    sys.argv = ["tracker", *sys.argv[1:]]
    main()
