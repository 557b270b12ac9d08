/* Inkwell embed: sizes each <iframe data-inkwell-embed> to the height its action page reports. */
(function () {
  "use strict";
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "inkwell:embed-height" || typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.querySelectorAll("iframe[data-inkwell-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      // Only the frame's own page may size it.
      if (new URL(frame.src, document.baseURI).origin !== event.origin) return;
      frame.style.height = Math.min(Math.max(Math.round(data.height), 120), 20000) + "px";
      return;
    }
  });
})();
