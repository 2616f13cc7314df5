"""`/users` (administrators: their unit's accounts) and `/account/password` (everyone).

Administrators see and change only the accounts of their own unit and the units below it
(``app.scoping``): another province's account answers 404. A reset password is shown once, in
the answer to the POST itself — never in a redirect's flash message, which would carry it in the
session cookie — with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import labels
from app.auth.access import role_required
from app.auth.passwords import generate_password
from app.events.queries import unit_by_code
from app.extensions import db
from app.models import OrgUnit, Role, User
from app.realtime import sockets
from app.scoping import get_scoped, scoped, unit_in_scope
from app.users import bp, role_words, services
from app.users.forms import NewUserForm, OwnPasswordForm, UserForm
from app.users.role_words import USER_ADMIN

Page = Response | str | tuple[str, int]


@bp.route("/users")
@role_required(USER_ADMIN)
def user_list() -> str:
    stmt = scoped(select(User).join(User.org_unit), User, current_user)
    users = db.session.scalars(stmt.order_by(OrgUnit.path, User.email)).all()
    return render_template("users/list.html", users=users, role_labels=labels.ROLE)


def _changes(form: UserForm) -> services.Changes | None:
    """The form's values, or None with the unit's error set when it is unknown or elsewhere."""
    if not form.validate_on_submit():
        return None
    unit = unit_by_code(form.org_unit.data.strip())
    if unit is None or not unit_in_scope(unit, current_user):
        form.org_unit.errors = [_("Unknown org unit code: %(code)s", code=form.org_unit.data)]
        return None
    return services.Changes(email=form.email.data, display_name=form.display_name.data or "",
                            role=Role(form.role.data), unit=unit)  # fmt: skip


def _refused(form: UserForm, exc: services.UserError) -> None:
    db.session.rollback()
    field = getattr(form, exc.field, None)
    if field is not None:
        field.errors = [str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))


def _shown_once(user: User, password: str, created: bool) -> Response:
    html = render_template("users/password_shown.html", user=user, password=password,
                           created=created)  # fmt: skip
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(USER_ADMIN)
def user_new() -> Page:
    form = NewUserForm()
    if request.method == "GET":
        form.org_unit.data = current_user.org_unit.code
        form.role.data = Role.OFFICER.value
    changes = _changes(form)
    if changes is not None:
        password = form.password.data or ""
        generated = not password
        try:
            if generated:
                password = generate_password(changes.email)
            user = services.create_user(current_user, changes, password)
        except services.UserError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            if generated:
                return _shown_once(user, password, created=True)
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("users.user_list"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "users/form.html", form=form, user=None, role_rows=role_words.rows()
    ), status


ACTIONS = ("deactivate", "reactivate", "reset_password")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(USER_ADMIN)
def user_edit(user_id: int) -> Page:
    user = get_scoped(User, user_id, current_user)
    action = request.form.get("action", "save") if request.method == "POST" else None
    if action in ACTIONS:
        return _act(user, action)
    form = UserForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.role.data = user.role.value
        form.org_unit.data = user.org_unit.code
    changes = _changes(form)
    if changes is not None:
        try:
            changed = services.update_user(current_user, user, changes)
        except services.UserError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            if {"role", "org_unit"} & set(changed):
                # An open live page keeps what its join allowed (phone numbers, a province's
                # events) until it joins again: close it now, in every web process; the page
                # reconnects and joins under the new role and unit.
                sockets.close_for(user.id)
            if changed:
                flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("users.user_list"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "users/form.html", form=form, user=user, role_rows=role_words.rows()
    ), status


def _act(user: User, action: str) -> Page:
    """The buttons beside the form (CSRF is checked app-wide before any POST reaches a view)."""
    try:
        if action == "reset_password":
            password = services.reset_password(current_user, user)
            db.session.commit()
            sockets.close_for(user.id)  # every session of the user ended: their sockets too
            return _shown_once(user, password, created=False)
        if action == "deactivate":
            services.deactivate(current_user, user)
            message = _("%(email)s can no longer log in; their open sessions have ended.",
                        email=user.email)  # fmt: skip
        else:
            services.reactivate(current_user, user)
            message = _("%(email)s can log in again.", email=user.email)
    except services.UserError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("users.user_edit", user_id=user.id))
    db.session.commit()
    if action == "deactivate":
        sockets.close_for(user.id)  # their live pages stop receiving, in every web process
    flash(message, "success")
    return redirect(url_for("users.user_list"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def own_password() -> Page:
    """Any user: the current password, then the new one twice; other browsers are logged out."""
    form = OwnPasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current.data, form.new.data)
        except services.UserError as exc:
            _refused(form, exc)  # type: ignore[arg-type]
        else:
            db.session.commit()
            # Other browsers' open live pages too: closed, they connect again and are refused
            # at the join; this browser's own pages join again under its renewed session.
            sockets.close_for(current_user.id)
            _keep_this_session()
            flash(_("Your password is changed; other browsers have been logged out."), "success")
            return redirect(url_for("home.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("users/own_password.html", form=form), status


def _keep_this_session() -> None:
    """The new session token signed every browser out; this one logs in again with it."""
    from flask_login import login_user

    login_user(current_user._get_current_object())  # type: ignore[attr-defined]
