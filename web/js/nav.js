// Every entry of the main navigation and who sees it. A new page is one more row here.
// roles: 'visitor' (signed out), 'buyer', 'ops', 'admin'. An entry with `action` is a button
// (handled in layout.js) rather than a link; `cta` marks the gold call to action; `count` names a
// live number shown beside the label (layout.js setNavCount).

export const NAV = [
  { href: '/signin.html', label: 'Sign in', roles: ['visitor'] },
  { href: '/signup.html', label: 'Create account', roles: ['visitor'], cta: true },
  { href: '/app.html', label: 'Home', icon: 'home', roles: ['buyer'] },
  { href: '/search.html', label: 'Find jewelry', icon: 'search', roles: ['buyer'] },
  { href: '/history.html', label: 'Searches', icon: 'clock', roles: ['buyer'] },
  { href: '/cart.html', label: 'Cart', icon: 'cart', roles: ['buyer'], count: 'cart' },
  { href: '/quotes.html', label: 'Quotes', icon: 'chat', roles: ['buyer'], count: 'quotes' },
  { href: '/orders.html', label: 'Orders', icon: 'truck', roles: ['buyer'] },
  { href: '/admin.html', label: 'Dashboard', icon: 'shield', roles: ['ops', 'admin'] },
  { href: '/admin-quotes.html', label: 'Quotes', icon: 'chat', roles: ['ops', 'admin'] },
  { href: '/admin-orders.html', label: 'Orders', icon: 'truck', roles: ['ops', 'admin'] },
  { href: '/admin-approvals.html', label: 'Approvals', icon: 'check', roles: ['ops', 'admin'] },
  { href: '/admin-sync.html', label: 'Sync', icon: 'refresh', roles: ['ops', 'admin'] },
  { href: '/admin-marketplace.html', label: 'Marketplace', icon: 'tag', roles: ['ops', 'admin'] },
  { href: '/admin-analytics.html', label: 'Analytics', icon: 'spark', roles: ['ops', 'admin'] },
  { href: '/admin-buyers.html', label: 'Buyers', icon: 'user', roles: ['ops', 'admin'] },
  { href: '/admin-audit.html', label: 'Audit', icon: 'clock', roles: ['ops', 'admin'] },
  { href: '/admin-staff.html', label: 'Staff', icon: 'key', roles: ['admin'] },
  { href: '/profile.html', label: 'Profile', icon: 'user', roles: ['buyer', 'ops', 'admin'] },
  { action: 'sign-out', label: 'Sign out', icon: 'logout', roles: ['buyer', 'ops', 'admin'] },
];

export const STAFF_ROLES = ['ops', 'admin'];

export function roleOf(user) {
  return user ? user.role : 'visitor';
}

export function navFor(user, table = NAV) {
  const role = roleOf(user);
  return table.filter((entry) => entry.roles.includes(role));
}
