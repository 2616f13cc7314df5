// Lan Tỏa — file boxes in the page's words (templates/_forms.html file_pick): the chosen file's
// name replaces "Chưa chọn tệp" beside the "Chọn tệp" button; the browser's own box is hidden.
(function () {
  "use strict";
  document.querySelectorAll(".file-pick").forEach(function (pick) {
    var input = pick.querySelector("input[type=file]");
    var name = pick.querySelector(".file-pick-name");
    if (!input || !name) { return; }
    var none = name.textContent;
    function show() {
      var files = input.files;
      name.textContent = files && files.length ? files[0].name : none;
    }
    input.addEventListener("change", show);
    show();  // a file kept by the browser on going back
  });
})();
