/* Idle timeout warning (issue #10). Reads its settings from its own <script> tag:
 *   data-idle-minutes   the server's DOORSTROOM_IDLE_TIMEOUT_MINUTES
 *   data-ping-url       GET it to stay signed in (answers 204)
 *   data-warning, data-stay   the translated texts
 * Two minutes before the timeout a warning offers "Stay signed in"; at the timeout the page
 * reloads, and the server (which signed the session out) shows the login page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var minutes = parseInt(script.getAttribute("data-idle-minutes"), 10);
  var pingUrl = script.getAttribute("data-ping-url");
  if (!minutes || minutes < 1 || !pingUrl) { return; }
  var timeoutMs = minutes * 60 * 1000;
  var warnMs = Math.max(timeoutMs - 2 * 60 * 1000, 0);
  var warnTimer = null;
  var expireTimer = null;
  var box = null;

  function removeWarning() {
    if (box && box.parentNode) { box.parentNode.removeChild(box); }
    box = null;
  }

  function stay() {
    fetch(pingUrl, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) {
        if (response.status === 204) {
          removeWarning();
          schedule();
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.location.reload(); });
  }

  function showWarning() {
    removeWarning();
    box = document.createElement("div");
    box.className = "alert alert-warning shadow position-fixed bottom-0 end-0 m-3 d-flex flex-wrap align-items-center gap-2";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-live", "assertive");
    box.setAttribute("data-testid", "idle-warning");
    var text = document.createElement("span");
    text.textContent = script.getAttribute("data-warning") || "";
    box.appendChild(text);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-sm";
    button.textContent = script.getAttribute("data-stay") || "OK";
    button.addEventListener("click", stay);
    box.appendChild(button);
    document.body.appendChild(box);
    button.focus();
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(expireTimer);
    warnTimer = window.setTimeout(showWarning, warnMs);
    expireTimer = window.setTimeout(function () { window.location.reload(); }, timeoutMs + 5000);
  }

  schedule();
}());
