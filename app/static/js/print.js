// The printable report's "Print" button (a file, not an inline handler: the CSP forbids those).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
