"""Vietnamese content for the script: message pools, phone spellings, and the helpers that draw
viewers (named by ``sandbox.people``) and messages from them."""

from __future__ import annotations

import random
from collections.abc import Callable

from sandbox.people import Names, plain
from sandbox.scenario.records import Author

# Vietnamese content. Messages are invented; phone numbers are random but well formed.
QUESTIONS = (
    "Cho em hỏi mức đóng BHXH tự nguyện thấp nhất là bao nhiêu ạ?",
    "Tư vấn giúp em với ạ",
    "Mẹ em 55 tuổi rồi còn tham gia BHXH tự nguyện được không ạ?",
    "Đóng BHXH tự nguyện bao nhiêu năm thì được hưởng lương hưu ạ?",
    "Hộ nghèo được nhà nước hỗ trợ bao nhiêu phần trăm ạ?",
    "Em muốn đăng ký cho cả nhà thì làm thủ tục ở đâu ạ?",
    "BHYT hộ gia đình năm nay bao nhiêu tiền một người ạ?",
    "Có đóng một lần cho nhiều năm được không ạ?",
    "Em nghỉ việc ở công ty rồi thì chuyển sang đóng tự nguyện thế nào ạ?",
    "Cán bộ ơi cho hỏi đóng qua VssID được không?",
    "Tham gia BHXH tự nguyện có được cấp thẻ BHYT không ạ?",
)
QUESTIONS_PLAIN = (
    "cho minh hoi dang ky o dau",
    "tu van giup em voi",
    "dong bhxh tu nguyen moi thang bao nhieu vay ad",
    "em o xa thi dong online duoc k a",
    "muc ho tro cho ho can ngheo la bao nhieu",
)
PHONE_LINES = (
    "Em cần tư vấn, sđt {phone}",
    "{phone} gọi lại giúp em nhé",
    "Tư vấn cho chị qua số {phone} với",
    "sdt cua em {phone} nho can bo goi lai",
    "Zalo {phone} ạ",
    "Nhà em ở xã Nghi Phong, số điện thoại {phone}",
)
EMOJI = ("👍👍", "❤️", "👍", "❤️❤️❤️", "😍", "👏👏👏", "🥰")
GREETINGS = (
    "Chào cán bộ BHXH ạ",
    "Xin chào mọi người",
    "Em chào anh chị ạ",
    "Chào buổi tối cả nhà",
    "Hóng livestream",
    "Chào ad",
    "Em vào rồi ạ",
    "Xem từ Quỳnh Lưu đây ạ",
)
THANKS = (
    "Cảm ơn chương trình rất bổ ích",
    "Thông tin hay quá",
    "Cảm ơn cán bộ đã giải đáp",
    "Rất hữu ích ạ",
    "Cám ơn ad",
)
REMARKS = (
    "Nhà em đóng được 3 năm rồi",
    "Mọi người nên tham gia sớm nhé",
    "Âm thanh hơi nhỏ ạ",
    "Hình bị giật quá",
    "Chia sẻ cho bà con cùng biết",
)
# The office answering on its own page or chat: asking for a phone, promising a call, giving its
# own number. Never leads, although each one reads like one.
PAGE_REPLIES = (
    "Chào bạn, mức đóng thấp nhất bằng 22% mức chuẩn hộ nghèo khu vực nông thôn; "
    "bạn để lại số điện thoại để cán bộ tư vấn nhé.",
    "BHXH tỉnh đã ghi nhận, cán bộ sẽ liên hệ bạn trong thời gian sớm nhất ạ.",
    "Bạn có thể đăng ký tại UBND xã, đại lý thu gần nhất hoặc gọi BHXH tỉnh số 0238 3844 112 nhé.",
    "Cảm ơn bạn đã quan tâm theo dõi chương trình!",
)
USER_REPLIES = ("Mình cũng muốn hỏi câu này", "+1", "Em cũng vậy ạ", "Đúng rồi đó bạn")
CATEGORIES = (
    ("question", 0.24),
    ("question_plain", 0.1),
    ("phone", 0.12),
    ("emoji", 0.12),
    ("greeting", 0.18),
    ("thanks", 0.12),
    ("remark", 0.12),
)
MOBILE_PREFIXES = ("091", "094", "098", "097", "096", "086", "088", "032", "035", "038", "070")


def phone_spellings(rng: random.Random) -> list[str]:
    """One random mobile number written each way people type them, old 11-digit form included."""
    prefix = rng.choice(MOBILE_PREFIXES)
    rest = f"{rng.randint(0, 9_999_999):07d}"
    local = prefix + rest  # 10 digits starting with 0
    old = f"016{rng.randint(2, 9)}{rng.randint(0, 9_999_999):07d}"
    return [
        f"{local[:4]} {local[4:7]} {local[7:]}",
        f"{local[:4]}.{local[4:7]}.{local[7:]}",
        f"+84 {local[1:]}",
        f"84{local[1:]}",
        old,
        local,
        f"{local[:4]}-{local[4:7]}-{local[7:]}",
    ]


def draw_people(rng: random.Random, count: int, id_of: Callable[[int], str]) -> list[Author]:
    """``count`` viewers with Vietnamese names (``sandbox.people``); ``id_of(n)`` gives the id."""
    names = Names(rng)
    people = []
    for n in range(count):
        name = names.name().full
        if n % 9 == 4:  # some people type their names without diacritics
            name = plain(name)
        people.append(Author(id_of(n), name))
    return people


def draw_message(rng: random.Random, category: str, phone_index: int) -> str:
    if category == "phone":
        spelling = phone_spellings(rng)[phone_index % 7]
        return rng.choice(PHONE_LINES).format(phone=spelling)
    pool = {
        "question": QUESTIONS,
        "question_plain": QUESTIONS_PLAIN,
        "emoji": EMOJI,
        "greeting": GREETINGS,
        "thanks": THANKS,
        "remark": REMARKS,
    }[category]
    return rng.choice(pool)


def draw_categories(rng: random.Random, count: int) -> list[str]:
    names = [name for name, _ in CATEGORIES]
    weights = [w for _, w in CATEGORIES]
    return rng.choices(names, weights=weights, k=count)
