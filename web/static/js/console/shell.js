// shell.js: what every logged-in console page shares: the login check (a
// page opened without a console session goes to the login form and comes
// back after it), the org's name in the header, the current page in the
// navigation, log out, and one polite live region for "saved" and errors.

import { $, $$ } from '../dom.js';
import { capi } from './capi.js';

// safeNext is a console path to return to after logging in, or '/console'.
export function safeNext(raw) {
  if (typeof raw === 'string' && /^\/console(\/[A-Za-z0-9_\-/]*)?$/.test(raw)) return raw;
  return '/console';
}

// toLogin sends the reader to the login form, to come back here after it.
export function toLogin() {
  const here = location.pathname;
  location.assign('/console' + (here === '/console' ? '' : '?next=' + encodeURIComponent(here)));
}

// showAccount fills the header once the reader is known to be logged in.
export function showAccount(org) {
  $('#org-name').textContent = org.name;
  $('#account').hidden = false;
  $('#console-nav').hidden = false;
  for (const a of $$('#console-nav a')) {
    if (a.getAttribute('href') === location.pathname || (a.dataset.prefix && location.pathname.startsWith(a.dataset.prefix))) {
      a.setAttribute('aria-current', 'page');
    }
  }
}

let logoutWired = false;

function wireLogout() {
  if (logoutWired) return;
  logoutWired = true;
  $('#logout').addEventListener('click', async () => {
    try {
      await capi.logout();
    } catch {
      // An expired session is logged out already.
    }
    location.assign('/console');
  });
}

// requireLogin resolves to the org when the reader is logged in; else it
// goes to the login form and never resolves.
export async function requireLogin() {
  wireLogout();
  try {
    const org = await capi.org();
    showAccount(org);
    return org;
  } catch (err) {
    if (err.status === 401) {
      toLogin();
      return new Promise(() => {});
    }
    throw err;
  }
}

export { wireLogout };

// failure is the message for a failed save: a console session that has
// ended (401) says how to carry on without losing what is on the page.
export function failure(what, err) {
  if (err.status === 401) return `${what}: your console session has ended. Log in again at /console in another tab, then try again here; this page keeps what you entered.`;
  if (err.code === 'csrf_failed') return `${what}: this page’s security token is out of date. Reload the page and try again.`;
  return `${what}: ${err.message}`;
}

// announce says msg in the page's live region (role=status).
export function announce(msg) {
  const el = $('#announcer');
  if (!el) return;
  el.textContent = '';
  // A fresh text node, so a repeated message is announced again.
  requestAnimationFrame(() => { el.textContent = msg; });
}

// fatal shows a load failure in the page's alert.
export function fatal(err) {
  const box = $('#problem');
  box.textContent = `This page could not be loaded: ${err.message}`;
  box.hidden = false;
  const loading = $('#loading');
  if (loading) loading.hidden = true;
  document.body.dataset.state = 'error';
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// when formats an API timestamp for people ('' for none).
export function when(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d);
}

// datetime is the machine-readable form for <time datetime>.
export function datetime(ts) {
  return ts || '';
}
