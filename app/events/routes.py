"""Pages for campaigns and events: lists with filters, and the forms to create and edit them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from app import labels
from app.auth.access import role_required
from app.collection.fit import links_hint, links_hints
from app.events import bp, queries
from app.events.ending import saved_words
from app.events.forms import CampaignForm, EventFilterForm, EventForm, LinksForm, TrackForm
from app.events.part import event_part
from app.events.pasted import create_with_links
from app.events.pending_links import after_save, cancel, drop, forget, take, waiting_links
from app.events.services import (
    CAMPAIGN_ABOVE,
    CAMPAIGN_WRITER,
    EVENT_WRITER,
    FieldError,
    apply_campaign,
    create_campaign,
    save_event,
)
from app.events.start_gap import start_gap_sentence
from app.events.status import shown_status, status_words
from app.extensions import db
from app.halls.qr import qr_svg
from app.models import Campaign, Channel, Event, Target, utcnow
from app.scoping import (
    get_campaign_to_change,
    get_event_view,
    get_scoped,
    unit_in_scope,
    units_to_pick,
)
from app.timeparse import as_utc

PAGE_SIZE = 50
T = TypeVar("T")
LABELS = {"channels": labels.CHANNEL, "statuses": labels.EVENT_STATUS, "schemes": labels.SCHEME,
          "shown_statuses": labels.SHOWN_STATUS}  # fmt: skip


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return dict(labels=LABELS, links_hint=_links_hint, links_hints=_links_hints,
                status_of=_status_of, status_text=_status_text,
                followed_live=queries.followed_live)  # fmt: skip


def _links_hint(channel: Channel | str | None) -> dict[str, str]:
    """The links box's help for the user: sandbox links and advice on the platforms of the
    accounts that read their pastes (``check_links``)."""
    from app.collection.links import usable_platforms  # as check_links: imports the collectors

    return links_hint(channel, usable_platforms(current_user))


def _links_hints() -> dict[str, dict[str, str]]:
    from app.collection.links import usable_platforms

    return links_hints(usable_platforms(current_user))


def _status_of(event: Event) -> str:
    """The status a page shows of ``event`` now (``app.events.status.shown_status``)."""
    return shown_status(event, utcnow())


def _status_text(event: Event) -> str:
    return status_words(event, utcnow())  # the same words on every page


@bp.route("/events")
@login_required
def event_list() -> str:
    form = EventFilterForm(request.args)
    form.org_unit.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(u.code, u.name) for u in units_to_pick(current_user)
    ]
    form.validate()
    unit = None
    if form.org_unit.data and not form.org_unit.errors:
        unit = queries.unit_by_code(form.org_unit.data.strip())
        if unit is None or not unit_in_scope(unit, current_user):
            form.org_unit.errors = [_("Unknown org unit code: %(code)s", code=form.org_unit.data)]
            unit = None
    stmt = queries.event_list(
        current_user,
        channel=None if form.channel.errors else form.channel.data or None,
        status=None if form.status.errors else form.status.data or None,
        unit=unit,
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data,
    )
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    pagination = db.paginate(stmt, page=page, per_page=PAGE_SIZE, error_out=False)
    part = {e.id for e in pagination.items if not unit_in_scope(e.org_unit, current_user)}
    return render_template("events/list.html", form=form, pagination=pagination, part=part)


def _campaign_choices(form: EventForm) -> None:
    """The campaigns an event may join (its user's subtree's and above), named with their unit."""
    form.campaign_id.choices = [SelectChoice("", _("(none)"))] + [
        SelectChoice(str(c.id), _campaign_label(c)) for c in queries.campaigns_for(current_user)
    ]


def _campaign_label(campaign: Campaign) -> str:
    if queries.runs_above(campaign, current_user):
        return _("%(name)s (run by %(unit)s)", name=campaign.name, unit=campaign.org_unit.name)
    return campaign.name


def _event_data(form: EventForm) -> dict[str, Any]:
    return {
        "title": form.title.data.strip(),
        "channel": form.channel.data,
        "status": form.status.data,
        "org_unit": form.org_unit.data,
        "campaign_id": int(form.campaign_id.data) if form.campaign_id.data else None,
        "planned_start": as_utc(form.planned_start.data),
        "planned_end": as_utc(form.planned_end.data),
        "cost_vnd": form.cost_vnd.data,  # None: not entered
        "description": form.description.data or "",
    }


def _save(form: Any, write: Callable[[], T], saved: str | None) -> T | None:
    """Write a valid submitted form and commit; None when the form must be shown again.

    A value the services refuse (``FieldError``) undoes the write and is shown on its field, or
    flashed when the form has no such field."""
    if not form.validate_on_submit():
        return None
    try:
        written = write()
    except FieldError as exc:
        db.session.rollback()
        for name, messages in getattr(exc, "errors", {exc.field: [exc.message]}).items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, *messages]
            else:
                flash(" ".join(messages), "error")
        return None
    db.session.commit()
    if saved is not None:  # None: the caller says what the write did
        flash(saved, "success")
    return written


def _form_page(template: str, form: Any, **context: Any) -> tuple[str, int]:
    """The form again: 422 after a refused submission, 200 on first show."""
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(EVENT_WRITER)
def event_new() -> Response | tuple[str, int] | str:
    form = EventForm()
    _campaign_choices(form)
    if not form.is_submitted():
        form.org_unit.data = current_user.org_unit.code
    # All or nothing: a typed link that cannot be tracked refuses the form (``app.events.pasted``).
    new = lambda: create_with_links(_event_data(form), form.links.data or "", current_user)  # noqa: E731
    created = _save(form, new, _("Event saved."))
    if created is not None:  # its links are confirmed with what the platforms said of them
        return after_save(created.event, form.links.data or "", created.checked)
    return _form_page("events/form.html", form, event=None)


@bp.route("/events/<int:event_id>")
@login_required
def event_detail(event_id: int) -> str:
    """The whole event, or the part a unit below the organiser takes in it (``events/part``)."""
    from app.live.summary import event_summary
    from app.status import words

    view = get_event_view(event_id, current_user)
    event = view.event
    if not view.whole:
        part = event_part(event, current_user, utcnow())
        return render_template("events/part.html", event=event, part=part, qr_svg=qr_svg)
    targets = list(db.session.scalars(select(Target).where(Target.event_id == event.id)))
    return render_template(
        "events/detail.html",
        event=event,
        start_gap=start_gap_sentence(event, bool(targets)),
        summary=event_summary(event.id) if targets else None,
        targets=targets,
        words=words,
        attendees=queries.attendees_of(event),
        links_form=LinksForm() if current_user.has_role(EVENT_WRITER) else None,
        pending_links=waiting_links(event),  # typed on a form, not tracked yet, by anyone
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(EVENT_WRITER)
def event_edit(event_id: int) -> Response | tuple[str, int] | str:
    event = get_scoped(Event, event_id, current_user)
    form = EventForm(
        data={
            "title": event.title,
            "channel": event.channel.value,
            "status": event.status.value,
            "org_unit": event.org_unit.code,
            "campaign_id": str(event.campaign_id or ""),
            "planned_start": _local_naive(event.planned_start),
            "planned_end": _local_naive(event.planned_end),
            "cost_vnd": event.cost_vnd,
            "description": event.description,
        }
    )
    _campaign_choices(form)
    saved = _save(form, lambda: save_event(event, _event_data(form), current_user), None)
    if saved is not None:
        from app.realtime import publish_soon  # app.realtime reads the events' modules

        publish_soon(event.id, "status")  # open live pages follow: an end, a reopening, dates
        flash(saved_words(saved), "success")
        return after_save(event, form.links.data or "")
    return _form_page("events/form.html", form, event=event)


@bp.route("/events/<int:event_id>/links", methods=["GET", "POST"])
@role_required(EVENT_WRITER)
def event_links(event_id: int) -> Response | tuple[str, int] | str:
    """Paste links; see what each platform says of them; track the ones confirmed."""
    from app.collection.links import check_links
    from app.status import words

    event = get_scoped(Event, event_id, current_user)
    step = request.form.get("step") if request.method == "POST" else None
    if step in ("track", "cancel", "drop"):  # "Cancel", "drop": typed links wait no more
        return {"track": _track, "cancel": cancel, "drop": drop}[step](event)
    form, checked = LinksForm(), None
    kept = None if form.is_submitted() else take(event)  # a new event's, read as it was saved
    if kept is not None:
        form.links.data, checked = kept
    elif not form.validate_on_submit():
        return _form_page("events/links.html", form, event=event, rows=None, words=words)
    try:
        checked = checked or check_links(event, form.links.data, current_user)
    except FieldError as exc:
        form.links.errors = [*form.links.errors, exc.message]
        page = render_template("events/links.html", form=form, event=event, rows=None, words=words)
        return page, 422
    track, rows = _track_form(form.links.data, checked)
    return render_template(
        "events/links.html", form=form, event=event, track=track, rows=rows, words=words
    )


def _track_form(text: str, checked: list[Any]) -> tuple[TrackForm, list[tuple[Any, Any]]]:
    """The confirmation of the objects described, each checked line beside its part (or None)."""
    ready = [c for c in checked if c.ok]
    items = [{"track": True, **c.confirmed()} for c in ready]
    form = TrackForm(formdata=None, data={"links": text, "items": items})
    entries = {}
    for entry, item in zip(form.items.entries, ready, strict=True):
        entry.form.account_id.choices = [SelectChoice(a.id, a.name) for a in item.accounts]
        entries[id(item)] = entry.form
    return form, [(c, entries.get(id(c))) for c in checked]


def _track(event: Event) -> Response:
    """Create the confirmed targets, all or none, and go back to the event."""
    from app.collection.targets import add_checked_target
    from app.realtime import publish_soon

    form = TrackForm()
    back = redirect(url_for("events.event_detail", event_id=event.id))
    if not form.validate_on_submit():
        flash(_("The confirmation could not be read. Paste the links again."), "error")
        return back
    chosen = [entry.form for entry in form.items.entries if entry.form.track.data]
    if not chosen:
        flash(_("Nothing was chosen, so nothing more is tracked."), "error")
        return back
    try:
        for item in chosen:
            add_checked_target(event, item.kind.data, item.external_id.data, item.account_id.data,
                               current_user, title=item.title.data, url=item.url.data)  # fmt: skip
    except FieldError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    forget(event, form.links.data)  # the links typed on a form and confirmed wait no more
    # Open live pages follow at once: a meeting collector turns the halls board to the meeting.
    publish_soon(event.id, "targets")
    count = len(chosen)
    flash(ngettext("%(num)s object is now tracked.", "%(num)s objects are now tracked.", count),
          "success")  # fmt: skip
    return back


def _local_naive(value: Any) -> Any:
    from app.formatting import local

    return None if value is None else local(value).replace(tzinfo=None)


@bp.route("/campaigns")
@login_required
def campaign_list() -> str:
    """The user's campaigns, and those of the units above theirs (marked, never editable)."""
    campaigns = queries.campaigns_for(current_user)
    above = {c.id for c in campaigns if queries.runs_above(c, current_user)}
    return render_template("campaigns/list.html", campaigns=campaigns, above=above)


def _campaign_data(form: CampaignForm) -> dict[str, Any]:
    return {
        "name": form.name.data.strip(),
        "org_unit": form.org_unit.data,
        "scheme": form.scheme.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "goal": form.goal.data or 0,
        "attribution_window_days": form.attribution_window_days.data,
        "description": form.description.data or "",
    }


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required(CAMPAIGN_WRITER)
def campaign_new() -> Response | tuple[str, int] | str:
    form = CampaignForm()
    if not form.is_submitted():
        form.org_unit.data = current_user.org_unit.code
    saved = _save(
        form, lambda: create_campaign(_campaign_data(form), current_user), _("Campaign saved.")
    )
    if saved is not None:
        return redirect(url_for("events.campaign_list"))
    return _form_page("campaigns/form.html", form, campaign=None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(CAMPAIGN_WRITER)
def campaign_edit(campaign_id: int) -> Response | tuple[str, int] | str:
    campaign = get_campaign_to_change(campaign_id, current_user, str(CAMPAIGN_ABOVE))
    form = CampaignForm(
        data={
            "name": campaign.name,
            "org_unit": campaign.org_unit.code,
            "scheme": campaign.scheme.value,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "goal": campaign.goal,
            "attribution_window_days": campaign.attribution_window_days,
            "description": campaign.description,
        }
    )
    saved = _save(
        form,
        lambda: apply_campaign(campaign, _campaign_data(form), current_user),
        _("Campaign saved."),
    )
    if saved is not None:
        return redirect(url_for("events.campaign_list"))
    return _form_page("campaigns/form.html", form, campaign=campaign)
