"""Consent as a recorded answer, and the legal basis of the people who never gave one.

Under the Personal Data Protection Law (91/2025/QH15) a person's consent counts only when they
were told what for: so every answer is stored with the version of the purpose text they were
shown (``PURPOSES``, the Vietnamese text as printed on the attendee sheet and the check-in page),
whether they agreed, and when. Nobody is stamped as agreeing because a sheet was imported.

People made from comment leads published their number themselves in a public comment asking to
be called; they are held under ``PUBLIC_COMMENT`` (its text says what for) for at most
``LEAD_RETENTION_DAYS`` after their latest comment, then erased by the retention sweep.

``may_process`` is the one rule of who may be linked to enrolments and put on a call list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext
from sqlalchemy import ColumnElement, and_, or_

from app.formatting import fmt_date
from app.identity.text import fold
from app.models import Person
from app.sheets.headers import CellError
from app.sheets.issues import _l

BAD_ANSWER = _l("Write Có (agrees) or Không (does not agree), or leave it empty.")
LEAD_RETENTION_DAYS = 180  # default of the LEAD_RETENTION_DAYS setting
PUBLIC_COMMENT = "public_comment"  # Person.legal_basis of people made from comment leads


@dataclass(frozen=True)
class Purpose:
    """One version of the purpose text a person is asked to agree to (never edited once used)."""

    version: str
    effective_on: date
    text: str  # Vietnamese, as shown to the person: it is the record, not an interface string


PURPOSES: dict[str, Purpose] = {
    p.version: p
    for p in (
        Purpose(
            "MD-2026-01",
            date(2026, 1, 1),
            "Tôi đồng ý để cơ quan Bảo hiểm xã hội thu thập và xử lý họ tên, năm hoặc ngày sinh, "
            "số điện thoại, số căn cước và nơi ở mà tôi ghi tại đây, nhằm: (1) liên hệ tư vấn, "
            "hướng dẫn tôi tham gia BHXH tự nguyện, BHYT hộ gia đình; (2) đối chiếu với danh sách "
            "người tham gia BHXH, BHYT để đánh giá hiệu quả hoạt động truyền thông. Dữ liệu không "
            "cung cấp cho bên thứ ba, được lưu giữ đến hết thời hạn lưu giữ của chiến dịch truyền "
            "thông và được xóa sớm hơn khi tôi rút lại sự đồng ý hoặc yêu cầu xóa. Tôi có quyền "
            "xem, yêu cầu chỉnh sửa, xóa dữ liệu và rút lại sự đồng ý bất cứ lúc nào tại cơ quan "
            "Bảo hiểm xã hội.",
        ),
    )
}
CURRENT = "MD-2026-01"  # the version new sheets, check-in pages and imports record


def form_name(text: Purpose) -> str:
    """The form as officers name it, by its date; the code after it is for an auditor who
    compares a filled sheet with the record (the sheets are always Vietnamese: they are printed)."""
    return f"Mẫu đồng ý ngày {text.effective_on:%d/%m/%Y} (mã lưu trữ {text.version})"


# Written for the office's data-protection record; its legal wording is for the office's legal
# officer to confirm. ``{days}`` is the LEAD_RETENTION_DAYS setting.
PUBLIC_COMMENT_BASIS = (
    "Người bình luận tự công khai số điện thoại của mình trong bình luận trên trang, kênh của cơ "
    "quan Bảo hiểm xã hội để được tư vấn. Cơ quan BHXH xử lý tên hiển thị, số điện thoại và nội "
    "dung bình luận đó không cần sự đồng ý, theo trường hợp xử lý phục vụ hoạt động của cơ quan "
    "nhà nước theo luật chuyên ngành (thông tin, tuyên truyền, vận động tham gia BHXH, BHYT) của "
    "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, chỉ để gọi lại tư vấn và đếm số người tham gia "
    "sau khi được tư vấn; lưu giữ không quá {days} ngày kể từ bình luận gần nhất rồi xóa; người "
    "bình luận có thể yêu cầu xóa hoặc phản đối việc xử lý bất cứ lúc nào."
)

YES = {"co", "c", "x", "dong y", "co dong y", "yes", "y", "true", "1", "v", "ok"}
NO = {"khong", "k", "ko", "khong dong y", "no", "n", "false", "0"}


def purpose(version: str | None) -> Purpose | None:
    return PURPOSES.get(version or "")


def purpose_name(version: str | None) -> str:
    """A purpose text as officers name it ("Mẫu đồng ý ngày 01/01/2026"): its version code
    means nothing on a screen; it stays where an auditor looks (a tooltip, the exports)."""
    found = purpose(version)
    if found is None:
        return gettext("a consent form not on record")
    return gettext("Consent form of %(date)s", date=fmt_date(found.effective_on))


def purpose_code(version: str | None) -> str:
    """The version code, said to be one (a tooltip beside ``purpose_name``, for an auditor who
    compares it with the sheet printed or the download)."""
    return gettext("Code of the consent form, for audits: %(code)s", code=version or "—")


def register(app: Flask) -> None:
    """Template filters ``purpose_name`` (``{{ person.consent_version|purpose_name }}``) and
    ``purpose_code`` (its tooltip)."""
    app.add_template_filter(purpose_name, "purpose_name")
    app.add_template_filter(purpose_code, "purpose_code")


def read_answer(value: Any) -> bool | None:
    """Có / Không (also ✓, x, yes, no, true, false) → True / False; empty → None (not asked).

    Raises ValueError for anything else: a guess would record an answer nobody gave.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = str(int(value)) if float(value) in (0.0, 1.0) else str(value)
    text = " ".join(fold(str(value)).replace("✓", "v").replace("✔", "v").split())
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(BAD_ANSWER)


def answer_cell(value: Any) -> bool | None:
    """The consent column's parser for the sheet reader (app.sheets)."""
    try:
        return read_answer(value)
    except ValueError:
        raise CellError(BAD_ANSWER) from None


def lead_retention() -> timedelta:
    return timedelta(days=int(current_app.config.get("LEAD_RETENTION_DAYS", LEAD_RETENTION_DAYS)))


def public_comment_basis() -> str:
    return PUBLIC_COMMENT_BASIS.format(days=lead_retention().days)


def lead_kept_until(last_comment: datetime) -> datetime:
    """When a comment lead's data goes, counted from their latest comment."""
    return last_comment + lead_retention()


def may_process() -> ColumnElement[bool]:
    """People who may be linked to enrolments and called: not erased, not withdrawn, and either
    agreed (a recorded answer) or, never having answered, a comment lead held under its basis.

    A recorded "no" wins over the comment basis: the person said it to our own officer.
    """
    return and_(
        Person.erased_at.is_(None),
        Person.consent_withdrawn_at.is_(None),
        or_(
            Person.consent_agreed.is_(True),
            and_(Person.consent_agreed.is_(None), Person.legal_basis == PUBLIC_COMMENT),
        ),
    )


def person_may_be_processed(person: Person) -> bool:
    """``may_process`` for one loaded person."""
    if person.erased_at is not None or person.consent_withdrawn_at is not None:
        return False
    if person.consent_agreed is not None:
        return person.consent_agreed
    return person.legal_basis == PUBLIC_COMMENT
