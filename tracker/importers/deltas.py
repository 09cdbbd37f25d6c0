"""Listings a delta changes or withdraws on their own, without their entries: OpenSanctions'
deltas MOD or DEL a `Sanction` without its entity all the time. Each change applies to the
listing that Sanction made (found by its record id), and what the entry's stored content says
of its listings follows, so the next full edition sees no difference."""

import json
from collections.abc import Sequence
from typing import Any

from tracker.batching import in_chunks
from tracker.importers.diff import OpenListing, changed_fields, diff_listings
from tracker.importers.entries import ENTRY, Held
from tracker.importers.records import Listing, ListingKey, ListSpec, content_digest
from tracker.importers.writer import Batch, EditionWriter
from tracker.services.core import update_rows

Changes = dict[str, tuple[Listing | None, tuple[str, ...]]]  # record id -> (now, its entries)


def change_listings(writer: EditionWriter, changes: Changes, withdrawn: Sequence[str] = ()) -> None:
    """Apply listings changed (or withdrawn: `withdrawn` record ids) on their own. A
    withdrawal of a record the list never held is counted, not an error."""
    wanted: Changes = {**dict.fromkeys(withdrawn, (None, ())), **changes}
    for chunk in in_chunks(list(wanted)):
        made = writer.rows.made_by(chunk)
        held = writer.rows.held({t for record in chunk for t in wanted[record][1]})
        entries = {h.entry_id: h for h in held.values() if not h.removed_on}
        entries |= {entry.entry_id: entry for found in made.values() for _, entry, _ in found}
        contents = writer.rows.contents(entries)
        before = {entry_id: json.loads(json.dumps(c)) for entry_id, c in contents.items()}
        in_force = writer.rows.in_force(entries)
        batch = Batch()
        for record in chunk:
            listing, named = wanted[record]
            if listing is None and not made.get(record):
                writer.summary.not_held += 1
                continue
            still = {held[t].entity_id for t in named if t in held}
            for key, entry, open_listing in made.get(record, []):
                if listing is None or entry.entity_id not in still:
                    batch.endings.append(writer.gone(entry.entity_id, open_listing))
                    _drop(contents[entry.entry_id], key, writer.spec)
            for target in named:
                entry = held.get(target)
                if entry is None or entry.removed_on or listing is None:
                    writer.summary.not_held += entry is None
                    continue
                _change(writer, entry, listing, in_force.get(entry.entry_id, {}),
                        contents[entry.entry_id], batch)  # fmt: skip
        _rewrite(writer, entries, before, contents, batch)
        writer.write(batch)


def _change(
    writer: EditionWriter,
    entry: Held,
    listing: Listing,
    in_force: dict[ListingKey, OpenListing],
    content: dict[str, Any],
    batch: Batch,
) -> None:
    """One listing of a held entry as the delta now states it: the listing its record made
    amended, or (its key changed) ended and made anew."""
    key = listing.key(writer.spec)
    held = {key: in_force[key]} if key in in_force else {}
    changes = diff_listings((listing,), held, content, writer.spec)
    changes.gone = []  # the entry's other listings are not the delta's business
    writer.listing_changes(entry, changes, batch)
    _drop(content, key, writer.spec)
    content.setdefault("listings", []).append(listing.as_dict())


def _rewrite(
    writer: EditionWriter,
    entries: dict[int, Held],
    before: dict[int, dict[str, Any]],
    contents: dict[int, dict[str, Any]],
    batch: Batch,
) -> None:
    """Entries whose listings changed keep what the list now says of them."""
    rows = []
    for entry_id, content in contents.items():
        listings = sorted(content.pop("listings", []), key=lambda item: sorted(item.items()))
        if listings:
            content["listings"] = listings
        content["programs"] = sorted({item["program"] for item in listings})
        fields = changed_fields(before[entry_id], content)
        if not fields:
            continue
        writer.amended(entries[entry_id].entity_id, before[entry_id], content, fields, batch)
        text = json.dumps(content, ensure_ascii=False, sort_keys=True)
        rows.append({"id": entry_id, "content": content, "digest": content_digest(text)})
    update_rows(session=writer.session, table=ENTRY, rows=rows)


def _drop(content: dict[str, Any], key: ListingKey, spec: ListSpec) -> None:
    """Leave out of an entry's stored content the listing with this key."""
    content["listings"] = [
        item for item in content.get("listings", []) if Listing.from_dict(item).key(spec) != key
    ]
