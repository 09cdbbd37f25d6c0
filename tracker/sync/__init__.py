"""`tracker sync`: follow official lists at their publishers' addresses.

A sources file (`sources`) names each list; a round (`runner`) downloads each one with a
conditional GET, bounded retries and a size limit (`fetch`), checks what it can, imports a new
edition through the normal import (same guards, same provenance) and keeps the exact file in
an archive (`archive`), one `sync_run` row per list and attempt. The archive file and the
import are committed together: the file waits under a `.partial` name until the transaction
that imports it, and records its final name, has committed; a round under the archive's lock
finishes or discards what a crash left.
"""
