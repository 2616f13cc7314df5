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

// "Thu hồi đường dẫn", "Cấp đường dẫn mới" and "Bỏ điểm cầu" first ask, inline in the hall's row:
// the same step the page shows without this script (the link reloads it with ?revoke=, ?renew= or
// ?remove=<hall>), here
// without the reload. Each ask is followed by its confirmation, whose cancel link goes back.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-ask]").forEach((ask) => {
    const confirm = ask.nextElementSibling;
    if (!confirm || !confirm.matches("[data-confirm]")) return;
    const cancel = confirm.querySelector("[data-cancel]");
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

// "Sao chép tất cả đường dẫn": the message of the read-only box (every working link, for the
// communes' Zalo group) to the clipboard, else the box's text selected for Ctrl+C. Without this
// script the box is there to select, and the .txt link downloads it.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("copy-all");
  const box = document.getElementById("share-text");
  if (!button || !box) return;
  const said = document.getElementById("copy-all-said");
  button.hidden = false;
  const select = () => {
    box.focus();
    box.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  };
  button.addEventListener("click", () => {
    const done = (copied) => { said.textContent = copied ? button.dataset.copied : button.dataset.selected; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(() => done(true), () => done(select()));
    } else {
      done(select());
    }
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

// The commune search (the rule of app/halls/commune_search.py, applied as the officer types):
// words without accents, unit words dropped, every word a word of the commune's name or of one
// of its former names with its district (the last word may be its beginning). The communes found
// come first and best first, in the server's tiers (``rank``): the whole name typed (current or
// former, with or without its unit word), then a name beginning with what was typed, then word
// matches; each tier in the page's own (Vietnamese) order, the rows kept without a match last.
// Rows are only hidden, never removed: a row ticked or with something typed always stays shown.
// Typing in a row's expected count or contact ticks its box: nothing typed is left unticked.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("halls-form");
  if (!form) return;
  const rows = [...form.querySelectorAll("[data-commune-row]")];
  rows.forEach((row) => {
    const box = row.querySelector("[data-commune]");
    row.querySelectorAll("input:not([type=checkbox])").forEach((input) => {
      input.addEventListener("input", () => {
        if (!box.disabled && input.value.trim() !== "") box.checked = true;
      });
    });
  });
  const search = form.querySelector("[data-commune-search]");
  if (!search) return;
  const body = rows[0].parentElement;
  const said = document.getElementById("search-found");
  // The page's words (bridge_points.html, #search-words): one commune, several, none.
  const words = JSON.parse(document.getElementById("search-words").textContent);
  const unitsAlt = "(?:thanh pho|thi tran|thi xa|dac khu|xa|phuong|huyen|quan|tinh|tp|tx|tt)";
  const units = new RegExp("\\b" + unitsAlt + "\\b", "g");
  const leadingUnit = new RegExp("^" + unitsAlt + " ");
  const key = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐÐ]/g, "d").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  const wordsOf = (query) => {
    const folded = key(query);
    const kept = folded.replace(units, " ").split(/\s+/).filter(Boolean);
    return kept.length ? kept : folded.split(/\s+/).filter(Boolean);
  };
  const bare = (k) => (k + " ").replace(leadingUnit, "").trim() || k;
  const matches = (words, text) => {
    const have = text.split(" ");
    const last = words[words.length - 1];
    return words.slice(0, -1).every((w) => have.includes(w)) && have.some((h) => h.startsWith(last));
  };
  // 0 exact, 1 prefix, 2 words, null: not found (commune_search.rank).
  const rank = (query, nameKey, wordsKey) => {
    const typed = key(query);
    if (!typed) return null;
    const name = bare(nameKey);
    if (typed === nameKey || typed === name || bare(typed) === name) return 0;
    const starts = [typed, bare(typed)];
    if ([nameKey, name].some((n) => starts.some((t) => n.startsWith(t)))) return 1;
    const words = wordsOf(query);
    return words.length && matches(words, wordsKey || nameKey) ? 2 : null;
  };
  const best = (tiers) => {
    const found = tiers.filter((t) => t !== null);
    return found.length ? Math.min(...found) : null;
  };
  const kept = (row) => [...row.querySelectorAll("input")].some((i) =>
    (i.type === "checkbox" ? i.checked || i.disabled : i.value.trim() !== ""));
  const pageOrder = [...rows];  // as the page came: Vietnamese order when nothing was searched
  pageOrder.sort((a, b) => Number(a.dataset.place) - Number(b.dataset.place));
  const apply = () => {
    const typed = key(search.value) !== "";
    const tiers = new Map();
    pageOrder.forEach((row) => {
      const byName = rank(search.value, row.dataset.key);
      const formers = [...row.querySelectorAll("small.former")];
      const byFormer = formers.map((f) => rank(search.value, f.dataset.own, f.dataset.key));
      const tier = best([byName, ...byFormer]);
      const shown = tier !== null && (byName === null || tier < byName);
      formers.forEach((f, i) => { f.hidden = !(shown && byFormer[i] === tier); });
      if (tier !== null) tiers.set(row, tier);
      row.hidden = typed && tier === null && !kept(row);
    });
    const place = (row) => (tiers.has(row) ? tiers.get(row) : 3);
    [...pageOrder].sort((a, b) => place(a) - place(b)).forEach((row) => body.appendChild(row));
    const found = tiers.size;
    if (!typed) said.textContent = "";
    else if (found) {
      const text = found === 1 ? words.one : words.other;
      said.textContent = text.replace("__N__", found.toLocaleString("vi-VN"));
    } else said.textContent = words.none;
  };
  search.addEventListener("input", apply);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); apply(); }
  });
});
