// Live figures, for pages that work without it: ask twice a second whether projections has applied anything
// new (a few bytes), and if so fetch this same page again and put its main content in place of the old.
// Not while someone is in a form field on the page, so what they are choosing is not swept away.
(function () {
  var main = document.querySelector('main[data-live]');
  var status = document.getElementById('live-status');
  if (!main || !window.fetch || !window.DOMParser) return;
  var seen = null, busy = false;

  function typing() {
    var here = document.activeElement;
    return here && main.contains(here) && /^(INPUT|SELECT|TEXTAREA)$/.test(here.tagName);
  }

  function refresh(position) {
    return fetch(location.href, { credentials: 'same-origin' }).then(function (answer) {
      if (!answer.ok) return;
      return answer.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('main[data-live]');
        if (!fresh) return;
        main.innerHTML = fresh.innerHTML;
        seen = position;
        status.textContent = 'The figures were updated at ' + new Date().toLocaleTimeString('en-GB') + '.';
      });
    });
  }

  function tick() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(main.getAttribute('data-live'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (now) {
        if (!now) return;
        if (seen === null) { seen = now.position; return; }
        if (now.position !== seen && !typing()) return refresh(now.position);
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  tick();
  setInterval(tick, 500);
})();
