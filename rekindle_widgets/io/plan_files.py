"""The plan file a therapist sends and the return a client sends back (the files of :mod:`..model.plans`).

**The plan file** (``rekindle-plan-<plan id>.json``, :data:`PLAN_FORMAT` version
:data:`PLAN_VERSION`) holds only what the client's Rekindle needs: the plan id,
the practice's client id (random letters, not a name), the questionnaires' ids,
how often and the start day. No alias, no name, no notes: it is meant to be
emailed. It is checked whole when opened (exact keys, known questionnaires,
dates, its size), and a file from a newer Rekindle is refused by name. A plan
that asks for a questionnaire of the practice's own (issue 26) carries its
text too, under ``questionnaires`` (version 2): it is checked as the practice's
own files are, and the client's Rekindle keeps it, so it is filled in and
scored on their side exactly as on the therapist's.

**The return** is the client's answers to the plan's questionnaires since its
start, and nothing else from their journal (no mood notes, no stages): a JSON
document (:data:`RETURN_FORMAT`) naming the plan and the client, holding a
Rekindle JSON export (:mod:`.export`) of those responses only. It is encrypted
as an age file with a passphrase the client chooses, the same format as an
encrypted backup (:mod:`.backup`, through pyrage), or written plain. The
therapist may also import the client's whole backup (plain or encrypted): it
carries the plan the client opened, so it is matched the same way, and only the
plan's questionnaires are taken from it.

Importing (:func:`import_return`) refuses a file for another client or another
plan, saying whose it is when that client is in the practice, and accounts for
every row read: added, already there (a response is the same when its
questionnaire and moment are: importing twice adds nothing), or skipped with the
reason. Each answer set is scored again here, so a flag the answers raise is
never lost on the way.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.instruments import find
from ..errors import RekindleError
from ..journal import Journal, Plan, Response, check_plan_id
from ..journal.plans import MAX_PLAN_INSTRUMENTS
from ..model.plans import _PLAN_KEYS, PLAN_DUE, _check_instruments, _the_plan
from ..model.scorer import score
from ..paths import write_private
from .backup import check_passphrase, decrypt, encrypt, kind_of, opened_backup
from .export import JSON_FORMAT, JSON_VERSION
from .importers.native import parse_json
from .reminders import Repeat, calendar

if TYPE_CHECKING:
    import pandas as pd

    from ..model.practice import Client, Practice

PLAN_FORMAT = "rekindle-plan"
PLAN_VERSION = 2
#: the version of a plan file that carries no questionnaire text (what Rekindle wrote before issue 26, and
#: still writes for a plan of bundled questionnaires only, so that an older Rekindle opens it)
PLAN_VERSION_PLAIN = 1
RETURN_FORMAT = "rekindle-plan-return"
RETURN_VERSION = 1
MAX_PLAN_FILE = 4_096  # bytes: a plan file is a few lines

__all__ = ["MAX_PLAN_FILE", "PLAN_FORMAT", "PLAN_VERSION", "RETURN_FORMAT", "RETURN_VERSION", "ReturnAccount",
           "import_return", "open_plan", "plan_calendar", "plan_file_name", "plan_file_text", "read_plan_file",
           "return_bytes", "return_document", "return_file_name", "write_plan_file"]


def plan_file_name(plan: Plan) -> str:
    return f"rekindle-plan-{plan.plan}.json"


def plan_file_text(plan: Plan) -> str:
    """The plan as the file sent to the client (see the module's description: no personal data); the text
    of each questionnaire of the practice's own it asks for goes with it."""
    from ..content.instruments import own_text

    own = {i: text for i in plan.instruments if (text := own_text(i)) is not None}
    document: dict[str, Any] = {"format": PLAN_FORMAT, "version": PLAN_VERSION if own else PLAN_VERSION_PLAIN,
                                "plan": plan.plan, "client": plan.client, "instruments": list(plan.instruments),
                                "every_days": plan.every_days, "start": plan.start.isoformat()}
    if own:
        document["questionnaires"] = own
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write_plan_file(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Write the plan file whole or not at all, mode 0600."""
    target = Path(path).expanduser()
    if target.is_dir() or not target.parent.is_dir():
        raise RekindleError(f"cannot write {target}: give a file name in a folder that exists")
    return write_private(target, plan_file_text(plan))


def read_plan_file(data: bytes | str, name: str = "the plan file") -> Plan:
    """A plan file's plan (role ``received``), checked whole; anything else is one sentence."""
    return _read_plan(data, name)[0]


def _read_plan(data: bytes | str, name: str) -> tuple[Plan, dict[str, str]]:
    """The plan, and the questionnaires of the practice's own it carries (id -> TOML text), all checked."""
    from ..content.instruments import MAX_PRACTICE_FILE, check_received

    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_PLAN_FILE + MAX_PLAN_INSTRUMENTS * MAX_PRACTICE_FILE:
        raise RekindleError(f"{name} is {len(data):,} bytes; a Rekindle plan file is under {MAX_PLAN_FILE:,} "
                            "(and a few KB for each questionnaire it carries): is it the right file?")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RekindleError(f"{name} is not a Rekindle plan file (not JSON text); ask your therapist for the "
                            f"file named rekindle-plan-....json") from None
    if not isinstance(document, dict) or document.get("format") != PLAN_FORMAT:
        raise RekindleError(f"{name} is not a Rekindle plan file (no \"format\": \"{PLAN_FORMAT}\")")
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > PLAN_VERSION:
        raise RekindleError(f"{name} was written by a newer Rekindle (plan file version {version}, this one "
                            f"reads {PLAN_VERSION}); upgrade Rekindle to open it")
    if version not in (PLAN_VERSION_PLAIN, PLAN_VERSION) or isinstance(version, bool):
        raise RekindleError(f"{name}: version {version!r} is not a plan file version; the file is damaged")
    if len(data) > MAX_PLAN_FILE and version == PLAN_VERSION_PLAIN:
        raise RekindleError(f"{name} is {len(data):,} bytes; a Rekindle plan file is under {MAX_PLAN_FILE:,}: "
                            "is it the right file?")
    keys = set(document)
    expected = _PLAN_KEYS | ({"questionnaires"} if version == PLAN_VERSION else set())
    if keys != expected:
        extra, missing = sorted(keys - expected), sorted(expected - keys)
        what = (f"unexpected {', '.join(map(repr, extra))}" if extra else "") + \
               ("; " if extra and missing else "") + (f"missing {', '.join(map(repr, missing))}" if missing else "")
        raise RekindleError(f"{name} is not a plan file Rekindle wrote ({what}); ask for the file again")
    try:
        carried = document.get("questionnaires", {})
        if not isinstance(carried, dict) or (not carried and version == PLAN_VERSION) or \
                len(carried) > MAX_PLAN_INSTRUMENTS or not all(isinstance(t, str) for t in carried.values()):
            raise RekindleError("'questionnaires' must map each questionnaire of the practice's own to its text")
        instruments = document["instruments"]
        if not isinstance(instruments, list) or len(instruments) > MAX_PLAN_INSTRUMENTS:
            raise RekindleError(f"'instruments' must be a list of up to {MAX_PLAN_INSTRUMENTS} questionnaire ids")
        for inst_id, text in carried.items():
            if inst_id not in instruments:
                raise RekindleError(f"it carries the questionnaire {str(inst_id)[:40]!r}, which the plan does not "
                                    "ask for")
            try:
                check_received(str(inst_id), text)
            except RekindleError as exc:  # the questionnaire's own one line: file (its id) and key
                raise RekindleError(f"the questionnaire it carries cannot be used: {exc}") from None
        start = document["start"]
        if not isinstance(start, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
            raise RekindleError(f"'start' must be a day as YYYY-MM-DD, not {str(start)[:20]!r}")
        plan = Plan.make(plan=document["plan"], client=document["client"],
                         instruments=_check_instruments(instruments, also=carried), every_days=document["every_days"],
                         start=start, role="received")
        return plan, {str(k): v for k, v in carried.items()}
    except RekindleError as exc:
        raise RekindleError(f"{name}: {exc}") from None


def open_plan(journal: Journal, data: bytes | str, name: str = "the plan file") -> Plan:
    """Keep the plan file's plan in the client's own ``journal`` (opening it twice changes nothing), and the
    questionnaires of the practice's own it carries in the client's data folder."""
    from ..content.instruments import receive_instrument

    plan, carried = _read_plan(data, name)
    for inst_id, text in carried.items():
        receive_instrument(inst_id, text)
    return journal.add_plan(plan)


def plan_calendar(plan: Plan, *, tz: str | None = None) -> Any:
    """The plan's due days as an iCalendar (one all-day event repeating every N days, RRULE)."""
    if plan.every_days is None:
        raise RekindleError("this plan is before each session, so it has no dates for a calendar; add your "
                            "session days to your calendar instead")
    return calendar(repeats=[Repeat(plan.start, plan.every_days, PLAN_DUE, plan.plan)], tz=tz)


def return_file_name(plan: Plan, encrypted: bool = True, day: date | None = None) -> str:
    return f"rekindle-return-{plan.plan}-{(day or date.today()).isoformat()}.{'age' if encrypted else 'json'}"


def return_document(journal: Journal, plan_id: str | None = None) -> tuple[Plan, str]:
    """``(the plan, the return as JSON text)``: the plan's questionnaires answered since its start, nothing else."""
    plan = _the_plan(journal, plan_id)
    responses = [
        {"instrument": r.instrument, "timestamp": r.local_time, "answers": r.answers,
         "total": None if r.total is None or r.total != r.total else float(r.total), "band": r.band,
         "flags": list(r.flags), "context": r.context}
        for r in journal.responses().itertuples(index=False)
        if r.instrument in plan.instruments and str(r.local_time)[:10] >= plan.start.isoformat()
    ]

    document = {"format": RETURN_FORMAT, "version": RETURN_VERSION, "plan": plan.plan, "client": plan.client,
                "journal": {"format": JSON_FORMAT, "version": JSON_VERSION, "responses": responses}}
    return plan, json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def return_bytes(journal: Journal, plan_id: str | None = None, passphrase: str | None = None
                 ) -> tuple[Plan, bytes, int]:
    """``(plan, the return file's bytes, responses in it)``; encrypted (age) when a passphrase is given."""
    if passphrase is not None:
        check_passphrase(passphrase)
    plan, text = return_document(journal, plan_id)
    count = len(json.loads(text)["journal"]["responses"])
    data = text.encode("utf-8")
    return plan, (encrypt(data, passphrase) if passphrase is not None else data), count


@dataclass
class ReturnAccount:
    """Every row a return held: added, already there, or skipped with the reason."""
    client: str
    plans: tuple[str, ...]
    read: int = 0
    added: int = 0
    already: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        if n:
            self.skipped[reason] = self.skipped.get(reason, 0) + n

    def __str__(self) -> str:
        text = (f"read {self.read} row{'s' if self.read != 1 else ''}: {self.added} questionnaire response"
                f"{'s' if self.added != 1 else ''} added, {self.already} already there")
        for reason, n in self.skipped.items():
            text += f", {n} skipped ({reason})"
        return text


def _who_has(practice: Practice, plan_ids: Iterable[str], client_ids: Iterable[str]) -> Client | None:
    """The practice's client whose journal holds one of ``plan_ids`` (or whose id is in ``client_ids``)."""
    wanted, ids = set(plan_ids), set(client_ids)
    for client in practice.list(include_archived=True):
        if client.id in ids:
            return client
        if client.journal_path.exists():
            try:
                with client.open_journal(create=False) as journal:
                    if wanted & {p.plan for p in journal.plans(role="set")}:
                        return client
            except RekindleError:
                continue
    return None


def import_return(practice: Practice, client_id: str, data: bytes, name: str = "the return",
                  passphrase: str | None = None) -> ReturnAccount:
    """Import a client's return (or their whole backup) into that client's journal in ``practice``.
    Refused, with nothing changed, when the file is for another client or a plan this client does not have.
    """
    client = practice.get(client_id)
    kind = kind_of(data)
    if kind == "age":
        data = decrypt(data, passphrase or "", name)
        kind = kind_of(data)
    if kind == "sqlite":
        with opened_backup(data, name) as source:
            offered = source.plans(role="received")
            frame = source.responses()
            other = {"mood entries": source.count(), "stage changes": len(source.stage_changes()),
                     "sessions": len(source.sessions())}
        document_plans = [(p.plan, p.client) for p in offered]
        responses = _responses_of(frame)
    else:
        document_plans, responses, other = _read_return(data, name)
    with client.open_journal(create=False) as journal:
        mine = {p.plan: p for p in journal.plans(role="set")}
    matched = [mine[pid] for pid, cid in document_plans if pid in mine and cid == client.id]
    if not matched:
        if any(pid in mine for pid, _ in document_plans):
            raise RekindleError(f"{name} names another client than {client.id} for this client's plan: the file was "
                                "changed; nothing was imported: ask the client to write it again")
        # whose is it? only the plan ids of the other clients are read, one journal at a time
        whose = _who_has(practice, [pid for pid, _ in document_plans], [cid for _, cid in document_plans])
        said = ", ".join(sorted({pid for pid, _ in document_plans})) or "no plan"
        if whose is not None and whose.id != client.id:
            raise RekindleError(f"{name} is for another client ({whose.id}, plan {said}), not {client.id}; "
                                f"nothing was imported: import it with --client {whose.id}")
        raise RekindleError(f"{name} is for plan {said}, which is not a plan of client {client.id}; "
                            "nothing was imported: check that this is the right client and file")
    with client.open_journal(create=False) as journal:
        account = ReturnAccount(client.id, tuple(p.plan for p in matched))
        for what, n in other.items():
            account.read += n
            account.skip(f"{what}: a return brings questionnaires only", n)
        kept = []
        for response in responses:
            account.read += 1
            day = response.at.date()
            fits = [p for p in matched if response.instrument in p.instruments]
            if not fits:
                account.skip("not a questionnaire of the plan")
            elif not any(day >= p.start for p in fits):
                account.skip("dated before the plan started")
            elif response.at.date() > date.today() + timedelta(days=1):
                account.skip("dated in the future")
            else:
                kept.append(_rescored(response))
        if kept:
            import pandas as pd

            known = set(zip(journal.responses()["instrument"], journal.responses()["timestamp"], strict=True))
            fresh = [r for r in kept if (r.instrument, pd.Timestamp(r.at.replace(microsecond=0))) not in known]
            if fresh:  # a safety copy only when something will be added
                from ..journal import safety_copy

                safety_copy(journal, "import")
            result = journal.add_entries([], records={"responses": kept}, source=f"plan return {matched[0].plan}")
            account.added = result.count("responses")
            account.already = len(kept) - result.count("responses")
    return account


def _responses_of(frame: pd.DataFrame) -> list[Any]:

    out = []
    for r in frame.itertuples(index=False):
        total = None if r.total is None or r.total != r.total else float(r.total)
        out.append(Response.make(r.instrument, list(r.answers), total=total,
                                 band=r.band if isinstance(r.band, str) else None, flags=r.flags,
                                 at=r.local_time, context=r.context))
    return out


def _read_return(data: bytes, name: str) -> tuple[list[tuple[str, str]], list[Any], dict[str, int]]:

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RekindleError(f"{name} is not a Rekindle return: neither an encrypted file, a backup nor JSON "
                            "text; ask the client for the file 'rekindle plan return' wrote") from None
    if isinstance(document, dict) and document.get("format") == "rekindle-journal":
        raise RekindleError(f"{name} is a plain Rekindle export, which does not say which plan or client it "
                            "is for; ask the client for the file 'rekindle plan return' writes, or their backup")
    if not isinstance(document, dict) or document.get("format") != RETURN_FORMAT:
        raise RekindleError(f"{name} is not a Rekindle return (no \"format\": \"{RETURN_FORMAT}\")")
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > RETURN_VERSION:
        raise RekindleError(f"{name} was written by a newer Rekindle (return version {version}); upgrade Rekindle")
    if version != RETURN_VERSION or not isinstance(document.get("journal"), dict):
        raise RekindleError(f"{name} is a damaged Rekindle return (version or 'journal' missing)")
    plan_id, client_id = document.get("plan"), document.get("client")
    try:
        check_plan_id(plan_id)
    except RekindleError as exc:
        raise RekindleError(f"{name}: {exc}") from None
    parsed = parse_json(json.dumps(document["journal"]), name)
    other = {"mood entries": len(parsed.entries), "stage changes": len(parsed.stages),
             "sessions": len(parsed.of("sessions"))}
    return [(str(plan_id), str(client_id))], list(parsed.of("responses")), other


def _rescored(response: Any) -> Any:
    """The response with its total, band and flags from this Rekindle's scorer (flags in the file kept too)."""
    inst = find(response.instrument)
    if inst is None:
        return response
    try:
        result = score(inst, list(response.answers))
    except RekindleError:
        return response  # answers from another version of the questionnaire: kept as sent
    flags = tuple(dict.fromkeys([*result.flags, *response.flags]))
    return Response.make(response.instrument, list(response.answers), total=result.total,
                         band=result.band.label if result.band else None, flags=flags, at=response.at,
                         context=response.context)
