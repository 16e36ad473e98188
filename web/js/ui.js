// DOM helpers, icons, alerts, toasts and formatting shared by all pages (forms are in forms.js).
// User-supplied text is only ever inserted with textContent (never as HTML).

const SVG_NS = 'http://www.w3.org/2000/svg';

// Static icon paths (24x24 viewBox, stroked). Trusted constants only.
const ICONS = {
  gem: '<path d="M6 3h12l4 6-10 12L2 9z"/><path d="M2 9h20"/><path d="M9 3l3 6 3-6"/><path d="M12 9v12"/>',
  upload: '<path d="M12 16V4"/><path d="M7 9l5-5 5 5"/><path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"/>',
  search: '<circle cx="11" cy="11" r="7"/><path d="M20 20l-3.5-3.5"/>',
  handshake: '<path d="M3 12l4-4 4 2 3-2 7 6"/><path d="M7 8v0"/><path d="M3 12l6 6 2-1 2 2 2-1 2 1 4-4"/><path d="M11 17l-2-2"/><path d="M13 19l-2-2"/>',
  truck: '<path d="M3 6h11v10H3z"/><path d="M14 9h4l3 3v4h-7"/><circle cx="7" cy="17.5" r="1.8"/><circle cx="17" cy="17.5" r="1.8"/>',
  bell: '<path d="M6 9a6 6 0 0 1 12 0c0 6 2.5 7.5 2.5 7.5h-17S6 15 6 9"/><path d="M10 20a2 2 0 0 0 4 0"/>',
  check: '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
  x: '<path d="M6 6l12 12"/><path d="M18 6L6 18"/>',
  alert: '<path d="M12 3l10 18H2z"/><path d="M12 10v5"/><path d="M12 18v.01"/>',
  info: '<circle cx="12" cy="12" r="9"/><path d="M12 11v6"/><path d="M12 7.5v.01"/>',
  mail: '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3.5 6.5L12 13l8.5-6.5"/>',
  key: '<circle cx="8" cy="14" r="4"/><path d="M11 11l9-9"/><path d="M17 5l2 2"/><path d="M15 7l2 2"/>',
  user: '<circle cx="12" cy="8" r="4"/><path d="M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6"/>',
  home: '<path d="M3 11l9-7 9 7"/><path d="M5 10v10h14V10"/>',
  shield: '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/>',
  logout: '<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3"/><path d="M10 17l-5-5 5-5"/><path d="M5 12h11"/>',
  arrow: '<path d="M5 12h14"/><path d="M13 6l6 6-6 6"/>',
  spark: '<path d="M12 3v4"/><path d="M12 17v4"/><path d="M3 12h4"/><path d="M17 12h4"/><path d="M6 6l2.5 2.5"/><path d="M15.5 15.5L18 18"/><path d="M18 6l-2.5 2.5"/><path d="M8.5 15.5L6 18"/>',
  tag: '<path d="M3 12V4h8l10 10-8 8z"/><circle cx="7.5" cy="8.5" r="1.5"/>',
  chat: '<path d="M4 5h16v11H9l-5 4z"/>',
  send: '<path d="M21 3L10 14"/><path d="M21 3l-7 18-4-7-7-4z"/>',
  cart: '<path d="M3 4h2.5l2.2 11h10.6l2-8H7"/><circle cx="9.5" cy="19" r="1.5"/><circle cx="17" cy="19" r="1.5"/>',
  heart: '<path d="M12 20s-7.5-4.6-7.5-10A4.2 4.2 0 0 1 12 7.3 4.2 4.2 0 0 1 19.5 10c0 5.4-7.5 10-7.5 10z"/>',
  columns: '<rect x="3" y="4" width="7" height="16" rx="1"/><rect x="14" y="4" width="7" height="16" rx="1"/>',
  clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  bookmark: '<path d="M6 3h12v18l-6-4-6 4z"/>',
  refresh: '<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4v7h-7"/>',
  trash: '<path d="M4 7h16"/><path d="M9 7V4h6v3"/><path d="M6 7l1 13h10l1-13"/>',
  zoom: '<circle cx="11" cy="11" r="7"/><path d="M20 20l-3.5-3.5"/><path d="M8 11h6"/><path d="M11 8v6"/>',
};

export function icon(name, extraClass) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.7');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  if (extraClass) svg.setAttribute('class', extraClass);
  svg.innerHTML = ICONS[name] || ICONS.info;
  return svg;
}

// h('p', {class: 'x', text: 'hello'}, child1, child2)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = value;
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// ---------- alerts ----------

export function showAlert(container, kind, message, title) {
  if (!container) return;
  container.replaceChildren();
  if (!message && !title) {
    container.hidden = true;
    return;
  }
  container.className = `alert alert-${kind}`;
  const iconName = kind === 'error' ? 'alert' : kind === 'success' ? 'check' : 'info';
  const text = h('div', {});
  if (title) text.append(h('strong', { text: title }));
  if (message) text.append(h('p', { text: message }));
  container.append(icon(iconName), text);
  container.hidden = false;
}

export function clearAlert(container) {
  showAlert(container, 'info', '', '');
}

// ---------- toasts ----------

let toastRegion = null;

function ensureToastRegion() {
  if (toastRegion && document.body.contains(toastRegion)) return toastRegion;
  toastRegion = h('div', { class: 'toast-region', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'false' });
  document.body.append(toastRegion);
  return toastRegion;
}

// link: { href, text } adds a link under the body (the match a saved search found, the cart).
export function toast(title, body, { timeout = 7000, link = null, kind = '' } = {}) {
  const region = ensureToastRegion();
  const el = h('div', { class: kind ? `toast toast-${kind}` : 'toast' },
    h('div', { class: 'toast-title', text: title }),
    body ? h('div', { class: 'toast-body', text: body }) : null,
    link ? h('a', { class: 'toast-link', href: link.href, text: link.text }) : null,
  );
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss notification', text: '×' });
  el.append(close);
  const remove = () => {
    el.classList.add('leaving');
    setTimeout(() => el.remove(), 220);
  };
  close.addEventListener('click', remove);
  region.append(el);
  if (timeout) setTimeout(remove, timeout);
  return el;
}

// ---------- formatting ----------

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString(undefined, { dateStyle: 'long' });
}

export function formatDateShort(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function relativeTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const secs = Math.round((Date.now() - d.getTime()) / 1000);
  if (secs < 45) return 'just now';
  const mins = Math.round(secs / 60);
  if (mins < 60) return `${mins} min ago`;
  const hours = Math.round(mins / 60);
  if (hours < 24) return `${hours} h ago`;
  return formatDateTime(iso);
}

export const BUSINESS_TYPES = {
  retailer: 'Retailer',
  wholesaler: 'Wholesaler',
  other: 'Other',
};

export const ORDER_VOLUMES = {
  'under-1k': 'Under $1,000',
  '1k-10k': '$1,000 – $10,000',
  '10k-50k': '$10,000 – $50,000',
  '50k+': 'Over $50,000',
};

export function safeNext(param, fallback) {
  // Only allow same-site relative paths for post-login redirects.
  if (param && /^\/[A-Za-z0-9_\-./?=&%]*$/.test(param) && !param.startsWith('//')) return param;
  return fallback;
}

// Connection indicator: <span class="live-pill" id="live-pill"><span id="live-text"></span></span>
export function setLivePill(state) {
  const pill = document.getElementById('live-pill');
  const text = document.getElementById('live-text');
  if (!pill || !text) return;
  pill.dataset.state = state;
  if (state !== 'open') pill.dataset.subscribed = '';
  text.textContent = { open: 'Live', connecting: 'Connecting…', closed: 'Offline', idle: 'Offline' }[state] || 'Offline';
}

// Records confirmed subscriptions on the connection indicator (useful to people and tests alike).
export function markSubscribed(topic) {
  const pill = document.getElementById('live-pill');
  if (!pill) return;
  const topics = new Set((pill.dataset.subscribed || '').split(' ').filter(Boolean));
  topics.add(topic);
  pill.dataset.subscribed = [...topics].join(' ');
}
