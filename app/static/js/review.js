// The review queue: ask before "Not the same", which takes the pair out of the queue (a file,
// not an inline handler: the CSP). Confirming needs no question; either can be undone a while.
document.querySelectorAll("form[data-confirm-reject]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (button && button.value === "reject" && !window.confirm(form.dataset.confirmReject)) {
      event.preventDefault();
    }
  });
});
