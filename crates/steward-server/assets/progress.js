// Shows a progress indicator while a long form (a file being screened) is submitted.
// Loaded as a file, never inline, so the page's Content-Security-Policy stays strict.
document.querySelectorAll("form[data-progress]").forEach((form) => {
  form.addEventListener("submit", () => {
    const bar = form.querySelector("progress.working");
    const button = form.querySelector("button[type=submit]");
    if (bar) bar.hidden = false;
    if (button) {
      button.disabled = true;
      button.textContent = form.dataset.progress;
    }
  });
});
