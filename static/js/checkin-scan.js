// Organiser's check-in page: where the browser can read QR codes from the camera
// (BarcodeDetector), scan and submit; otherwise the typed-reference form works as it is.
(function () {
  "use strict";
  var scanner = document.querySelector("[data-scanner]");
  var form = document.querySelector("[data-scan-form]");
  if (!scanner || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var video = scanner.querySelector("video");
  var status = scanner.querySelector("[data-scanner-status]");
  var input = form.querySelector("input[name=code]");
  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (e) {
    return;
  }
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then(function (stream) {
      scanner.hidden = false;
      video.srcObject = stream;
      return video.play();
    })
    .then(function () {
      var busy = false;
      function look() {
        if (busy) return;
        detector
          .detect(video)
          .then(function (codes) {
            if (codes.length) {
              busy = true;
              status.textContent = "Code read: checking in…";
              input.value = codes[0].rawValue;
              form.submit();
              return;
            }
            window.setTimeout(look, 250);
          })
          .catch(function () {
            window.setTimeout(look, 500);
          });
      }
      look();
    })
    .catch(function () {
      status.textContent = "The camera is not available: type the booking reference instead.";
      scanner.hidden = false;
    });
})();
