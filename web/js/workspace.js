// The buyer's workspace as every page sees it: add to cart, save to the wishlist, pick designs
// to compare, the cart and unread-quote counts in the navigation, and the live events of
// `buyer:<id>` (`cart.changed` keeps every open tab in step; `saved-search.match` announces a new
// match; `quote.changed`, `quote.message` and `order.changed` refresh the quote badge and any page
// listening through onQuotesChanged).
import { api, ApiError } from './api.js';
import { setNavCount } from './layout.js';
import { moqText, plural } from './offers.js';
import { h, icon, toast } from './ui.js';

// ---------------------------------------------------------------- cart and wishlist

function offerIdOf(offer) {
  return typeof offer === 'string' ? offer : offer.id;
}

export function quantityText(n, unit) {
  return `${n} ${plural(n, unit || 'pieces')}`;
}

// Adds `quantity` of an offer (adding it again raises the quantity: the server keeps one line).
export async function addToCart(offer, quantity, { note, quiet = false } = {}) {
  const body = { offerId: offerIdOf(offer), quantity };
  if (note) body.note = note;
  const res = await api.post('/api/cart/lines', body);
  const line = res.line || {};
  if (!quiet) {
    const unit = line.moqUnit || offer.moqUnit;
    const total = Number.isInteger(line.quantity) && line.quantity !== quantity ? ` You now have ${quantityText(line.quantity, unit)} of it in your cart.` : '';
    toast('Added to your cart', `${quantityText(quantity, unit)} of ${line.offer?.title || line.snapshot?.title || offer.title || 'this design'}.${total}`,
      { link: { href: '/cart.html', text: 'View cart' } });
  }
  return line;
}

export async function saveToWishlist(offer, { quiet = false } = {}) {
  const res = await api.post('/api/wishlist/items', { offerId: offerIdOf(offer) });
  if (!quiet) toast('Saved to your wishlist', offer.title || '', { link: { href: '/cart.html?tab=wishlist', text: 'View wishlist' } });
  return res.item;
}

// ---------------------------------------------------------------- compare selection

const COMPARE_KEY = 'facet.compare';
export const COMPARE_MAX = 4;
const compareListeners = new Set();

// { ids: [offer ids], search: the search they came from, or null }
export function compareSelection() {
  try {
    const v = JSON.parse(localStorage.getItem(COMPARE_KEY) || '{}');
    return { ids: Array.isArray(v.ids) ? v.ids.filter((x) => typeof x === 'string').slice(0, COMPARE_MAX) : [], search: typeof v.search === 'string' ? v.search : null };
  } catch (err) {
    return { ids: [], search: null };
  }
}

function saveSelection(sel) {
  try {
    localStorage.setItem(COMPARE_KEY, JSON.stringify(sel));
  } catch (err) {
    // Private mode without storage: the selection lives as long as the page.
  }
  for (const fn of compareListeners) fn(sel);
}

export function onCompareChange(fn) {
  compareListeners.add(fn);
  return () => compareListeners.delete(fn);
}

window.addEventListener('storage', (ev) => {
  if (ev.key === COMPARE_KEY) for (const fn of compareListeners) fn(compareSelection());
});

// Adds or removes one design; false when four are already chosen.
export function toggleCompare(offerId, searchId, on) {
  const sel = compareSelection();
  const has = sel.ids.includes(offerId);
  const want = on === undefined ? !has : on;
  if (want && !has) {
    if (sel.ids.length >= COMPARE_MAX) {
      toast('Compare up to four designs', 'Remove one from the compare bar first.');
      return false;
    }
    // Designs from another search are compared without similarity figures.
    if (searchId && sel.search && sel.search !== searchId) sel.search = null;
    else if (!sel.ids.length) sel.search = searchId || null;
    sel.ids.push(offerId);
  } else if (!want && has) {
    sel.ids = sel.ids.filter((x) => x !== offerId);
    if (!sel.ids.length) sel.search = null;
  }
  saveSelection(sel);
  return true;
}

export function clearCompare() {
  saveSelection({ ids: [], search: null });
}

export function compareHref(ids, searchId) {
  const q = new URLSearchParams({ offers: ids.join(',') });
  if (searchId) q.set('search', searchId);
  return `/compare.html?${q}`;
}

// The bar at the foot of the window while designs are picked for comparison.
export function mountCompareTray() {
  const tray = h('div', { class: 'compare-tray', id: 'compare-tray', role: 'region', 'aria-label': 'Designs to compare', hidden: true });
  document.body.append(tray);
  const render = (sel) => {
    tray.hidden = sel.ids.length === 0;
    document.body.classList.toggle('has-compare-tray', !tray.hidden);
    const n = sel.ids.length;
    const go = h('a', { class: `btn btn-gold btn-small${n < 2 ? ' is-disabled' : ''}`, id: 'compare-go', href: n >= 2 ? compareHref(sel.ids, sel.search) : null, 'aria-disabled': n < 2 ? 'true' : null },
      icon('columns'), h('span', { text: n >= 2 ? `Compare ${n}` : 'Compare' }));
    tray.replaceChildren(h('div', { class: 'wrap compare-tray-inner' },
      h('span', { class: 'compare-tray-text', text: n < 2 ? `${n} design chosen — choose at least two to compare` : `${n} of ${COMPARE_MAX} designs chosen` }),
      h('span', { class: 'compare-tray-actions' },
        h('button', { type: 'button', class: 'link-button on-dark', id: 'compare-clear', text: 'Clear', onclick: clearCompare }),
        go)));
  };
  onCompareChange(render);
  render(compareSelection());
  return tray;
}

// ---------------------------------------------------------------- actions on an offer

function busy(button, fn) {
  return async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await fn();
    } catch (err) {
      toast(err instanceof ApiError && err.status === 404 ? 'This design is no longer available' : 'That did not work', err.message, { kind: 'error' });
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  };
}

function parseQuantity(text) {
  const t = String(text || '').trim();
  return /^\d{1,7}$/.test(t) && Number(t) >= 1 ? Number(t) : null;
}

// A compare checkbox bound to the shared selection.
export function compareToggle(offer, searchId, { label = 'Compare' } = {}) {
  const input = h('input', { type: 'checkbox', dataset: { action: 'compare', offerId: offer.id } });
  const sync = (sel) => { input.checked = sel.ids.includes(offer.id); };
  sync(compareSelection());
  onCompareChange(sync);
  input.addEventListener('change', () => {
    if (!toggleCompare(offer.id, searchId, input.checked)) input.checked = false;
  });
  return h('label', { class: 'compare-check' }, input, h('span', { text: label }));
}

// compact: the buttons of a card in the results grid (adds the MOQ).
// Otherwise a quantity field (the MOQ to start with), add to cart, save, compare and, with
// quote: true, "Request quote" (the request form for this one design, at the quantity typed).
export function offerActions(offer, { searchId = null, compact = false, quote = false } = {}) {
  const unit = offer.moqUnit;
  const wishBtn = h('button', { type: 'button', class: compact ? 'icon-button' : 'btn btn-ghost btn-small', dataset: { action: 'wishlist' }, 'aria-label': compact ? 'Save to wishlist' : null, title: 'Save to wishlist' },
    icon('heart'), compact ? null : h('span', { text: 'Save to wishlist' }));
  wishBtn.addEventListener('click', busy(wishBtn, async () => {
    await saveToWishlist(offer);
    wishBtn.classList.add('is-saved');
    wishBtn.setAttribute('aria-pressed', 'true');
  }));

  if (compact) {
    const add = h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'add-to-cart' }, title: `Adds the minimum order, ${moqText(offer)}` },
      h('span', { text: 'Add to cart' }));
    add.addEventListener('click', busy(add, () => addToCart(offer, offer.moq)));
    return h('div', { class: 'offer-actions offer-actions-compact' }, add, wishBtn, compareToggle(offer, searchId));
  }

  const id = `qty-${offer.id}`;
  const qty = h('input', { type: 'text', inputmode: 'numeric', id, name: 'quantity', value: String(offer.moq), autocomplete: 'off', class: 'qty-input', 'aria-describedby': `${id}-hint` });
  const hint = h('p', { class: 'hint qty-hint', id: `${id}-hint`, text: `Minimum order ${moqText(offer)}.` });
  const add = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'add-to-cart' } }, icon('cart'), h('span', { text: 'Add to cart' }));
  const check = () => {
    const n = parseQuantity(qty.value);
    qty.toggleAttribute('aria-invalid', n === null);
    if (n === null) hint.textContent = 'Enter a whole number of pieces, 1 or more.';
    else if (n < offer.moq) hint.textContent = `Below the minimum order of ${moqText(offer)}: you can add it, and raise it in your cart.`;
    else if (Number.isInteger(offer.availableQuantity) && offer.availability === 'ready_stock' && n > offer.availableQuantity) hint.textContent = `More than the ${offer.availableQuantity} in stock: the rest is made to order.`;
    else hint.textContent = `Minimum order ${moqText(offer)}.`;
    return n;
  };
  qty.addEventListener('input', check);
  add.addEventListener('click', busy(add, async () => {
    const n = check();
    if (n === null) {
      qty.focus();
      return;
    }
    await addToCart(offer, n);
  }));
  const children = [
    h('div', { class: 'qty-field' },
      h('label', { for: id, text: `Quantity (${plural(2, unit)})` }),
      h('div', { class: 'qty-row' }, qty, add)),
    hint,
    h('div', { class: 'offer-actions-row' }, wishBtn, compareToggle(offer, searchId, { label: 'Compare' })),
  ];
  if (quote) {
    const request = h('a', { class: 'btn btn-gold', id: 'request-quote', href: quoteRequestHref(offer.id, offer.moq), 'aria-describedby': 'quote-hint' },
      icon('chat'), h('span', { text: 'Request quote' }));
    // The quantity typed above goes with the request; the MOQ when nothing valid is typed.
    const follow = () => { request.href = quoteRequestHref(offer.id, parseQuantity(qty.value) || offer.moq); };
    qty.addEventListener('input', follow);
    request.addEventListener('focus', follow);
    request.addEventListener('pointerdown', follow);
    children.push(h('div', { class: 'quote-row' }, request,
      h('span', { class: 'hint', id: 'quote-hint', text: 'Ask for a formal quote for this design alone; our sales team answers within a working day.' })));
  }
  return h('div', { class: 'offer-actions' }, children);
}

export function quoteRequestHref(offerId, quantity) {
  const q = new URLSearchParams({ offer: offerId });
  if (Number.isInteger(quantity) && quantity > 0) q.set('quantity', String(quantity));
  return `/quote-request.html?${q}`;
}

// ---------------------------------------------------------------- live: buyer:<id>

let cartCount = 0;
const cartListeners = new Set();

// fn(data) after every cart or wishlist change made anywhere (this tab, another tab).
export function onCartChanged(fn) {
  cartListeners.add(fn);
  return () => cartListeners.delete(fn);
}

export function currentCartCount() {
  return cartCount;
}

function showCount(n) {
  cartCount = n;
  setNavCount('cart', n);
}

async function loadCount() {
  try {
    const data = await api.get('/api/cart');
    showCount(data.summary?.lines ?? (data.lines || []).length);
  } catch (err) {
    // The count is a convenience: a page works without it.
  }
}

// ---------------------------------------------------------------- quotes and orders

const quoteListeners = new Set();
let unreadTimer = null;

// fn(msg) after every quote or order event of this buyer (and { event: 'resync' } after a gap).
export function onQuotesChanged(fn) {
  quoteListeners.add(fn);
  return () => quoteListeners.delete(fn);
}

// The unread badge beside "Quotes": the server counts the messages the buyer has not read.
export async function refreshQuoteBadge() {
  try {
    const data = await api.get('/api/quotes');
    setNavCount('quotes', Number.isInteger(data.unread) ? data.unread : 0);
    return data;
  } catch (err) {
    return null; // a convenience, like the cart count
  }
}

function refreshQuoteBadgeSoon() {
  clearTimeout(unreadTimer);
  unreadTimer = setTimeout(refreshQuoteBadge, 250);
}

export function savedSearchMatchText(data) {
  const sim = Number(data.similarity);
  const what = data.offer?.title || 'A new design';
  return `${what}${Number.isFinite(sim) ? ` — ${Math.round(sim)}% match` : ''}, in our inventory now.`;
}

// Called by mountPage for a verified buyer: follows buyer:<id> for the cart count and the
// saved-search notifications.
export function watchWorkspace(page) {
  const user = page.user;
  if (!user || user.role !== 'buyer' || !user.verified) return;
  const topic = `buyer:${user.id}`;
  if (!page.realtime.topics.has(topic)) page.follow(topic);
  page.realtime.on('event', (msg) => {
    if (msg.topic !== topic) return;
    const data = msg.data || {};
    if (msg.event === 'cart.changed') {
      if (Number.isInteger(data.cart?.lines)) showCount(data.cart.lines);
      for (const fn of cartListeners) fn(data);
    } else if (msg.event === 'quote.changed' || msg.event === 'quote.message' || msg.event === 'order.changed') {
      if (msg.event !== 'order.changed') refreshQuoteBadgeSoon();
      for (const fn of quoteListeners) fn(msg);
    } else if (msg.event === 'saved-search.match') {
      const q = new URLSearchParams({ id: data.offer?.id || '' });
      toast(`New match for “${data.name || 'your saved search'}”`, savedSearchMatchText(data),
        { link: data.offer ? { href: `/offer.html?${q}`, text: 'See the design' } : { href: '/history.html', text: 'Saved searches' }, timeout: 15000 });
    }
  });
  page.realtime.on('resync', (t) => {
    if (t !== topic) return;
    loadCount();
    refreshQuoteBadgeSoon();
    for (const fn of cartListeners) fn({ reason: 'resync' });
    for (const fn of quoteListeners) fn({ event: 'resync', topic });
  });
  loadCount();
  refreshQuoteBadgeSoon();
}

