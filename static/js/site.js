// Small enhancements for every page. The site works without JavaScript; this only helps.
document.addEventListener("DOMContentLoaded", () => {
  // Error summary: move focus to it so screen readers announce the problems first.
  const summary = document.querySelector('[data-module="error-summary"]');
  if (summary) {
    summary.focus();
    // Following a link in the summary puts focus in the field and scrolls its label into view.
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const input = document.getElementById(link.hash.slice(1));
      if (!input) return;
      event.preventDefault();
      const container = input.closest(".field") || input;
      container.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }
});
