// Shared page chrome: header with navigation (depends on who is signed in) and footer.
import { api, currentUser } from './api.js';
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
  return !!user && (user.role === 'ops' || user.role === 'admin');
}

export function homeFor(user) {
  if (!user) return '/signin.html';
  return isStaff(user) ? '/admin.html' : '/app.html';
}

function currentPath() {
  const p = location.pathname;
  return p === '/' ? '/index.html' : p;
}

function navLink(href, label, iconName, extraClass) {
  const a = h('a', { href, class: extraClass });
  if (iconName) a.append(icon(iconName));
  a.append(h('span', { text: label }));
  const here = currentPath();
  if (href === here) a.setAttribute('aria-current', 'page');
  return h('li', {}, a);
}

async function signOut() {
  try {
    await api.post('/api/auth/logout');
  } catch (err) {
    // Even if the request fails, leave the signed-in pages.
  }
  location.assign('/');
}

function renderHeader(user) {
  const header = document.getElementById('site-header');
  if (!header) return;
  header.classList.add('site-header');

  const brand = h('a', { class: 'brand', href: user ? homeFor(user) : '/', 'aria-label': 'Facet home' },
    logo(), h('span', { text: 'Facet' }));
  if (isStaff(user)) brand.append(h('span', { class: 'brand-tag', text: 'Operations' }));

  const list = h('ul', {});
  if (!user) {
    list.append(
      navLink('/signin.html', 'Sign in'),
      navLink('/signup.html', 'Create account', null, 'nav-cta'),
    );
  } else {
    if (isStaff(user)) list.append(navLink('/admin.html', 'Admin', 'shield'));
    else list.append(navLink('/app.html', 'Home', 'home'), navLink('/search.html', 'Find jewelry', 'search'));
    list.append(navLink('/profile.html', 'Profile', 'user'));
    const who = user.companyName || user.contactName || user.email;
    if (who) list.append(h('li', { class: 'nav-user', title: user.email, text: who }));
    const out = h('button', { type: 'button', 'data-action': 'sign-out' }, icon('logout'), h('span', { text: 'Sign out' }));
    out.addEventListener('click', signOut);
    list.append(h('li', {}, out));
  }

  const nav = h('nav', { class: 'site-nav', 'aria-label': 'Main' }, list);
  header.replaceChildren(h('div', { class: 'wrap header-inner' }, brand, nav));
}

function renderFooter() {
  const footer = document.getElementById('site-footer');
  if (!footer) return;
  footer.classList.add('site-footer');
  const year = new Date().getFullYear();
  footer.replaceChildren(
    h('div', { class: 'wrap footer-inner' },
      h('span', { text: `© ${year} Facet — jewelry sourcing for retailers and wholesalers.` }),
      h('span', {},
        h('a', { href: '/', text: 'About' }), ' · ',
        h('a', { href: '/signup.html', text: 'Open a trade account' }), ' · ',
        h('a', { href: '/reset.html', text: 'Reset password' }),
      ),
    ),
  );
}

// auth: 'optional' (default) | 'required' | 'buyer' | 'staff'
// Resolves to the signed-in user (or null for optional pages). For protected pages a
// visitor without a session is sent to sign-in, and the promise never resolves.
export async function initLayout({ auth = 'optional' } = {}) {
  renderFooter();
  let user = null;
  try {
    user = await currentUser();
  } catch (err) {
    user = null;
  }
  renderHeader(user);

  if (auth !== 'optional' && !user) {
    const next = encodeURIComponent(location.pathname + location.search);
    location.replace(`/signin.html?next=${next}`);
    return new Promise(() => {});
  }
  if (auth === 'staff' && !isStaff(user)) {
    location.replace('/app.html');
    return new Promise(() => {});
  }
  if (auth === 'buyer' && isStaff(user)) {
    location.replace('/admin.html');
    return new Promise(() => {});
  }
  return user;
}
