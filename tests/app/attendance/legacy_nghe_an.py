"""Nghệ An's communes of before 1 July 2025 that became the province's first 39 communes of today.

Ground truth for the tests, taken once from the official conversion as ``vietnamadminunits``
publishes it (``convert_address("<ward>, <district>, Tỉnh Nghệ An").ward_code``), not from our
resolver: 2025 code → (legacy code, legacy commune, legacy district) of each commune merged into it.
"""

from __future__ import annotations

LEGACY: dict[str, tuple[tuple[str, str, str], ...]] = {
    "16681": (
        ("16663", "Phường Đông Vĩnh", "Thành phố Vinh"),
        ("16669", "Phường Lê Lợi", "Thành phố Vinh"),
        ("16672", "Phường Hưng Bình", "Thành phố Vinh"),
        ("16678", "Phường Cửa Nam", "Thành phố Vinh"),
        ("16681", "Phường Quang Trung", "Thành phố Vinh"),
        ("18013", "Xã Hưng Chính", "Thành phố Vinh"),
    ),
    "16690": (
        ("16673", "Phường Hưng Phúc", "Thành phố Vinh"),
        ("16675", "Phường Hưng Dũng", "Thành phố Vinh"),
        ("16690", "Phường Trường Thi", "Thành phố Vinh"),
        ("16693", "Phường Bến Thủy", "Thành phố Vinh"),
        ("16699", "Phường Trung Đô", "Thành phố Vinh"),
        ("16711", "Xã Hưng Hòa", "Thành phố Vinh"),
        ("16714", "Phường Vinh Tân", "Thành phố Vinh"),
    ),
    "16702": (
        ("16666", "Phường Hà Huy Tập", "Thành phố Vinh"),
        ("16702", "Phường Nghi Phú", "Thành phố Vinh"),
        ("17914", "Xã Nghi Ân", "Thành phố Vinh"),
        ("17923", "Phường Nghi Đức", "Thành phố Vinh"),
    ),
    "16708": (
        ("16708", "Phường Hưng Lộc", "Thành phố Vinh"),
        ("17902", "Xã Nghi Phong", "Thành phố Vinh"),
        ("17905", "Xã Nghi Xuân", "Thành phố Vinh"),
        ("17917", "Xã Phúc Thọ", "Thành phố Vinh"),
        ("17926", "Xã Nghi Thái", "Thành phố Vinh"),
    ),
    "16732": (
        ("16717", "Phường Nghi Thủy", "Thành phố Vinh"),
        ("16720", "Phường Nghi Tân", "Thành phố Vinh"),
        ("16723", "Phường Thu Thủy", "Thành phố Vinh"),
        ("16726", "Phường Nghi Hòa", "Thành phố Vinh"),
        ("16729", "Phường Nghi Hải", "Thành phố Vinh"),
        ("16732", "Phường Nghi Hương", "Thành phố Vinh"),
        ("16735", "Phường Nghi Thu", "Thành phố Vinh"),
    ),
    "16738": (
        ("16738", "Thị trấn Kim Sơn", "Huyện Quế Phong"),
        ("16753", "Xã Nậm Giải", "Huyện Quế Phong"),
        ("16759", "Xã Châu Kim", "Huyện Quế Phong"),
        ("16763", "Xã Mường Nọc", "Huyện Quế Phong"),
    ),
    "16744": (
        ("16741", "Xã Thông Thụ", "Huyện Quế Phong"),
        ("16744", "Xã Đồng Văn", "Huyện Quế Phong"),
    ),
    "16750": (
        ("16747", "Xã Hạnh Dịch", "Huyện Quế Phong"),
        ("16750", "Xã Tiền Phong", "Huyện Quế Phong"),
    ),
    "16756": (
        ("16756", "Xã Tri Lễ", "Huyện Quế Phong"),
        ("16768", "Xã Nậm Nhoóng", "Huyện Quế Phong"),
    ),
    "16774": (
        ("16765", "Xã Châu Thôn", "Huyện Quế Phong"),
        ("16771", "Xã Quang Phong", "Huyện Quế Phong"),
        ("16774", "Xã Cắm Muộn", "Huyện Quế Phong"),
    ),
    "16777": (
        ("16777", "Thị trấn Tân Lạc", "Huyện Quỳ Châu"),
        ("16786", "Xã Châu Hội", "Huyện Quỳ Châu"),
        ("16789", "Xã Châu Nga", "Huyện Quỳ Châu"),
        ("16795", "Xã Châu Hạnh", "Huyện Quỳ Châu"),
    ),
    "16792": (
        ("16780", "Xã Châu Bính", "Huyện Quỳ Châu"),
        ("16783", "Xã Châu Thuận", "Huyện Quỳ Châu"),
        ("16792", "Xã Châu Tiến", "Huyện Quỳ Châu"),
        ("16798", "Xã Châu Thắng", "Huyện Quỳ Châu"),
    ),
    "16801": (
        ("16801", "Xã Châu Phong", "Huyện Quỳ Châu"),
        ("16807", "Xã Châu Hoàn", "Huyện Quỳ Châu"),
        ("16810", "Xã Diên Lãm", "Huyện Quỳ Châu"),
    ),
    "16804": (("16804", "Xã Châu Bình", "Huyện Quỳ Châu"),),
    "16813": (
        ("16813", "Thị trấn Mường Xén", "Huyện Kỳ Sơn"),
        ("16852", "Xã Tà Cạ", "Huyện Kỳ Sơn"),
        ("16864", "Xã Tây Sơn", "Huyện Kỳ Sơn"),
    ),
    "16816": (("16816", "Xã Mỹ Lý", "Huyện Kỳ Sơn"),),
    "16819": (("16819", "Xã Bắc Lý", "Huyện Kỳ Sơn"),),
    "16822": (("16822", "Xã Keng Đu", "Huyện Kỳ Sơn"),),
    "16828": (("16828", "Xã Huồi Tụ", "Huyện Kỳ Sơn"),),
    "16831": (("16831", "Xã Mường Lống", "Huyện Kỳ Sơn"),),
    "16834": (
        ("16825", "Xã Đoọc Mạy", "Huyện Kỳ Sơn"),
        ("16834", "Xã Na Loi", "Huyện Kỳ Sơn"),
    ),
    "16837": (
        ("16837", "Xã Nậm Cắn", "Huyện Kỳ Sơn"),
        ("16843", "Xã Phà Đánh", "Huyện Kỳ Sơn"),
    ),
    "16849": (
        ("16840", "Xã Bảo Nam", "Huyện Kỳ Sơn"),
        ("16849", "Xã Hữu Lập", "Huyện Kỳ Sơn"),
        ("16861", "Xã Hữu Kiệm", "Huyện Kỳ Sơn"),
    ),
    "16855": (
        ("16846", "Xã Bảo Thắng", "Huyện Kỳ Sơn"),
        ("16855", "Xã Chiêu Lưu", "Huyện Kỳ Sơn"),
    ),
    "16858": (
        ("16858", "Xã Mường Típ", "Huyện Kỳ Sơn"),
        ("16867", "Xã Mường Ải", "Huyện Kỳ Sơn"),
    ),
    "16870": (
        ("16870", "Xã Na Ngoi", "Huyện Kỳ Sơn"),
        ("16873", "Xã Nậm Càn", "Huyện Kỳ Sơn"),
    ),
    "16876": (
        ("16876", "Thị trấn Thạch Giám", "Huyện Tương Dương"),
        ("16915", "Xã Lưu Kiền", "Huyện Tương Dương"),
        ("16921", "Xã Xá Lượng", "Huyện Tương Dương"),
    ),
    "16882": (
        ("16879", "Xã Mai Sơn", "Huyện Tương Dương"),
        ("16882", "Xã Nhôn Mai", "Huyện Tương Dương"),
    ),
    "16885": (("16885", "Xã Hữu Khuông", "Huyện Tương Dương"),),
    "16903": (
        ("16903", "Xã Nga My", "Huyện Tương Dương"),
        ("16904", "Xã Xiêng My", "Huyện Tương Dương"),
    ),
    "16906": (("16906", "Xã Lượng Minh", "Huyện Tương Dương"),),
    "16909": (
        ("16909", "Xã Yên Hòa", "Huyện Tương Dương"),
        ("16930", "Xã Yên Thắng", "Huyện Tương Dương"),
    ),
    "16912": (
        ("16900", "Xã Yên Tĩnh", "Huyện Tương Dương"),
        ("16912", "Xã Yên Na", "Huyện Tương Dương"),
    ),
    "16933": (
        ("16927", "Xã Tam Đình", "Huyện Tương Dương"),
        ("16933", "Xã Tam Quang", "Huyện Tương Dương"),
    ),
    "16936": (
        ("16924", "Xã Tam Thái", "Huyện Tương Dương"),
        ("16936", "Xã Tam Hợp", "Huyện Tương Dương"),
    ),
    "16939": (
        ("16939", "Phường Hòa Hiếu", "Thị xã Thái Hòa"),
        ("16993", "Phường Quang Phong", "Thị xã Thái Hòa"),
        ("17003", "Phường Long Sơn", "Thị xã Thái Hòa"),
    ),
    "16941": (
        ("16941", "Thị trấn Nghĩa Đàn", "Huyện Nghĩa Đàn"),
        ("16960", "Xã Nghĩa Bình", "Huyện Nghĩa Đàn"),
        ("16981", "Xã Nghĩa Trung", "Huyện Nghĩa Đàn"),
    ),
    "16951": (
        ("16945", "Xã Nghĩa Yên", "Huyện Nghĩa Đàn"),
        ("16948", "Xã Nghĩa Lạc", "Huyện Nghĩa Đàn"),
        ("16951", "Xã Nghĩa Lâm", "Huyện Nghĩa Đàn"),
        ("16954", "Xã Nghĩa Sơn", "Huyện Nghĩa Đàn"),
    ),
    "16969": (
        ("16957", "Xã Nghĩa Lợi", "Huyện Nghĩa Đàn"),
        ("16969", "Xã Nghĩa Thọ", "Huyện Nghĩa Đàn"),
        ("16984", "Xã Nghĩa Hội", "Huyện Nghĩa Đàn"),
    ),
}
