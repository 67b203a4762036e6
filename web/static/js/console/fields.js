// fields.js: a server validation error shown next to the field it names.
// The API answers 400 with {"error":{"field":"questions[2].principle",…}};
// each input carries its JSON path in data-field. The error goes in a
// message right after the input, which gets aria-invalid and points at the
// message with aria-describedby, and takes the focus.

import { $$, h } from '../dom.js';

let seq = 0;

// clearFieldErrors removes every field error inside root.
export function clearFieldErrors(root) {
  for (const m of $$('.field-error', root)) {
    const target = root.querySelector(`[aria-describedby~="${m.id}"]`);
    if (target) {
      const rest = target.getAttribute('aria-describedby').split(/\s+/).filter((x) => x && x !== m.id);
      if (rest.length) target.setAttribute('aria-describedby', rest.join(' '));
      else target.removeAttribute('aria-describedby');
      target.removeAttribute('aria-invalid');
    }
    m.remove();
  }
  for (const el of $$('[aria-invalid]', root)) el.removeAttribute('aria-invalid');
}

// fieldFor finds the element of a JSON path, or of the nearest enclosing
// path that has one ("questions[0].levels[2]" → "questions[0].levels" →
// "questions[0]" → "questions").
export function fieldFor(root, path) {
  let p = path;
  while (p) {
    const el = root.querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

// fieldLabel names a field as a person sees it: its group's legend, then
// its label ("Question 1 · Question").
export function fieldLabel(el) {
  const own = el.tagName === 'FIELDSET' ? el.querySelector(':scope > legend') : (el.labels && el.labels[0]);
  const group = el.parentElement && el.parentElement.closest('fieldset');
  const legend = group && group.querySelector(':scope > legend');
  return [legend && legend !== own ? legend.textContent : '', own ? own.textContent : ''].filter(Boolean).join(' · ');
}

// showFieldError marks the field of path with message and focuses it. It
// returns the field's name as fieldLabel gives it, or '' when no field in
// root matches.
export function showFieldError(root, path, message) {
  const el = fieldFor(root, path);
  if (!el) return '';
  const id = 'field-error-' + ++seq;
  const msg = h('p', { class: 'field-error', id }, message);
  if (el.tagName === 'FIELDSET') {
    const legend = el.querySelector(':scope > legend');
    if (legend) legend.after(msg); else el.prepend(msg);
  } else {
    const box = el.closest('.field');
    if (box) box.append(msg); else el.after(msg);
  }
  el.setAttribute('aria-invalid', 'true');
  const by = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  el.setAttribute('aria-describedby', [...by, id].join(' '));
  const focusable = el.tagName === 'FIELDSET' ? el.querySelector('input, select, textarea, button') : el;
  if (focusable) {
    focusable.scrollIntoView({ block: 'center' });
    focusable.focus({ preventScroll: true });
  }
  return fieldLabel(el) || path;
}

// reason is the message without its leading "field: ".
export function reason(err) {
  const m = err.message || '';
  return err.field && m.startsWith(err.field + ': ') ? m.slice(err.field.length + 2) : m;
}
