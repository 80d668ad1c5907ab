"""Notifications (issue 13) as people use them: a cadre's own notification centre (unread
first, mark read), their preferences (which channels ring, quiet hours 22:00–07:00 except
urgent cases) set by the cadre themselves or an admin, and the admin's delivery log with every
attempt, re-send and dead letters. The notifier (`infra.notify`) writes what these read.

Nobody reads another's notifications: someone else's is a 404, like one that does not exist."""
from __future__ import annotations

from dataclasses import dataclass

from infra.services.acting import allowed
from infra.services.errors import Conflict, Forbidden, Invalid, NotFound
from infra.services.ports import Row, UnitOfWork
from models.access import Actor, Capability, Role
from models.errors import DomainError
from models.notification_channels import PERSONAL, QUIET_END, QUIET_START, Preferences

RESENDABLE = ("dead", "sent")
# The field each refused preference names (a 422 points at it).
_FIELD_OF = {"notification.unknown_channel": "channels", "notification.not_an_email": "email",
             "notification.email_required": "email"}


@dataclass(frozen=True)
class ListNotifications:
    """The caller's own, unread first, newest first within each."""
    actor: Actor
    limit: int = 50
    offset: int = 0
    unread_only: bool = False


@dataclass(frozen=True)
class CountUnread:
    actor: Actor


@dataclass(frozen=True)
class MarkRead:
    actor: Actor
    notification_id: str


@dataclass(frozen=True)
class MarkAllRead:
    actor: Actor


@dataclass(frozen=True)
class ReadPreferences:
    """`cadre_id` None: the caller's own."""
    actor: Actor
    cadre_id: str | None = None


@dataclass(frozen=True)
class SetPreferences:
    actor: Actor
    cadre_id: str | None
    channels: tuple[str, ...]
    quiet_hours: bool = True
    email: str | None = None


@dataclass(frozen=True)
class ListDeliveries:
    actor: Actor
    notification_id: str | None = None
    status: str | None = None
    channel: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class ResendDelivery:
    actor: Actor
    delivery_id: int


@dataclass(frozen=True)
class ResendDeadLetters:
    """Every delivery that gave up (on one channel, or all) goes out again."""
    actor: Actor
    channel: str | None = None


@dataclass(frozen=True)
class ListNotificationDeadLetters:
    actor: Actor
    include_resent: bool = False
    limit: int = 100


@dataclass(frozen=True)
class NotificationsPage:
    items: list[Row]
    total: int
    unread: int


async def list_notifications(cmd: ListNotifications, uow: UnitOfWork) -> NotificationsPage:
    cadre_id = cmd.actor.cadre_id
    if cadre_id is None:  # a shared desk's or an admin's token: nobody's notifications
        return NotificationsPage([], 0, 0)
    items = await uow.notifications.page(cadre_id, limit=cmd.limit, offset=cmd.offset, unread_only=cmd.unread_only)
    total, unread = await uow.notifications.counts(cadre_id)
    return NotificationsPage(items, unread if cmd.unread_only else total, unread)


async def count_unread(cmd: CountUnread, uow: UnitOfWork) -> int:
    if cmd.actor.cadre_id is None:
        return 0
    _, unread = await uow.notifications.counts(cmd.actor.cadre_id)
    return unread


async def mark_read(cmd: MarkRead, uow: UnitOfWork) -> Row:
    """The notification, read; with `unread`: how many of the caller's remain."""
    cadre_id = cmd.actor.cadre_id
    note = await uow.notifications.mark_read(cadre_id, cmd.notification_id, uow.now) if cadre_id else None
    if note is None or cadre_id is None:
        raise NotFound(f"no notification {cmd.notification_id}", code="notification.not_found",
                       params={"notification_id": cmd.notification_id})
    _, unread = await uow.notifications.counts(cadre_id)
    await uow.commit()
    return {**note, "unread": unread}


async def mark_all_read(cmd: MarkAllRead, uow: UnitOfWork) -> int:
    if cmd.actor.cadre_id is None:
        return 0
    marked = await uow.notifications.mark_all_read(cmd.actor.cadre_id, uow.now)
    await uow.commit()
    return marked


def _whose(uow: UnitOfWork, actor: Actor, cadre_id: str | None) -> str:
    """The cadre whose preferences these are: the caller's own, or — for an admin — anyone's."""
    wanted = cadre_id or actor.cadre_id
    if wanted is None:
        raise NotFound("this login is no cadre of the roster and has no notification preferences",
                       code="notification.no_cadre")
    if wanted != actor.cadre_id and actor.role != Role.ADMIN:
        raise Forbidden(f"only cadre {wanted} or an admin sees and sets their notification preferences",
                        code="notification.not_yours", params={"cadre_id": wanted})
    if not uow.roster.has_cadre(wanted):
        raise NotFound(f"no cadre {wanted}", code="roster.unknown_cadre", params={"cadre_id": wanted})
    return wanted


def _answer(cadre_id: str, prefs: Preferences) -> Row:
    return {"cadre_id": cadre_id, **prefs.to_dict(), "choices": list(PERSONAL),
            "quiet_from": QUIET_START.strftime("%H:%M"), "quiet_until": QUIET_END.strftime("%H:%M")}


async def read_preferences(cmd: ReadPreferences, uow: UnitOfWork) -> Row:
    cadre_id = _whose(uow, cmd.actor, cmd.cadre_id)
    return _answer(cadre_id, await uow.notifications.preferences(cadre_id))


async def set_preferences(cmd: SetPreferences, uow: UnitOfWork) -> Row:
    cadre_id = _whose(uow, cmd.actor, cmd.cadre_id)
    try:
        prefs = Preferences.parse({"channels": cmd.channels, "quiet_hours": cmd.quiet_hours, "email": cmd.email})
    except DomainError as error:
        raise Invalid(_FIELD_OF.get(error.code, "channels"), str(error), code=error.code,
                      params=error.params) from None
    await uow.notifications.set_preferences(cadre_id, prefs, cmd.actor.cadre_id or cmd.actor.role.value, uow.now)
    await uow.audit.record(at=uow.now, who=cmd.actor, action="notification_preferences", of_cadre=cadre_id,
                           channels=sorted(prefs.channels), quiet_hours=prefs.quiet_hours)  # the address stays out of the audit log
    await uow.commit()
    return _answer(cadre_id, prefs)


async def list_deliveries(cmd: ListDeliveries, uow: UnitOfWork) -> list[Row]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    return await uow.notifications.deliveries(notification_id=cmd.notification_id, status=cmd.status,
                                              channel=cmd.channel, limit=cmd.limit, offset=cmd.offset)


async def resend_delivery(cmd: ResendDelivery, uow: UnitOfWork) -> Row:
    """A delivery that gave up (or went out, and must again): attempts start from zero; the
    earlier attempts stay in its log."""
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    found = await uow.notifications.deliveries(delivery_id=cmd.delivery_id, limit=1)
    if not found:
        raise NotFound(f"no delivery {cmd.delivery_id}", code="notification.no_delivery",
                       params={"delivery_id": cmd.delivery_id})
    status = found[0]["status"]
    if status not in RESENDABLE:
        raise Conflict(f"delivery {cmd.delivery_id} is {status}: it is still being tried", state=status,
                       code="notification.still_trying", params={"delivery_id": cmd.delivery_id, "status": status})
    await uow.notifications.resend([cmd.delivery_id], uow.now)
    await uow.audit.record(at=uow.now, who=cmd.actor, action="notification_resend", delivery_ids=[cmd.delivery_id])
    (after,) = await uow.notifications.deliveries(delivery_id=cmd.delivery_id, limit=1)
    await uow.commit()
    return after


async def resend_dead_letters(cmd: ResendDeadLetters, uow: UnitOfWork) -> int:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    letters = await uow.notifications.dead_letters(limit=100_000)
    ids = sorted({letter["delivery_id"] for letter in letters if cmd.channel in (None, letter["channel"])})
    resent = await uow.notifications.resend(ids, uow.now)
    await uow.audit.record(at=uow.now, who=cmd.actor, action="notification_resend", delivery_ids=ids)
    await uow.commit()
    return resent


async def list_dead_letters(cmd: ListNotificationDeadLetters, uow: UnitOfWork) -> list[Row]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    return await uow.notifications.dead_letters(include_resent=cmd.include_resent, limit=cmd.limit)
