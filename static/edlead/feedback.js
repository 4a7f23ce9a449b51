// Staff feedback: the invitation link carries its key after '#', which browsers never send to the
// server (so it is in no log). Copy it into the form, take it out of the address bar and history,
// and start the survey.
(function () {
  var match = /[#&]k=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  var form = document.getElementById("feedback-key-form");
  if (!match || !form) { return; }
  form.elements.key.value = match[1];
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  form.submit();
})();
