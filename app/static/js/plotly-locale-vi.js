// Plotly's Vietnamese locale, registered on the plotly.js the app serves itself (no CDN: the
// projector machines may have no internet). Day and month names as plotly.js's own "vi" locale
// (npm plotly.js-locales 3.7.0, MIT, (c) Plotly Technologies Inc., see
// vendor/plotly-basic-4.1.1/LICENSE); short months and separators as CLDR's Vietnamese, which
// plotly's file lacks (1.700 and 0,62); the dates on the axes as every other screen writes
// them, "03/12/2026" (and "12/2026" for a month), not CLDR's "3 thg 12, 2026".
// Loaded after plotly.js and before any script that draws; charts.js picks "vi" or English from
// the page's language.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "vi",
    dictionary: {
      "Autoscale": "Tự co giãn",
      "Box Select": "Chọn vùng chữ nhật",
      "Click to enter Plot title": "Bấm để nhập tiêu đề",
      "Click to enter X axis title": "Bấm để nhập tên trục X",
      "Click to enter Y axis title": "Bấm để nhập tên trục Y",
      "Compare data on hover": "So sánh số liệu khi rê chuột",
      "Double-click on legend to isolate one trace": "Bấm đúp vào chú giải để chỉ xem một đường",
      "Double-click to zoom back out": "Bấm đúp để thu nhỏ lại",
      "Download plot": "Tải biểu đồ",
      "Download plot as a png": "Tải biểu đồ (ảnh PNG)",
      "Download plot as a PNG": "Tải biểu đồ (ảnh PNG)",
      "Download plot as JSON": "Tải biểu đồ (JSON)",
      "Draw circle": "Vẽ hình tròn",
      "Draw closed freeform": "Vẽ hình kín tự do",
      "Draw line": "Vẽ đường thẳng",
      "Draw open freeform": "Vẽ nét tự do",
      "Draw rectangle": "Vẽ hình chữ nhật",
      "Erase active shape": "Xóa hình đang chọn",
      "Image download succeeded": "Đã tải ảnh xong",
      "JSON download succeeded": "Đã tải JSON xong",
      "Preparing image - this may take a few seconds": "Đang chuẩn bị ảnh, xin đợi vài giây",
      "Reset views": "Đặt lại các khung nhìn",
      "Sorry, there was a problem downloading your image!": "Không tải được ảnh biểu đồ.",
      "Sorry, there was a problem downloading your JSON file!": "Không tải được tệp JSON.",
      "Lasso Select": "Chọn vùng tự do",
      "Pan": "Kéo",
      "Produced with Plotly.js": "Vẽ bằng Plotly.js",
      "Reset": "Đặt lại",
      "Reset axes": "Đặt lại trục",
      "Reset view": "Đặt lại khung nhìn",
      "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
      "Snapshot succeeded": "Đã chụp xong",
      "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh chụp biểu đồ.",
      "Taking snapshot - this may take a few seconds": "Đang chụp biểu đồ, xin đợi vài giây",
      "Toggle Spike Lines": "Bật/tắt đường gióng",
      "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất khi rê chuột",
      "Zoom": "Phóng to vùng",
      "Zoom in": "Phóng to",
      "Zoom out": "Thu nhỏ",
      "close:": "đóng:",
      "high:": "cao:",
      "low:": "thấp:",
      "open:": "mở:",
      "trace": "đường",
      "new text": "chữ mới"
    },
    format: {
      days: ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
      shortDays: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
      months: ["Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
               "Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một",
               "Tháng Mười Hai"],
      shortMonths: ["thg 1", "thg 2", "thg 3", "thg 4", "thg 5", "thg 6", "thg 7", "thg 8",
                    "thg 9", "thg 10", "thg 11", "thg 12"],
      periods: ["SA", "CH"],
      dateTime: "%H:%M:%S %d/%m/%Y",
      date: "%d/%m/%Y",
      time: "%H:%M:%S",
      decimal: ",",
      thousands: ".",
      grouping: [3],
      currency: ["", " ₫"],
      year: "%Y",
      month: "%m/%Y",
      dayMonth: "%d/%m",
      dayMonthYear: "%d/%m/%Y"
    }
  });
})();
