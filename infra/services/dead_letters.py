"""Dead letters: see what was refused and why, and send it through intake again once the
cause is fixed (the roster imported, the producer fixed). A replay puts the original bytes
back on the outbox in the same transaction that marks them replayed, so the relay sends
each exactly when the mark commits; an event that became a case meanwhile changes nothing,
and one that still fails is dead-lettered again, pending, with its new error."""
from __future__ import annotations

from dataclasses import dataclass

from infra.services.acting import allowed
from infra.services.ports import Row, UnitOfWork
from models.access import Actor, Capability


@dataclass(frozen=True)
class ListDeadLetters:
    actor: Actor
    topic: str | None = None
    include_replayed: bool = False
    limit: int = 100


@dataclass(frozen=True)
class ReplayDeadLetters:
    actor: Actor
    topic: str | None = None
    ids: tuple[int, ...] = ()


async def list_dead_letters(cmd: ListDeadLetters, uow: UnitOfWork) -> list[Row]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    return await uow.dead_letters.pending(topic=cmd.topic, include_replayed=cmd.include_replayed, limit=cmd.limit)


async def replay_dead_letters(cmd: ReplayDeadLetters, uow: UnitOfWork) -> int:
    """Re-send pending dead letters to the topics they came from; returns how many."""
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    letters = await uow.dead_letters.pending(topic=cmd.topic, ids=cmd.ids, limit=100_000)
    letters = [letter for letter in letters if letter["value"] is not None]  # redacted by retention: gone
    for letter in letters:
        await uow.outbox.enqueue(letter["topic"], letter["key"], letter["value"], uow.now)
    await uow.dead_letters.mark_replayed([letter["id"] for letter in letters], uow.now)
    await uow.audit.record(at=uow.now, who=cmd.actor, action="dead_letter_replay", count=len(letters))
    await uow.commit()
    return len(letters)
