// "Copy to clipboard" for the drafted board paragraph. Without JavaScript (or without the
// Clipboard API) the button stays hidden and the text can be selected or downloaded.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copyTarget);
    var status = document.querySelector(".figures-copied");
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = Array.prototype.map.call(target.querySelectorAll("p"), function (p) {
        return p.textContent.trim();
      }).join("\n\n");
      navigator.clipboard.writeText(text).then(
        function () { if (status) status.textContent = "Copied. Paste it into your report."; },
        function () { if (status) status.textContent = "Could not copy: select the text and copy it, or download it."; }
      );
    });
  });
})();
