// Helpdesk: drafts, focus, SLA countdown, focus after swaps, shift-click selection,
// confirming destructive forms.
(() => {
  'use strict';
  const doc = document;
  const store = (s) => { try { return window[s]; } catch (_) { return null; } };
  const local = store('localStorage');
  const session = store('sessionStorage');
  const get = (s, k) => { try { return s ? s.getItem(k) : null; } catch (_) { return null; } };
  const set = (s, k, v) => { try { if (s) s.setItem(k, v); } catch (_) { /* full or blocked */ } };
  const del = (s, k) => { try { if (s) s.removeItem(k); } catch (_) { /* blocked */ } };

  // (a) Drafts never lost.
  const drafts = () => {
    doc.querySelectorAll('form.composer[data-draft-key]').forEach((form) => {
      const key = form.dataset.draftKey;
      const area = form.querySelector('textarea');
      if (!key || !area) return;
      if (get(session, 'hd-sent') === key && form.dataset.hasErrors !== 'true') {
        del(local, key);
        del(session, 'hd-sent');
      }
      const saved = get(local, key);
      if (saved && !area.value) area.value = saved;
      let timer = 0;
      const save = () => {
        clearTimeout(timer);
        if (area.value.trim()) set(local, key, area.value); else del(local, key);
      };
      area.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(save, 400); });
      area.addEventListener('blur', save);
      form.addEventListener('submit', () => { save(); set(session, 'hd-sent', key); });
    });
  };

  // (b) Focus the first invalid field (its error is its description; the summary at the
  // top is an alert), else the summary itself.
  const focusErrors = () => {
    const target = doc.querySelector('[aria-invalid="true"]') || doc.getElementById('form-errors');
    if (target) target.focus();
  };

  // (c) SLA countdown.
  const span = (min) => {
    const m = Math.abs(min);
    if (m >= 1440) return `${Math.floor(m / 1440)}d ${Math.floor((m % 1440) / 60)}h`;
    if (m >= 60) return `${Math.floor(m / 60)}h ${m % 60}m`;
    return `${m}m`;
  };
  const tick = () => {
    const now = Date.now();
    doc.querySelectorAll('.sla[data-due]').forEach((el) => {
      if (el.classList.contains('sla-paused')) return;
      const due = Date.parse(el.dataset.due);
      if (Number.isNaN(due)) return;
      // Whole minutes, rounded up: never "0m" while a clock still runs or is overdue.
      const min = Math.max(1, Math.ceil(Math.abs(due - now) / 60000));
      let text;
      if (due <= now) {
        text = `overdue ${span(min)}`;
        el.classList.remove('sla-ok', 'sla-warn', 'sla-none');
        el.classList.add('sla-breach');
      } else {
        text = span(min);
      }
      if (el.textContent !== text) el.textContent = text;
    });
  };

  // (d) After the results list is swapped, focus its heading.
  const afterSwap = (ev) => {
    const target = ev.detail && ev.detail.target;
    const isResults = (el) => !!el && el.id === 'results';
    if (isResults(target) || isResults(ev.target)) {
      const h = doc.getElementById('list-heading');
      if (h) {
        if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
        h.focus();
      }
    }
  };

  // (e) Shift-click selects a range of ticket checkboxes.
  let last = null;
  const onClick = (ev) => {
    const box = ev.target;
    if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox' || box.name !== 'numbers') return;
    const form = box.closest('form#bulk');
    if (!form) return;
    const boxes = Array.from(form.querySelectorAll('input[type="checkbox"][name="numbers"]'));
    if (ev.shiftKey && last && last !== box && boxes.includes(last)) {
      const a = boxes.indexOf(last);
      const b = boxes.indexOf(box);
      const [from, to] = a < b ? [a, b] : [b, a];
      for (let i = from; i <= to; i++) {
        if (boxes[i].checked !== box.checked) {
          boxes[i].checked = box.checked;
          boxes[i].dispatchEvent(new Event('change', { bubbles: true }));
        }
      }
    }
    last = box;
  };

  // (f) Destructive forms ask once.
  const onSubmit = (ev) => {
    const form = ev.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
    }
  };

  const init = () => {
    drafts();
    focusErrors();
    tick();
    setInterval(tick, 30000);
    doc.addEventListener('click', onClick);
    doc.addEventListener('submit', onSubmit);
    doc.body.addEventListener('htmx:afterSwap', (ev) => { afterSwap(ev); tick(); });
  };

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})();
