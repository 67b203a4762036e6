// store.js: what a browser tab keeps about its interviews, in
// sessionStorage (per tab, gone when the tab closes). The session token
// lives here and nowhere else: never in a page URL, so it cannot leak
// through history, bookmarks or Referer.

const PREFIX = 'barraiser.session.';
const LAST = 'barraiser.last';

function read(key) {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the page keeps working, only a reload loses state.
  }
}

// saveStart keeps a newly started session.
export function saveStart(started) {
  write(PREFIX + started.id, {
    id: started.id,
    token: started.token,
    level: started.level,
    questions: started.questions || [],
    timeLimitMinutes: started.time_limit_minutes || 0,
    invited: !!started.invited,
    startedAt: Date.now(),
    lastSeq: 0,
    messages: [],
    outbox: [],
    finished: false,
  });
  write(LAST, started.id);
}

export function loadSession(id) {
  return read(PREFIX + id);
}

export function saveSession(s) {
  write(PREFIX + s.id, s);
}

// lastSession is the session this tab started last, if it is still kept.
export function lastSession() {
  const id = read(LAST);
  return id ? loadSession(id) : null;
}
