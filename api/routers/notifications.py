"""Notifications: the caller's own (unread first, with the unread count) and marking them
read — someone else's is a 404 —, a cadre's preferences (their own, or any cadre's for an
admin), and the admin's delivery log with every attempt, re-send and dead letters."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import Admin, App, CurrentActor
from api.schemas.actions import Empty
from api.schemas.notifications import (DeliveriesPublic, DeliveryPublic, DeliveryStatus, MarkedRead,
                                       NotificationDeadLettersPublic, NotificationRead, NotificationsPublic,
                                       PreferencesPublic, PreferencesUpdate, PushChannel, ResentPublic, UnreadPublic)
from api.schemas.problems import answers
from infra.services import notifications as N

router = APIRouter(prefix="/api/v1", tags=["notifications"], responses=answers(401, 403, 404, 503))
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
CadrePath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/notifications", response_model=NotificationsPublic)
async def my_notifications(app: App, actor: CurrentActor, unread_only: bool = False, limit: Limit = 50,
                           offset: Offset = 0) -> NotificationsPublic:
    """The caller's own notifications, unread first, newest first within each."""
    page = await app.handle(N.ListNotifications(actor, limit, offset, unread_only))
    return NotificationsPublic(items=page.items, total=page.total, unread=page.unread, limit=limit, offset=offset)


@router.get("/notifications/unread", response_model=UnreadPublic)
async def unread(app: App, actor: CurrentActor) -> UnreadPublic:
    return UnreadPublic(unread=await app.handle(N.CountUnread(actor)))


@router.post("/notifications/read", response_model=MarkedRead)
async def mark_all_read(app: App, actor: CurrentActor, body: Empty | None = None) -> MarkedRead:
    return MarkedRead(marked=await app.handle(N.MarkAllRead(actor)), unread=0)


@router.post("/notifications/{notification_id}/read", response_model=NotificationRead)
async def mark_read(notification_id: Annotated[str, Path(min_length=1, max_length=36)], app: App,
                    actor: CurrentActor, body: Empty | None = None) -> NotificationRead:
    """Only the recipient marks a notification read; anyone else's is a 404."""
    return NotificationRead(**await app.handle(N.MarkRead(actor, notification_id)))


@router.get("/notifications/preferences", response_model=PreferencesPublic)
async def my_preferences(app: App, actor: CurrentActor) -> PreferencesPublic:
    return PreferencesPublic(**await app.handle(N.ReadPreferences(actor)))


@router.put("/notifications/preferences", response_model=PreferencesPublic)
async def set_my_preferences(body: PreferencesUpdate, app: App, actor: CurrentActor) -> PreferencesPublic:
    return PreferencesPublic(**await app.handle(_setting(actor, None, body)))


@router.get("/cadres/{cadre_id}/notification-preferences", response_model=PreferencesPublic)
async def preferences_of(cadre_id: CadrePath, app: App, actor: CurrentActor) -> PreferencesPublic:
    """A cadre's preferences: an admin, or the cadre themselves."""
    return PreferencesPublic(**await app.handle(N.ReadPreferences(actor, cadre_id)))


@router.put("/cadres/{cadre_id}/notification-preferences", response_model=PreferencesPublic)
async def set_preferences_of(cadre_id: CadrePath, body: PreferencesUpdate, app: App,
                             actor: CurrentActor) -> PreferencesPublic:
    return PreferencesPublic(**await app.handle(_setting(actor, cadre_id, body)))


def _setting(actor: CurrentActor, cadre_id: str | None, body: PreferencesUpdate) -> N.SetPreferences:
    return N.SetPreferences(actor, cadre_id, tuple(body.channels), body.quiet_hours, body.email)


@router.get("/admin/deliveries", response_model=DeliveriesPublic)
async def deliveries(app: App, actor: Admin, notification_id: Annotated[str | None, Query(max_length=36)] = None,
                     status: DeliveryStatus | None = None, channel: PushChannel | None = None, limit: Limit = 100,
                     offset: Offset = 0) -> DeliveriesPublic:
    """The delivery log: every push delivery, newest first, with each attempt."""
    rows = await app.handle(N.ListDeliveries(actor, notification_id, status, channel, limit, offset))
    return DeliveriesPublic(items=rows, limit=limit, offset=offset)


@router.post("/admin/deliveries/{delivery_id}/resend", response_model=DeliveryPublic, responses=answers(409))
async def resend(delivery_id: Annotated[int, Path(ge=1, le=2**62)], app: App, actor: Admin,
                 body: Empty | None = None) -> DeliveryPublic:
    """A delivery that gave up (or was sent, and must go again) is tried anew from attempt one."""
    return DeliveryPublic(**await app.handle(N.ResendDelivery(actor, delivery_id)))


@router.get("/admin/notification-dead-letters", response_model=NotificationDeadLettersPublic)
async def dead_letters(app: App, actor: Admin, include_resent: bool = False,
                       limit: Limit = 100) -> NotificationDeadLettersPublic:
    rows = await app.handle(N.ListNotificationDeadLetters(actor, include_resent, limit))
    return NotificationDeadLettersPublic(items=rows)


@router.post("/admin/notification-dead-letters/resend", response_model=ResentPublic)
async def resend_dead_letters(app: App, actor: Admin, channel: PushChannel | None = None,
                              body: Empty | None = None) -> ResentPublic:
    """Every delivery that gave up (on one channel, or all) goes out again."""
    return ResentPublic(resent=await app.handle(N.ResendDeadLetters(actor, channel)))
