// "All communes" ticks every commune row at once. Without this script the box still works: the
// server takes it as "all".
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-tick-all]");
  if (!all) return;
  const boxes = [...document.querySelectorAll("[data-commune]")].filter((b) => !b.disabled);
  all.addEventListener("change", () => boxes.forEach((b) => { b.checked = all.checked; }));
  boxes.forEach((b) => b.addEventListener("change", () => {
    if (!b.checked) all.checked = false;
  }));
});

// "Thu hồi đường dẫn" first asks, inline in the hall's row: the same step the page shows without
// this script (the link reloads it with ?revoke=<hall>), here without the reload.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".revoke-ask").forEach((ask) => {
    const confirm = ask.parentElement.querySelector(".revoke-confirm");
    const cancel = confirm.querySelector(".revoke-cancel");
    ask.addEventListener("click", (ev) => {
      ev.preventDefault();
      ask.hidden = true;
      confirm.hidden = false;
      confirm.querySelector("button").focus();
    });
    cancel.addEventListener("click", (ev) => {
      ev.preventDefault();
      confirm.hidden = true;
      ask.hidden = false;
      ask.focus();
    });
  });
});

// "Sao chép" beside each check-in link: the clipboard when the browser allows it (https or
// localhost), else the link's text selected for Ctrl+C / the phone's own copy menu.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const code = button.parentElement.querySelector("code");  // the link beside it
    const said = button.nextElementSibling;
    button.hidden = false;
    const select = () => {
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { return document.execCommand("copy"); } catch (e) { return false; }
    };
    button.addEventListener("click", () => {
      const done = (copied) => { said.textContent = copied ? button.dataset.copied : button.dataset.selected; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.textContent.trim()).then(() => done(true), () => done(select()));
      } else {
        done(select());
      }
    });
  });
});
