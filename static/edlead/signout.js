// Signing out deletes what this browser keeps for EdLead (the answer carries Clear-Site-Data): the
// school visit pages kept for offline work and any notes kept on the device. Notes written with no
// connection that have not reached EdLead yet would be lost, so the sign-out button asks first.
(function () {
  "use strict";
  var PREFIX = "edlead-visit-";
  function unsaved() {
    var n = 0;
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        if ((window.localStorage.key(i) || "").indexOf(PREFIX) === 0) { n++; }
      }
    } catch (e) { return 0; }
    return n;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-signout")) { return; }
    var n = unsaved();
    if (!n) { return; }
    var what = n === 1 ? "Notes of 1 school visit" : "Notes of " + n + " school visits";
    var ok = window.confirm(
      what + " written on this device have not reached EdLead yet. Signing out deletes them from this device.\n\n" +
      "To keep them, cancel, connect to the network and open the visit: they are saved as it opens.\n\nSign out anyway?"
    );
    if (!ok) { event.preventDefault(); }
  });
})();
