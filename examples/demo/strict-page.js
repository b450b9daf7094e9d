// The strict demo pages' own script, loaded first: it records every Content-Security-Policy
// violation of the page in `window.cspViolations` (the browser tests read it) and shows the
// count. Plain ES5 in a file: the pages allow no inline script without a nonce.
(function () {
  var violations = (window.cspViolations = []);
  window.addEventListener('securitypolicyviolation', function (event) {
    violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample });
    console.warn('[csp] blocked by ' + event.effectiveDirective + ': ' + (event.blockedURI || event.sample));
    var count = document.getElementById('csp-violations');
    if (count) count.textContent = String(violations.length);
  });
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('host-origin').textContent = location.origin;
  });
})();
