"""The offline channel form: a quantity of leaflets, broadcasts or posters for a commune."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app import labels
from app.forms import Form, VNDateField, WholeNumberField, WholeRange
from app.reports.offline import MAX_QUANTITY
from app.wholenumbers import MAX_VND


class OfflineForm(Form):
    kind = SelectField(
        _l("Channel"), choices=[SelectChoice(str(k), lbl) for k, lbl in labels.OFFLINE_KIND.items()]
    )
    # By name: the communes under the user's unit (the route fills the choices).
    org_unit = SelectField(
        _l("Commune"), choices=[], validate_choice=False, validators=[DataRequired()]
    )
    campaign_id = SelectField(_l("Campaign"), coerce=str, validate_choice=True)
    period_start = VNDateField(_l("From"), validators=[DataRequired()])
    period_end = VNDateField(_l("To"), validators=[Optional()])
    quantity = WholeNumberField(
        _l("Quantity"), validators=[DataRequired(), WholeRange(1, MAX_QUANTITY)]
    )
    # An empty box is a cost not entered (None), never 0: 0 says the activity was free.
    cost_vnd = WholeNumberField(_l("Cost (VND)"), validators=[Optional(), WholeRange(0, MAX_VND)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def data_for_service(self) -> dict[str, Any]:
        return {
            "kind": self.kind.data,
            "org_unit": self.org_unit.data,
            "campaign_id": int(self.campaign_id.data) if self.campaign_id.data else None,
            "period_start": self.period_start.data,
            "period_end": self.period_end.data,
            "quantity": self.quantity.data,
            "cost_vnd": self.cost_vnd.data,  # None: not entered
            "note": self.note.data or "",
        }
