// mountPage: the one way a page starts, so a new page is only its own content.
//
//   mountPage({ auth, topics, catalog, load })
//
// - renders the header (navigation for whoever is signed in) and footer;
// - auth 'optional' | 'required' | 'buyer' | 'staff' | 'admin': anyone who may not see the page
//   is sent on (to sign in, or to their own home) and load never runs;
// - topics: topic names, or user => names, to follow live; the connection opens only when there
//   is something to follow (page.follow adds topics later), and the #live-pill shows its state;
// - catalog: true shows "Catalog still loading (n %)" while the server is still indexing;
// - one region at the top of the page (#page-status) holds the catalog notice and the page's
//   errors: whatever load throws, page.error(err) and any API error left unhandled;
// - a verified buyer's pages follow buyer:<id> (workspace.js): the cart count in the navigation
//   and saved-search matches stay live everywhere;
// - load(page) gets { user, realtime, follow, error, clearError, refreshHeader }.
// When load has settled, <html data-mounted> is set (tests wait for it).
import { ApiError, currentUser } from './api.js';
import { redirectFor, renderFooter, renderHeader } from './layout.js';
import { catalogText, watchCatalog } from './readiness.js';
import { RealtimeClient } from './realtime.js';
import { watchWorkspace } from './workspace.js';
import { $, h, showAlert, clearAlert, setLivePill, markSubscribed } from './ui.js';

function statusRegion() {
  let region = $('#page-status');
  if (!region) {
    region = h('div', { id: 'page-status', class: 'wrap page-status' });
    ($('main') || document.body).prepend(region);
  }
  const notice = h('div', { id: 'page-notice', class: 'alert alert-info', role: 'status', hidden: true });
  const error = h('div', { id: 'page-error', class: 'alert alert-error', role: 'alert', hidden: true });
  region.replaceChildren(notice, error);
  return { notice, error };
}

function liveClient(page) {
  const realtime = new RealtimeClient();
  const pill = $('#live-pill');
  realtime.on('status', (state) => {
    setLivePill(state);
    if (pill && state !== 'idle') pill.hidden = false;
  });
  realtime.on('subscribed', (msg) => markSubscribed(msg.topic));
  realtime.on('error', (msg) => {
    console.warn('realtime:', msg.code, msg.message || '');
    if (pill) pill.dataset.resumeFailures = String(realtime.resumeFailures);
    if (msg.code === 'forbidden') page.error(new Error(msg.message || 'This page may not follow live updates.'), 'Live updates are off');
  });
  window.addEventListener('pagehide', () => realtime.stop());
  return realtime;
}

export async function mountPage({ auth = 'optional', topics = [], catalog = false, load = () => {} } = {}) {
  // Every form is sent by script; until the page has bound its forms, a native submit would put
  // what was typed (a password) into the address bar.
  document.addEventListener('submit', (ev) => ev.preventDefault());
  renderFooter();
  let user = null;
  try {
    user = await currentUser();
  } catch (err) {
    user = null; // the server is unreachable: show the page as to a visitor
  }
  renderHeader(user);
  const away = redirectFor(user, auth);
  if (away) {
    location.replace(away);
    return new Promise(() => {});
  }

  const region = statusRegion();
  const page = {
    user,
    error(err, title) {
      showAlert(region.error, 'error', err && err.message ? err.message : String(err), title || 'Something went wrong');
    },
    clearError() {
      clearAlert(region.error);
    },
    refreshHeader(next) {
      page.user = next;
      renderHeader(next);
    },
    follow(topic, since) {
      page.realtime.subscribe(topic, since);
      page.realtime.start();
    },
  };
  page.realtime = liveClient(page);
  window.addEventListener('unhandledrejection', (ev) => {
    if (!(ev.reason instanceof ApiError)) return;
    ev.preventDefault();
    page.error(ev.reason);
  });

  for (const topic of (typeof topics === 'function' ? topics(user) : topics) || []) page.follow(topic);
  watchWorkspace(page); // a buyer's cart count and saved-search matches, on every page
  if (catalog) {
    watchCatalog((c) => (c
      ? showAlert(region.notice, 'info', `${c.indexed ?? 0} of ${c.known ?? 0} photos indexed. A search started now may miss pieces that are not indexed yet.`, catalogText(c))
      : clearAlert(region.notice)));
  }

  try {
    await load(page);
  } catch (err) {
    page.error(err, 'This page could not load');
    if (!(err instanceof ApiError)) console.error(err);
  }
  document.documentElement.dataset.mounted = 'true';
  return page;
}
