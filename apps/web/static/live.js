// Live updates over the page's event stream (/live): new messages appear in place on a
// ticket page, the sidebar's counts follow, a list announces new activity instead of
// reordering under the pointer, and a ticket page shows who else has it open.
// Plain ES2020; no inline code (the CSP forbids it).
(() => {
  'use strict';
  if (!document.body) return;

  // Exact times marked data-local read in the viewer's own zone (the server writes the
  // workspace's, which stays as the fallback without JavaScript).
  try {
    const local = new Intl.DateTimeFormat(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
    });
    document.querySelectorAll('time[data-local]').forEach((t) => {
      const at = new Date(t.getAttribute('datetime'));
      if (!Number.isNaN(at.getTime())) {
        t.title = t.textContent;
        t.textContent = local.format(at);
      }
    });
  } catch (_) { /* the server's text stays */ }

  if (document.body.dataset.live !== 'on' || !window.EventSource) return;

  const parse = (html) => new DOMParser().parseFromString(html, 'text/html');
  const get = async (url) => {
    const res = await fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } });
    return res.ok ? parse(await res.text()) : null;
  };

  async function refreshConversation(box, number) {
    const doc = await get(`/tickets/${number}/conversation`);
    if (!doc) return;
    // Append only what is new: nothing already read moves or is announced again.
    doc.querySelectorAll('article.message').forEach((a) => {
      if (a.id && !document.getElementById(a.id)) box.appendChild(document.importNode(a, true));
    });
  }

  let countsTimer = null;
  function refreshCounts() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(async () => {
      const views = document.getElementById('views');
      if (!views) return;
      const here = new URLSearchParams(window.location.search);
      const doc = await get(`/tickets/counts?view=${encodeURIComponent(here.get('view') || '')}`
        + `&saved=${encodeURIComponent(here.get('saved') || '')}`);
      const fresh = doc && doc.getElementById('views');
      if (fresh) views.replaceWith(document.importNode(fresh, true));
    }, 400);
  }

  let pending = 0;
  function announceUpdates() {
    const box = document.getElementById('updates');
    if (!box) return;
    pending += 1;
    const button = box.querySelector('button');
    if (button) button.textContent = pending === 1 ? '1 update — show' : `${pending} updates — show`;
    box.hidden = false;
  }

  const updates = document.getElementById('updates');
  if (updates) {
    updates.addEventListener('click', () => { window.location.reload(); });
  }

  // Presence on a ticket page: a heartbeat every 15 s and when typing starts or stops;
  // the answer lists the others. Leaving the page says so.
  const presence = document.querySelector('[data-presence]');
  let beat = () => {};
  if (presence) {
    const url = presence.dataset.presence;
    let csrf = '';
    try { csrf = JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'] || ''; } catch (_) { /* none */ }
    let typing = false;
    let idle = 0;
    beat = async () => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ typing: typing ? '1' : '0' }),
        });
        if (!res.ok) return;
        const fresh = parse(await res.text()).getElementById('presence');
        const here = document.getElementById('presence');
        if (fresh && here && here.innerHTML !== fresh.innerHTML) here.innerHTML = fresh.innerHTML;
      } catch (_) { /* offline: the next beat tries again */ }
    };
    setInterval(beat, 15000);
    const area = document.querySelector('form.composer textarea');
    if (area) {
      area.addEventListener('input', () => {
        clearTimeout(idle);
        idle = setTimeout(() => { typing = false; beat(); }, 6000);
        if (!typing) { typing = true; beat(); }
      });
    }
    window.addEventListener('pagehide', () => {
      if (navigator.sendBeacon) navigator.sendBeacon(`${url}/leave`, new URLSearchParams({ csrf }));
    });
  }

  const source = new EventSource('/live');
  source.addEventListener('changed', (event) => {
    let data;
    try { data = JSON.parse(event.data); } catch (_) { return; }
    if (data.type === 'presence.changed') {
      const page = document.querySelector('[data-live-ticket]');
      if (presence && page && String(data.number) === page.dataset.liveTicket) beat();
      return;
    }
    const box = document.querySelector('[data-live-ticket]');
    if (box && String(data.number) === box.dataset.liveTicket) refreshConversation(box, data.number);
    refreshCounts();
    if (document.getElementById('results')) announceUpdates();
  });
})();
