// An automated accessibility pass over the current page, evaluated by the
// browser tests through chromedp. It returns a list of problems, each
// naming the offending element; an empty list passes. It checks what a
// script can check reliably, not everything WCAG asks:
//   - html[lang], exactly one main landmark, a header (banner), named navs
//   - headings: one h1 first, no skipped levels
//   - every visible form control, button and link has an accessible name
//   - images have alt; svg[role=img] has a name; ids are unique
//   - the contrast of every visible text against its background is at
//     least 4.5:1 (disabled controls are exempt, as in WCAG)
(() => {
  const problems = [];
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + Array.from(el.classList).join('.');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} ("${text}")` : s;
  };
  const visible = (el) => {
    if (!(el instanceof Element)) return false;
    if (el.closest('[hidden], [aria-hidden="true"]')) return false;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
  };

  // Landmarks and language.
  if (!document.documentElement.getAttribute('lang')) problems.push('html has no lang attribute');
  const mains = document.querySelectorAll('main, [role="main"]');
  if (mains.length !== 1) problems.push(`want exactly one main landmark, found ${mains.length}`);
  if (!document.querySelector('header, [role="banner"]')) problems.push('no header (banner) landmark');
  const navs = document.querySelectorAll('nav, [role="navigation"]');
  if (navs.length > 1) {
    for (const n of navs) if (!n.getAttribute('aria-label') && !n.getAttribute('aria-labelledby')) problems.push(`${describe(n)}: several navs, this one has no name`);
  }
  if (!document.title.trim()) problems.push('the document has no title');

  // Headings.
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter((el) => !el.closest('[hidden]'));
  const h1s = headings.filter((el) => el.tagName === 'H1');
  if (h1s.length !== 1) problems.push(`want exactly one h1, found ${h1s.length}`);
  let prev = 0;
  for (const el of headings) {
    const level = Number(el.tagName[1]);
    if (prev === 0 && level !== 1) problems.push(`${describe(el)}: the first heading is not an h1`);
    if (prev > 0 && level > prev + 1) problems.push(`${describe(el)}: heading level jumps from h${prev} to h${level}`);
    if (!el.textContent.trim()) problems.push(`${describe(el)}: empty heading`);
    prev = level;
  }

  // Accessible names.
  const textOf = (id) => {
    const el = document.getElementById(id);
    return el ? el.textContent.trim() : '';
  };
  const accessibleName = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map(textOf).join(' ').trim();
      if (t) return t;
    }
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    if (el.labels && el.labels.length) {
      const t = Array.from(el.labels).map((l) => l.textContent.trim()).join(' ').trim();
      if (t) return t;
    }
    const tag = el.tagName.toLowerCase();
    if (tag === 'button' || tag === 'a' || el.getAttribute('role') === 'button') {
      const t = (el.textContent || '').trim();
      if (t) return t;
      const img = el.querySelector('img[alt]');
      if (img && img.alt.trim()) return img.alt.trim();
    }
    if (tag === 'input' && ['submit', 'button', 'reset'].includes(el.type) && el.value.trim()) return el.value.trim();
    return (el.getAttribute('title') || '').trim();
  };
  const controls = document.querySelectorAll('input:not([type="hidden"]), select, textarea, button, a[href], [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="tab"]');
  for (const el of controls) {
    if (el.closest('[hidden]')) continue;
    if (!accessibleName(el)) problems.push(`${describe(el)}: no accessible name (label, aria-label or aria-labelledby)`);
  }
  for (const l of document.querySelectorAll('label[for]')) {
    if (!document.getElementById(l.htmlFor)) problems.push(`${describe(l)}: label for a missing id "${l.htmlFor}"`);
  }
  for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\s+/)) {
        if (id && !document.getElementById(id)) problems.push(`${describe(el)}: ${attr} names a missing id "${id}"`);
      }
    }
  }

  // Images.
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`${describe(img)}: image without alt`);
  }
  for (const svg of document.querySelectorAll('svg[role="img"]')) {
    const titled = svg.querySelector('title') && svg.querySelector('title').textContent.trim();
    if (!titled && !accessibleName(svg)) problems.push(`${describe(svg)}: svg image without a name`);
  }

  // Unique ids.
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) problems.push(`id "${el.id}" is used more than once`);
    seen.set(el.id, true);
  }

  // Contrast.
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const blend = (top, bottom) => {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (x, y) => (x * top.a + y * bottom.a * (1 - top.a)) / a;
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 }; // the canvas
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  };
  const lum = (c) => {
    const ch = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const checked = new Set();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el || checked.has(el)) continue;
    checked.add(el);
    if (!visible(el) || el.closest('.visually-hidden, .skip-link, svg')) continue;
    if (el.closest('[disabled], [aria-disabled="true"]')) continue;
    const cs = getComputedStyle(el);
    const fg = parse(cs.color);
    if (!fg) continue;
    const bg = background(el);
    const r = ratio(blend(fg, bg), bg);
    if (r < 4.5) problems.push(`${describe(el)}: contrast ${r.toFixed(2)}:1 (${cs.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})), want at least 4.5:1`);
  }
  return problems;
})()
