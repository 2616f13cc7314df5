"""Forms of the users pages. The org unit is typed as its code, as on the event form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app import labels
from app.forms import Form


class UserForm(Form):
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(str(r), words) for r, words in labels.ROLE.items()]
    )
    org_unit = StringField(_l("Org unit"), validators=[DataRequired(), Length(max=16)])


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Password"),
        validators=[Optional()],
        description=_l("Leave empty to generate one, shown once after saving."),
    )


class OwnPasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
    )
