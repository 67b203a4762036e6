// console.js: /console. Logged out, the login form (wrong credentials and
// throttling shown plainly, with Retry-After); logged in, the org's
// question sets and its invites: create one (a one-time link to copy),
// list them, revoke one.

import { $, h, replace, showError } from '../dom.js';
import { capi } from './capi.js';
import { clearFieldErrors, reason, showFieldError } from './fields.js';
import { announce, datetime, failure, fatal, safeNext, showAccount, when, wireLogout } from './shell.js';

const params = new URLSearchParams(location.search);
let sets = [];

function setState(s) { document.body.dataset.state = s; }

// ---- login ----

function showLogin() {
  $('#loading').hidden = true;
  $('#login-view').hidden = false;
  setState('login');
  $('#email').focus();
}

$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('#login-error');
  box.hidden = true;
  const email = $('#email').value.trim();
  const password = $('#password').value;
  if (!email || !password) {
    showError(box, 'Enter your email and password.');
    (email ? $('#password') : $('#email')).focus();
    return;
  }
  const btn = $('#login-submit');
  btn.disabled = true;
  try {
    await capi.login(email, password);
    location.assign(safeNext(params.get('next')));
  } catch (err) {
    if (err.status === 401) {
      showError(box, 'Wrong email or password.');
    } else if (err.status === 429) {
      const s = err.retryAfter;
      showError(box, `Too many login attempts. Try again in ${s > 0 ? `${s} ${s === 1 ? 'second' : 'seconds'}` : 'a little while'}.`);
    } else {
      showError(box, `Logging in failed: ${err.message}`);
    }
    document.body.dataset.loginFailures = String(Number(document.body.dataset.loginFailures || 0) + 1);
    btn.disabled = false;
    $('#password').select();
    $('#password').focus();
  }
});

// ---- question sets ----

function renderSets() {
  if (sets.length === 0) {
    replace($('#sets'), h('p', { class: 'empty' }, 'No question sets yet. Create one to invite candidates.'));
    return;
  }
  replace($('#sets'), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'sets-title' },
    h('table', { class: 'data stackable', id: 'sets-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Version'),
        h('th', { scope: 'col', class: 'num' }, 'Questions'), h('th', { scope: 'col' }, 'Saved'))),
      h('tbody', {}, sets.map((s) => h('tr', { 'data-id': s.id },
        h('th', { scope: 'row' }, h('a', { href: '/console/question-sets/' + encodeURIComponent(s.id) }, s.name)),
        h('td', { 'data-label': 'Version' }, 'v' + s.version),
        h('td', { class: 'num', 'data-label': 'Questions' }, String((s.questions || []).length)),
        h('td', { 'data-label': 'Saved' }, h('time', { datetime: datetime(s.created_at) }, when(s.created_at)))))))));
  const select = $('#invite-set');
  replace(select, sets.map((s) => h('option', { value: s.id }, `${s.name} (v${s.version})`)));
}

// ---- invites ----

function inviteStatus(inv) {
  if (inv.revoked_at) return { label: 'Revoked', cls: 'badge-muted' };
  if (inv.used_at) return { label: 'Used', cls: 'badge-info' };
  if (new Date(inv.expires_at) < new Date()) return { label: 'Expired', cls: 'badge-warn' };
  return { label: 'Open', cls: 'badge-pass' };
}

function setName(id) {
  const s = sets.find((x) => x.id === id);
  return s ? s.name : id;
}

function renderInvites(list) {
  if (list.length === 0) {
    replace($('#invites'), h('p', { class: 'empty' }, 'No invites yet.'));
    return;
  }
  replace($('#invites'), h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'invite-list-title' },
    h('table', { class: 'data stackable', id: 'invites-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Candidate'), h('th', { scope: 'col' }, 'Question set'), h('th', { scope: 'col' }, 'Level'),
        h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Expires'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, list.map((inv) => {
        const st = inviteStatus(inv);
        const who = inv.candidate || 'No label';
        return h('tr', { 'data-id': inv.id, 'data-status': st.label.toLowerCase() },
          h('th', { scope: 'row' }, inv.session_id ? h('a', { href: '/console/sessions/' + encodeURIComponent(inv.session_id) }, who) : who),
          h('td', { 'data-label': 'Question set' }, setName(inv.question_set_id)),
          h('td', { 'data-label': 'Level' }, inv.level),
          h('td', { 'data-label': 'Status' }, h('span', { class: 'badge ' + st.cls }, st.label)),
          h('td', { 'data-label': 'Expires' }, h('time', { datetime: datetime(inv.expires_at) }, when(inv.expires_at))),
          h('td', {}, st.label === 'Open' ? h('button', {
            type: 'button', class: 'btn btn-danger btn-small', 'aria-label': `Revoke the invite for ${who}`,
            onclick: (e) => revoke(inv, who, e.currentTarget),
          }, 'Revoke') : ''));
      })))));
}

async function loadInvites() {
  const data = await capi.invites();
  renderInvites(data.invites || []);
}

async function revoke(inv, who, btn) {
  btn.disabled = true;
  try {
    await capi.revokeInvite(inv.id);
    await loadInvites();
    announce(`The invite for ${who} is revoked.`);
    $('#invite-list-title').setAttribute('tabindex', '-1');
    $('#invite-list-title').focus();
  } catch (err) {
    btn.disabled = false;
    showError($('#invite-error'), failure('The invite could not be revoked', err));
  }
}

$('#invite-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const box = $('#invite-error');
  box.hidden = true;
  clearFieldErrors(form);
  if (sets.length === 0) {
    showError(box, 'Create a question set first.');
    return;
  }
  const body = {
    question_set_id: $('#invite-set').value,
    level: $('#invite-level').value,
    candidate: $('#invite-candidate').value.trim(),
    expires_in_hours: Number($('#invite-expiry').value),
  };
  const btn = $('#invite-create');
  btn.disabled = true;
  try {
    const inv = await capi.createInvite(body);
    // The start page takes the code from the fragment, which never
    // reaches a server (nor its logs, nor a Referer).
    const url = `${location.origin}/#code=${encodeURIComponent(inv.code)}`;
    $('#invite-url').value = url;
    $('#invite-created').hidden = false;
    $('#copy-link').textContent = 'Copy link';
    $('#invite-candidate').value = '';
    await loadInvites();
    announce('Invite created. The link is ready to copy.');
    $('#invite-url').focus();
    $('#invite-url').select();
  } catch (err) {
    if (!(err.field && showFieldError(form, err.field, reason(err)))) {
      showError(box, failure('The invite could not be created', err));
    }
    announce(`The invite could not be created: ${err.message}`);
  } finally {
    btn.disabled = false;
  }
});

// copyText copies with the clipboard API, else the old select-and-copy.
async function copyText(input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(input.value);
      return true;
    }
  } catch {
    // Denied: fall back below.
  }
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

$('#copy-link').addEventListener('click', async () => {
  const ok = await copyText($('#invite-url'));
  $('#copy-link').textContent = ok ? 'Copied' : 'Copy link';
  announce(ok ? 'Link copied.' : 'Copying failed: the link is selected, press Ctrl+C (or ⌘C) to copy it.');
  if (!ok) $('#invite-url').select();
});

// ---- start ----

async function start() {
  wireLogout();
  let org;
  try {
    org = await capi.org();
  } catch (err) {
    if (err.status === 401) {
      showLogin();
      return;
    }
    fatal(err);
    return;
  }
  showAccount(org);
  $('#role').textContent = org.role === 'admin' ? 'Admin' : 'Recruiter';
  document.title = `${org.name} · barraiser console`;
  try {
    const data = await capi.questionSets();
    sets = data.question_sets || [];
    renderSets();
    await loadInvites();
  } catch (err) {
    fatal(err);
    return;
  }
  $('#loading').hidden = true;
  $('#home-view').hidden = false;
  setState('ready');
}

start();
