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
