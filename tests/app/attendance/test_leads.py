"""Comment-lead detection on livestream comments.

Pinned behaviour:
- every keyword in INTENT_KEYWORDS yields its label, with or without diacritics, in NFD and in
  upper case;
- keywords must stand alone as words ("ib" is not in "tribute", "dk" is not in "dkm");
- a tone the commenter typed must agree ("cho hội nghị" is not "cho hỏi");
- phrases in NOT_INTENT do not count ("kêu gọi", "ko dk" = "không được", "hưởng ứng");
- greetings and emoji are not leads; a phone alone is.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable

import pytest

from app.attendance.leads import INTENT_KEYWORDS, NOT_INTENT, LeadScan, find_intents, scan_comment
from app.identity.text import fold

PHONE = "+84912345678"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


SPELLINGS: dict[str, Callable[[str], str]] = {
    "as-typed": lambda s: s,
    "nfd": nfd,
    "upper": str.upper,
    "folded": fold,
}

KEYWORDS = [(label, kw) for label, kws in INTENT_KEYWORDS.items() for kw in kws]


@pytest.mark.parametrize(("label", "keyword"), KEYWORDS)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_keyword_yields_its_label(label: str, keyword: str, spelling: str) -> None:
    text = SPELLINGS[spelling](f"Dạ {keyword} ạ")
    assert label in find_intents(text)


# Real-looking comments: (comment, the intents it must show, in table order).
COMMENTS = [
    ("Cho em hỏi BHXH tự nguyện đóng bao nhiêu 1 tháng ạ", ("muc_dong", "hoi")),
    ("cho em hoi bhxh tu nguyen dong bao nhieu 1 thang a", ("muc_dong", "hoi")),
    ("Mức đóng thấp nhất là bao nhiêu vậy ad", ("muc_dong",)),
    ("phí bao nhiêu 1 năm vậy", ("muc_dong",)),
    ("Tư vấn giúp em với, sđt 0912 345 678", ("tu_van",)),
    ("tv giúp em với ạ", ("tu_van",)),
    ("Em muốn đăng ký cho mẹ", ("dang_ky",)),
    ("đăng kí ở đâu ạ", ("dang_ky",)),
    ("dk o dau vay", ("dang_ky",)),
    ("Đk cho e vs", ("dang_ky",)),
    ("dangky tham gia", ("dang_ky",)),
    ("ib em nhé", ("inbox",)),
    ("IB", ("inbox",)),
    ("check ib giúp mình", ("inbox",)),
    ("Inbox em với", ("inbox",)),
    ("Nhắn tin cho em qua zalo", ("inbox",)),
    ("CHO MÌNH HỎI CHÚT", ("hoi",)),
    ("Xin hỏi người 60 tuổi còn tham gia được không", ("hoi", "dieu_kien")),
    ("Liên hệ ai ở xã ạ", ("lien_he",)),
    ("gọi lại cho em nhé", ("lien_he",)),
    ("Gọi cho em theo số 0987.654.321", ("lien_he",)),
    ("call em nha", ("lien_he",)),
    ("Quyền lợi khi tham gia là gì ạ", ("quyen_loi",)),
    ("bao giờ được hưởng lương hưu", ("quyen_loi",)),
    ("luong huu duoc bao nhieu", ("quyen_loi",)),
    ("Em muốn mua BHYT cho cả nhà", ("bhyt",)),
    ("mua bao hiem y te ho gia dinh o dau", ("bhyt",)),
    ("gia hạn thẻ bhyt", ("bhyt",)),
    ("Em muốn tham gia BHXH tự nguyện", ("bhxh",)),
    ("tham gia bhxh tn", ("bhxh",)),
    ("Đăng ký BHXH tự nguyện ở đâu", ("dang_ky", "bhxh")),
    ("dk0912345678", ("dang_ky",)),  # digits may touch a keyword
    # The questions viewers ask most in a live, which the page answers ("cán bộ sẽ liên hệ bạn"):
    # each one is somebody to call, though none says "tư vấn", "hỏi" or "đăng ký".
    ("Hộ nghèo được nhà nước hỗ trợ bao nhiêu phần trăm ạ?", ("ho_tro",)),
    ("muc ho tro cho ho can ngheo la bao nhieu", ("ho_tro",)),
    ("Hỗ trợ của Nhà nước cho hộ nghèo là bao nhiêu phần trăm?", ("ho_tro",)),
    ("Có đóng một lần cho nhiều năm được không ạ?", ("muc_dong",)),
    ("Đóng 1 lần cho 5 năm được không ạ?", ("muc_dong",)),
    ("em o xa thi dong online duoc k a", ("muc_dong",)),
    ("Em nghỉ việc ở công ty rồi thì chuyển sang đóng tự nguyện thế nào ạ?", ("muc_dong",)),
    ("Mẹ em 58 tuổi còn tham gia được không?", ("dieu_kien",)),
    ("bố em 62 tuổi tham gia dc ko", ("dieu_kien",)),
    ("Điều kiện tham gia là gì ạ", ("dieu_kien",)),
]


@pytest.mark.parametrize(("comment", "intents"), COMMENTS)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_comment_intents(comment: str, intents: tuple[str, ...], spelling: str) -> None:
    scan = scan_comment(SPELLINGS[spelling](comment))
    assert scan.intents == intents
    assert scan.is_lead


def test_the_test_tables_cover_every_label() -> None:
    covered = {label for _, intents in COMMENTS for label in intents}
    assert covered == set(INTENT_KEYWORDS)


# (comment, a label it must not show): the letters are there, the word is not.
NEAR_MISSES = [
    ("tribute to BHXH", "inbox"),
    ("ibm", "inbox"),
    ("fibre", "inbox"),
    ("dkm", "dang_ky"),
    ("odk", "dang_ky"),
    ("ko dk ak", "dang_ky"),  # teen code for "không được"
    ("không đk được", "dang_ky"),
    ("có đủ đk không", "dang_ky"),  # "đủ điều kiện"
    ("recall", "lien_he"),
    ("callback", "lien_he"),
    ("kêu gọi cho mọi người cùng tham gia", "lien_he"),
    ("keu goi cho moi nguoi", "lien_he"),
    ("cảm ơn BTC cho hội nghị rất hay", "hoi"),  # hội (conference) is not hỏi (ask)
    ("cam on btc cho hoi nghi rat hay", "hoi"),
    ("cho hội viên tham gia", "hoi"),
    ("cho hơi nhiều", "hoi"),
    ("tự vấn lương tâm", "tu_van"),  # tự is not tư
    ("xem tv cho vui", "tu_van"),
    ("tuvanxyz", "tu_van"),
    ("rất vui được hưởng ứng", "quyen_loi"),
    ("rat vui duoc huong ung chuong trinh", "quyen_loi"),
    ("BHXH tự nguyện rất ý nghĩa", "bhxh"),  # naming the scheme is not wanting it
    ("BHYT hay quá", "bhyt"),
    ("đồng bao nhiêu", "muc_dong"),  # đồng (money) is not đóng (pay)
    ("Cảm ơn BHXH tỉnh đã hỗ trợ bà con", "ho_tro"),  # thanks for help, not a question
    ("Nhà em đóng được 3 năm rồi", "muc_dong"),
    ("Nhà em đã tham gia được 3 năm", "dieu_kien"),
]


@pytest.mark.parametrize(("comment", "label"), NEAR_MISSES)
def test_near_misses_do_not_count(comment: str, label: str) -> None:
    assert label not in scan_comment(comment).intents


@pytest.mark.parametrize("phrase", NOT_INTENT)
def test_not_intent_phrases_alone_are_not_leads(phrase: str) -> None:
    assert not scan_comment(phrase).is_lead
    assert not scan_comment(fold(phrase)).is_lead


@pytest.mark.parametrize(
    "comment",
    [
        "",
        "   ",
        "👍👍👍",
        "❤️❤️",
        "👏🏻👏🏻👏🏻",
        "🙏",
        "Chào cả nhà",
        "Em chào anh chị ạ",
        "Xin chào BHXH tỉnh Nghệ An",
        "chao moi nguoi",
        "Chúc chương trình thành công tốt đẹp",
        "Hay quá ạ 👍",
        "Cảm ơn ban tổ chức",
        "Xã Yên Thành có mặt",
        "932 người tham dự",
        "Mức lương cơ sở 2.340.000 đồng",
        "Hội nghị ngày 25/11/2026",
        "ok",
    ],
)
def test_greetings_and_emoji_are_not_leads(comment: str) -> None:
    scan = scan_comment(comment)
    assert scan == LeadScan(phones=(), intents=())
    assert not scan.is_lead


@pytest.mark.parametrize(
    ("comment", "phones"),
    [
        ("0912345678", (PHONE,)),
        ("Chào cả nhà, em là Hoa 0912.345.678", (PHONE,)),
        ("sdt0912345678", (PHONE,)),
        ("+84 912 345 678 👍", (PHONE,)),
        ("số cũ 01689 123 456", ("+84389123456",)),
    ],
)
def test_a_phone_alone_makes_a_lead(comment: str, phones: tuple[str, ...]) -> None:
    scan = scan_comment(comment)
    assert scan.phones == phones
    assert scan.intents == ()
    assert scan.is_lead


def test_phones_and_intents_together() -> None:
    scan = scan_comment("Cho em hỏi mức đóng, sđt 0912345678 hoặc 0987-654-321, em cảm ơn")
    assert scan == LeadScan(
        phones=(PHONE, "+84987654321"),
        intents=("muc_dong", "hoi"),
    )
    assert scan.is_lead


def test_is_lead_from_either_field() -> None:
    assert LeadScan(phones=(PHONE,), intents=()).is_lead
    assert LeadScan(phones=(), intents=("hoi",)).is_lead
    assert not LeadScan(phones=(), intents=()).is_lead


def test_lead_scan_is_frozen() -> None:
    scan = scan_comment("ib")
    with pytest.raises(dataclasses.FrozenInstanceError):
        scan.intents = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "reply",
    [
        "Chào bạn, bạn để lại số điện thoại để cán bộ tư vấn nhé.",
        "BHXH tỉnh đã ghi nhận, cán bộ sẽ liên hệ bạn trong thời gian sớm nhất ạ.",
        "Bạn có thể đăng ký tại UBND xã hoặc gọi BHXH tỉnh số 0238 3844 112 nhé.",
    ],
)
def test_the_page_itself_is_never_a_lead(reply: str) -> None:
    assert scan_comment(reply).is_lead  # read as a viewer's words, each one would be
    assert scan_comment(reply, by_owner=True) == LeadScan(phones=(), intents=())
