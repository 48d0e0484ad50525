// The console's keyboard workflow: single keys, never while typing in a field and never
// with Ctrl, Alt or Meta (so no browser or screen-reader chord is taken). Loaded only for
// staff who keep shortcuts on (their profile). `?` lists them.
(() => {
  'use strict';
  const doc = document;
  const typing = (el) => !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const byId = (id) => doc.getElementById(id);

  // Rows of the ticket list: the subject links, in order.
  const rows = () => Array.from(doc.querySelectorAll('#results td.subject a'));
  const moveRow = (step) => {
    const links = rows();
    if (!links.length) return false;
    const at = links.indexOf(doc.activeElement);
    const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links.forEach((a) => a.closest('tr').classList.remove('kb-current'));
    links[next].closest('tr').classList.add('kb-current');
    links[next].focus();
    return true;
  };
  const toggleRow = () => {
    const row = doc.activeElement && doc.activeElement.closest('#results tr');
    const box = row && row.querySelector('input[name="numbers"]');
    if (!box) return false;
    box.click();
    return true;
  };

  // The ticket page's composer, as a reply or an internal note.
  const compose = (kind) => {
    const area = byId('f-body');
    const radio = doc.querySelector(`form.composer input[name="visibility"][value="${kind}"]`);
    if (!area || !radio) return false;
    radio.checked = true;
    radio.dispatchEvent(new Event('change', { bubbles: true }));
    area.focus();
    return true;
  };

  // A field of the ticket's context panel: picking a value saves the fields.
  const pick = (id) => {
    const select = byId(id);
    if (!select) return false;
    select.focus();
    const form = select.form;
    select.addEventListener('change', () => { if (form) form.requestSubmit(); }, { once: true });
    try { select.showPicker(); } catch (_) { /* focus is enough: arrows, then Save */ }
    return true;
  };
  const assignToMe = () => {
    const select = byId('f-assignee');
    const me = doc.body.dataset.me;
    if (!select || !me || !Array.from(select.options).some((o) => o.value === me)) return false;
    select.value = me;
    if (select.form) select.form.requestSubmit();
    return true;
  };

  const search = () => {
    const q = byId('f-q');
    if (q) { q.focus(); q.select(); return true; }
    window.location.assign('/tickets#search');
    return true;
  };

  const help = () => {
    const d = byId('shortcuts');
    if (!d || d.open) return false;
    d.showModal();
    return true;
  };

  let pendingG = 0;
  const onKey = (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.altKey || ev.metaKey || ev.isComposing) return;
    const el = doc.activeElement;
    if (typing(el)) {
      // Escape leaves a field, so the keys work again.
      if (ev.key === 'Escape' && el.tagName !== 'SELECT') el.blur();
      return;
    }
    if (byId('shortcuts') && byId('shortcuts').open) return;
    const now = Date.now();
    if (pendingG && now - pendingG < 1500) {
      pendingG = 0;
      if (ev.key === 'i') { ev.preventDefault(); window.location.assign('/tickets'); }
      return;
    }
    let done = false;
    switch (ev.key) {
      case 'j': done = moveRow(1); break;
      case 'k': done = moveRow(-1); break;
      case 'x': done = toggleRow(); break;
      case 'r': done = compose('public'); break;
      case 'n': done = compose('internal'); break;
      case 'a': done = assignToMe(); break;
      case 's': done = pick('f-status'); break;
      case 'p': done = pick('f-priority'); break;
      case '/': done = search(); break;
      case '?': done = help(); break;
      case 'g': pendingG = now; done = true; break;
      default: return;
    }
    if (done) ev.preventDefault();
  };

  const init = () => {
    doc.addEventListener('keydown', onKey);
    if (window.location.hash === '#search' && byId('f-q')) byId('f-q').focus();
    doc.querySelectorAll('[data-open-shortcuts]').forEach((b) => b.addEventListener('click', help));
  };
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
