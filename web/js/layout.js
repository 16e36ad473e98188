// Shared page chrome: the header (navigation from nav.js for whoever is signed in) and footer,
// and where a page sends someone who may not see it.
import { api } from './api.js';
import { NAV, STAFF_ROLES, navFor } from './nav.js';
import { h, icon } from './ui.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function logo() {
  // A faceted gem mark in gold on the ink header.
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<path d="M9 5h14l6 8-13 15L3 13z" fill="#b48a4e"/>' +
    '<path d="M3 13h26L16 28z" fill="#8f6a35"/>' +
    '<path d="M9 5l3 8h8l3-8z" fill="#d9b985"/>' +
    '<path d="M12 13l4 15 4-15z" fill="#a57c42"/>' +
    '<path d="M9 5h14l6 8-13 15L3 13z" fill="none" stroke="#f3ead9" stroke-width="0.8" stroke-linejoin="round"/>';
  return svg;
}

export function isStaff(user) {
  return !!user && STAFF_ROLES.includes(user.role);
}

export function homeFor(user) {
  if (!user) return '/signin.html';
  return isStaff(user) ? '/admin.html' : '/app.html';
}

async function signOut() {
  try {
    await api.post('/api/auth/logout');
  } catch (err) {
    // Even if the request fails, leave the signed-in pages.
  }
  location.assign('/');
}

const ACTIONS = { 'sign-out': signOut };

function currentPath() {
  const p = location.pathname;
  return p === '/' ? '/index.html' : p;
}

// Live numbers beside nav labels (the cart count), kept across header re-renders.
const counts = new Map();

function countBadge(name) {
  const n = counts.get(name);
  return h('span', {
    class: 'nav-count', dataset: { count: name }, hidden: !n,
    'aria-label': n ? `${n} in ${name}` : null, text: n ? String(n) : '',
  });
}

export function setNavCount(name, n) {
  counts.set(name, Number.isInteger(n) && n > 0 ? n : 0);
  for (const el of document.querySelectorAll(`.nav-count[data-count="${name}"]`)) el.replaceWith(countBadge(name));
}

function navItem(entry) {
  const content = [entry.icon ? icon(entry.icon) : null, h('span', { text: entry.label }), entry.count ? countBadge(entry.count) : null];
  if (entry.action) {
    return h('li', {}, h('button', { type: 'button', 'data-action': entry.action, onclick: ACTIONS[entry.action] }, content));
  }
  const here = entry.href === currentPath();
  return h('li', {}, h('a', { href: entry.href, class: entry.cta ? 'nav-cta' : null, 'aria-current': here ? 'page' : null }, content));
}

// The links, then who is signed in, then the buttons (sign out).
export function renderNav(user, table = NAV) {
  const entries = navFor(user, table);
  const list = h('ul', {}, entries.filter((e) => !e.action).map(navItem));
  const who = user && (user.companyName || user.contactName || user.email);
  if (who) list.append(h('li', { class: 'nav-user', title: user.email, text: who }));
  list.append(...entries.filter((e) => e.action).map(navItem));
  return h('nav', { class: 'site-nav', 'aria-label': 'Main' }, list);
}

export function renderHeader(user) {
  const header = document.getElementById('site-header');
  if (!header) return;
  header.classList.add('site-header');
  const brand = h('a', { class: 'brand', href: user ? homeFor(user) : '/', 'aria-label': 'Facet home' },
    logo(), h('span', { text: 'Facet' }));
  if (isStaff(user)) brand.append(h('span', { class: 'brand-tag', text: 'Operations' }));
  header.replaceChildren(h('div', { class: 'wrap header-inner' }, brand, renderNav(user)));
}

export function renderFooter() {
  const footer = document.getElementById('site-footer');
  if (!footer) return;
  footer.classList.add('site-footer');
  const year = new Date().getFullYear();
  footer.replaceChildren(
    h('div', { class: 'wrap footer-inner' },
      h('span', { text: `© ${year} Facet — jewelry sourcing for retailers and wholesalers.` }),
      h('span', { class: 'footer-links' },
        h('a', { href: '/', text: 'About' }), ' · ',
        h('a', { href: '/signup.html', text: 'Open a trade account' }), ' · ',
        h('a', { href: '/reset.html', text: 'Reset password' }),
      ),
    ),
  );
}

// auth: 'optional' | 'required' | 'buyer' | 'staff' | 'admin'. The address to send this user to
// instead of the current page, or null when they may stay.
export function redirectFor(user, auth) {
  if (auth === 'optional') return null;
  if (!user) return `/signin.html?next=${encodeURIComponent(location.pathname + location.search)}`;
  if (auth === 'buyer' && isStaff(user)) return '/admin.html';
  if (auth === 'staff' && !isStaff(user)) return '/app.html';
  if (auth === 'admin' && user.role !== 'admin') return homeFor(user);
  return null;
}
