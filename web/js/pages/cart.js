// Cart and wishlist, one page with two tabs (wishlist.html sends here with ?tab=wishlist).
// The cart is grouped by category and source; every figure comes from the server at today's
// prices: inventory lines exact (the MOQ tier for the quantity), sourced lines an approximate
// range × quantity, the two totals kept apart. Lines that changed since they were added say
// so; a design no longer offered stays, marked unavailable. Live over `cart.changed`.
import { api, ApiError } from '../api.js';
import { categoryMap } from '../categories.js';
import { mountPage } from '../page.js';
import {
  AVAILABILITY, SOURCE_LABEL, formatMoney, formatRange, humanValue, offerHref, offerPriceText, plural,
  daysText, moqText,
} from '../offers.js';
import { $, h, icon, toast, relativeTime, formatDateTime } from '../ui.js';
import { compareToggle, mountCompareTray, onCartChanged, quantityText } from '../workspace.js';

let labels = new Map();
let page = null;
let cart = { lines: [], summary: null };
let wishlist = { items: [] };

// ---------------------------------------------------------------- formatting

function money(m) {
  return m && Number.isInteger(m.amount) ? formatMoney(m.amount, m.currency) : '—';
}

function changeValue(kind, v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object' && Number.isInteger(v.amount)) return formatMoney(v.amount, v.currency);
  if (typeof v === 'object' && Number.isInteger(v.min)) return formatRange(v);
  if (typeof v === 'string') return AVAILABILITY[v] || humanValue(v);
  return String(v);
}

const CHANGE_TEXT = {
  price: 'Price',
  range: 'Price range',
  availability: 'Availability',
  stock: 'Stock',
};

function changeMarks(changes) {
  const list = (changes || []).filter((c) => c && c.kind !== 'discontinued');
  if (!list.length) return null;
  return h('ul', { class: 'change-marks', 'aria-label': 'Changed since you added it' },
    list.map((c) => h('li', { class: 'change-mark', dataset: { kind: c.kind } },
      icon('info'),
      h('span', { text: `${CHANGE_TEXT[c.kind] || humanValue(c.kind)} changed since you added it: was ${changeValue(c.kind, c.from)}, now ${changeValue(c.kind, c.to)}.` }))));
}

function categoryTitle(id) {
  return labels.get(id)?.plural || humanValue(id);
}

function lineImage(entry) {
  return entry.offer?.images?.[0] || entry.snapshot?.image || '';
}

function lineTitle(entry) {
  return entry.offer?.title || entry.snapshot?.title || 'Design';
}

function lineSource(entry) {
  return entry.offer?.source || entry.snapshot?.source || 'inventory';
}

function lineCategory(entry) {
  return entry.offer?.category || entry.snapshot?.category || '';
}

function unitOf(line) {
  return line.moqUnit || line.offer?.moqUnit || 'pieces';
}

// "In stock: 52 available", "Above stock: 52 in stock, the rest made to order", "On order"…
function availabilityLine(line) {
  const st = line.stock || {};
  const a = st.availability || line.offer?.availability;
  const unit = unitOf(line);
  if (!line.available) return h('p', { class: 'line-avail avail-gone' }, icon('alert'), h('span', { text: 'No longer available. Kept here so you know; remove it when you are ready.' }));
  if (a === 'ready_stock') {
    const n = st.availableQuantity;
    if (st.aboveStock) {
      return h('p', { class: 'line-avail avail-warn', dataset: { state: 'above-stock' } }, icon('alert'),
        h('span', { text: `Above stock: ${Number.isInteger(n) ? `${n} ${plural(n, unit)} in stock` : 'not enough in stock'}; the rest is made to order.` }));
    }
    return h('p', { class: 'line-avail', dataset: { state: 'in-stock' } }, h('span', { class: 'avail avail-ready', text: 'In stock' }),
      Number.isInteger(n) ? h('span', { class: 'muted', text: ` ${n} ${plural(n, unit)} available` }) : null);
  }
  if (a === 'on_order') return h('p', { class: 'line-avail', dataset: { state: 'on-order' } }, h('span', { class: 'avail avail-order', text: 'On order' }));
  // The group above already says "Sourced to order": said once, the line tells what it means.
  return h('p', { class: 'line-avail', dataset: { state: 'sourced' } }, h('span', { class: 'muted', text: 'Made for you once you order; the price is confirmed in your quote.' }));
}

// The next cheaper tier above this quantity, as a nudge.
function tierHint(line) {
  const tiers = (line.offer?.priceTiers || []).filter((t) => t.unitPrice && t.minQuantity > line.quantity)
    .sort((a, b) => a.minQuantity - b.minQuantity);
  if (!tiers.length || !line.unitPrice || tiers[0].unitPrice.amount >= line.unitPrice.amount) return null;
  const t = tiers[0];
  return h('p', { class: 'hint tier-hint', text: `From ${quantityText(t.minQuantity, unitOf(line))}: ${money(t.unitPrice)} each.` });
}

function priceBlock(line) {
  const unit = plural(1, unitOf(line));
  if (!line.available) return h('div', { class: 'line-price' }, h('span', { class: 'muted', text: 'Not counted' }));
  if (line.lineTotal) {
    return h('div', { class: 'line-price', dataset: { kind: 'exact' } },
      h('span', { class: 'line-unit', text: `${money(line.unitPrice)} / ${unit}` }),
      h('b', { class: 'line-total', text: money(line.lineTotal) }),
      tierHint(line));
  }
  if (line.lineRange) {
    const per = line.offer?.priceRange;
    return h('div', { class: 'line-price', dataset: { kind: 'approximate' } },
      per ? h('span', { class: 'line-unit', text: `${formatRange(per)} / ${unit}` }) : null,
      h('b', { class: 'line-total line-total-approx', text: formatRange(line.lineRange) }),
      h('span', { class: 'hint', text: `for ${line.quantity}` }));
  }
  return h('div', { class: 'line-price' }, h('span', { class: 'muted', text: 'Price on request' }));
}

// ---------------------------------------------------------------- a cart line

const lineNodes = new Map(); // line id → element, reused so typing is never interrupted
const timers = new Map();

async function patchLine(id, body, errorSlot) {
  errorSlot.textContent = '';
  try {
    const res = await api.patch(`/api/cart/lines/${encodeURIComponent(id)}`, body);
    if (res.line) {
      const i = cart.lines.findIndex((l) => l.id === id);
      if (i >= 0) cart.lines[i] = res.line;
      fillLine(lineNodes.get(id), res.line);
    }
    await loadCart();
    return true;
  } catch (err) {
    errorSlot.textContent = err.message;
    if (!(err instanceof ApiError)) throw err;
    return false;
  }
}

function parseQty(text) {
  const t = String(text).trim();
  return /^\d{1,7}$/.test(t) && Number(t) >= 1 ? Number(t) : null;
}

function buildLine(line) {
  const el = h('li', { class: 'cart-line', dataset: { lineId: line.id, offerId: line.offerId } });
  const qtyId = `qty-${line.id}`;
  const qty = h('input', { type: 'text', inputmode: 'numeric', id: qtyId, name: 'quantity', class: 'qty-input', autocomplete: 'off', value: String(line.quantity) });
  const qtyError = h('p', { class: 'field-error', 'aria-live': 'polite' });
  const send = () => {
    clearTimeout(timers.get(line.id));
    const n = parseQty(qty.value);
    if (n === null) {
      qtyError.textContent = 'Enter a whole number, 1 or more.';
      qty.setAttribute('aria-invalid', 'true');
      return;
    }
    qty.removeAttribute('aria-invalid');
    const current = cart.lines.find((l) => l.id === line.id);
    if (current && current.quantity === n) return;
    patchLine(line.id, { quantity: n }, qtyError);
  };
  qty.addEventListener('input', () => {
    clearTimeout(timers.get(line.id));
    timers.set(line.id, setTimeout(send, 700));
  });
  qty.addEventListener('change', send);
  qty.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); send(); } });
  const step = (d) => h('button', { type: 'button', class: 'qty-step', 'aria-label': d > 0 ? 'One more' : 'One fewer', text: d > 0 ? '+' : '−',
    onclick: () => { const n = parseQty(qty.value) || 1; qty.value = String(Math.max(1, n + d)); send(); } });

  const noteId = `note-${line.id}`;
  const note = h('textarea', { id: noteId, name: 'note', maxlength: 500, rows: 2, class: 'line-note-input', placeholder: 'Size, plating, engraving…' });
  const noteStatus = h('span', { class: 'hint note-status', 'aria-live': 'polite' });
  const noteError = h('p', { class: 'field-error', 'aria-live': 'polite' });
  let savingNote = null;
  const saveNote = async () => {
    const current = cart.lines.find((l) => l.id === line.id);
    const text = note.value.trim();
    if ((current?.note || '') === text || savingNote === text) return;
    savingNote = text;
    noteStatus.textContent = 'Saving…';
    const ok = await patchLine(line.id, { note: text || null }, noteError);
    savingNote = null;
    noteStatus.textContent = ok ? 'Note saved' : '';
  };
  note.addEventListener('change', saveNote);
  note.addEventListener('blur', saveNote);

  const later = h('button', { type: 'button', class: 'link-button', dataset: { action: 'save-for-later' }, text: 'Save for later' });
  later.addEventListener('click', async () => {
    later.disabled = true;
    try {
      await api.post(`/api/cart/lines/${encodeURIComponent(line.id)}/save-for-later`);
      toast('Saved for later', `${lineTitle(line)} is in your wishlist.`, { link: { href: '/cart.html?tab=wishlist', text: 'View wishlist' } });
      await loadAll();
    } catch (err) {
      page.error(err, 'Could not save it for later');
    } finally {
      later.disabled = false;
    }
  });
  const remove = h('button', { type: 'button', class: 'link-button link-danger', dataset: { action: 'remove' }, text: 'Remove' });
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    try {
      await api.del(`/api/cart/lines/${encodeURIComponent(line.id)}`);
      await loadCart();
    } catch (err) {
      page.error(err, 'Could not remove it');
    } finally {
      remove.disabled = false;
    }
  });

  el.append(
    h('a', { class: 'line-media', href: offerHref({ id: line.offerId }), tabindex: '-1', 'aria-hidden': 'true' }, h('img', { alt: '', width: 96, height: 96, loading: 'lazy' })),
    h('div', { class: 'line-main' },
      h('h3', { class: 'line-title' }, h('a', { href: offerHref({ id: line.offerId }) })),
      h('div', { class: 'line-status' }),
      h('div', { class: 'line-moq' }),
      h('details', { class: 'line-note' },
        h('summary', { text: 'Note' }),
        h('label', { for: noteId, class: 'visually-hidden', text: 'Note for this design' }),
        note, noteStatus, noteError)),
    h('div', { class: 'line-qty' },
      h('label', { for: qtyId, class: 'qty-label' }),
      h('div', { class: 'qty-stepper' }, step(-1), qty, step(1)),
      qtyError),
    h('div', { class: 'line-price-slot' }),
    h('div', { class: 'line-actions' }, later, h('span', { class: 'compare-slot' }), remove),
  );
  el._parts = { qty, note, noteSummary: $('summary', el) };
  return el;
}

// Fills (or refreshes) a line's element from the server's view of it; inputs being edited keep
// what is typed.
function fillLine(el, line) {
  if (!el) return;
  const { qty, note, noteSummary } = el._parts;
  const unit = unitOf(line);
  el.classList.toggle('is-unavailable', !line.available);
  el.classList.toggle('is-below-moq', !!line.belowMoq);
  el.classList.toggle('is-changed', (line.changes || []).length > 0);
  el.dataset.quantity = String(line.quantity);
  const img = $('.line-media img', el);
  if (img.getAttribute('src') !== lineImage(line)) img.src = lineImage(line);
  $('.line-title a', el).textContent = lineTitle(line);
  $('.qty-label', el).textContent = `Quantity (${plural(2, unit)})`;
  if (document.activeElement !== qty) qty.value = String(line.quantity);
  qty.disabled = !line.available;
  if (document.activeElement !== note) note.value = line.note || '';
  noteSummary.textContent = line.note ? `Note: ${line.note}` : 'Add a note (size, plating, engraving)';
  const offer = line.offer;
  // Parts are rebuilt only when what they show changed, so a button is never swapped out from
  // under a click by a refresh that changed nothing.
  const changed = (part, value) => {
    const sig = JSON.stringify(value);
    if (part.dataset.sig === sig) return false;
    part.dataset.sig = sig;
    return true;
  };
  const status = $('.line-status', el);
  if (changed(status, [line.available, line.stock, line.changes, offer?.deliveryDays, offer?.moq])) status.replaceChildren(...[
    availabilityLine(line),
    offer && line.available ? h('p', { class: 'line-facts' },
      h('span', { text: `MOQ ${moqText(offer)}` }), h('span', { text: `Delivery ${daysText(offer.deliveryDays)}` })) : null,
    changeMarks(line.changes)].filter(Boolean));
  const moq = $('.line-moq', el);
  if (!changed(moq, [line.available, line.belowMoq, line.moq])) return fillRest(el, line);
  moq.replaceChildren();
  if (line.available && line.belowMoq) {
    const set = h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'set-moq' }, text: `Set to ${line.moq}` });
    set.addEventListener('click', async () => {
      set.disabled = true;
      await patchLine(line.id, { quantity: line.moq }, $('.line-qty .field-error', el));
      set.disabled = false;
    });
    moq.append(h('div', { class: 'moq-warning', role: 'status' }, icon('alert'),
      h('span', { text: `Below the minimum order of ${quantityText(line.moq, unit)}. We can only quote from ${line.moq}.` }), set));
  }
  return fillRest(el, line);
}

function fillRest(el, line) {
  const price = $('.line-price-slot', el);
  const sig = JSON.stringify([line.available, line.unitPrice, line.lineTotal, line.lineRange, line.quantity, line.offer?.priceRange]);
  if (price.dataset.sig !== sig) {
    price.dataset.sig = sig;
    price.replaceChildren(priceBlock(line));
  }
  const slot = $('.compare-slot', el);
  if (line.available && line.offer && !slot.firstChild) slot.append(compareToggle(line.offer, null));
  if (!line.available) slot.replaceChildren();
}

// ---------------------------------------------------------------- the cart

function groupsOf(data) {
  const byId = new Map(data.lines.map((l) => [l.id, l]));
  const groups = Array.isArray(data.summary?.groups) && data.summary.groups.length ? data.summary.groups.map((g) => ({
    ...g, lines: (g.lineIds || []).map((id) => byId.get(id)).filter(Boolean),
  })) : [];
  // Any line the summary did not place (or no summary at all): grouped here.
  const placed = new Set(groups.flatMap((g) => g.lines.map((l) => l.id)));
  for (const line of data.lines) {
    if (placed.has(line.id)) continue;
    const key = { category: lineCategory(line), source: lineSource(line) };
    let g = groups.find((x) => x.category === key.category && x.source === key.source);
    if (!g) groups.push(g = { ...key, lines: [], exactTotal: null, approximateTotal: null });
    g.lines.push(line);
  }
  return groups.filter((g) => g.lines.length);
}

function groupTotal(g) {
  if (g.exactTotal) return money(g.exactTotal);
  if (g.approximateTotal) return formatRange(g.approximateTotal);
  return '';
}

function renderCart() {
  const lines = cart.lines || [];
  const s = cart.summary || {};
  $('#cart-empty').hidden = lines.length > 0;
  $('.cart-layout').hidden = lines.length === 0;
  $('#tab-cart-count').textContent = lines.length ? `(${lines.length})` : '';
  const seen = new Set();
  const sections = groupsOf(cart).map((g) => {
    const list = h('ul', { class: 'cart-lines' }, g.lines.map((line) => {
      seen.add(line.id);
      let el = lineNodes.get(line.id);
      if (!el) lineNodes.set(line.id, el = buildLine(line));
      fillLine(el, line);
      return el;
    }));
    const n = g.lines.length;
    return h('section', { class: 'cart-group', dataset: { category: g.category, source: g.source } },
      h('div', { class: 'cart-group-head' },
        h('h2', {}, h('span', { text: categoryTitle(g.category) }), h('span', { class: `src-badge ${g.source === 'inventory' ? 'src-inventory' : 'src-sourced'}`, text: SOURCE_LABEL[g.source] || 'Sourced to order' })),
        h('span', { class: 'cart-group-meta', text: `${n} ${n === 1 ? 'design' : 'designs'}${groupTotal(g) ? ` · ${groupTotal(g)}` : ''}` })),
      list);
  });
  for (const id of [...lineNodes.keys()]) if (!seen.has(id)) lineNodes.delete(id);
  // Keep the focused field in place: moving a node that holds the focus would blur it.
  const groupsEl = $('#cart-groups');
  const focused = groupsEl.contains(document.activeElement) ? document.activeElement : null;
  groupsEl.replaceChildren(...sections);
  if (focused && document.contains(focused)) focused.focus({ preventScroll: true });

  const unavailable = lines.filter((l) => !l.available).length;
  const designs = s.designs ?? lines.length;
  const rows = [
    ['Designs', String(designs), 'designs'],
    ['Pieces', String(s.quantity ?? lines.reduce((t, l) => t + (l.quantity || 0), 0)), 'quantity'],
  ];
  if (s.exactTotal) rows.push(['From our inventory (exact)', money(s.exactTotal), 'exact']);
  if (s.approximateTotal) rows.push(['Sourced to order (approximate)', formatRange(s.approximateTotal), 'approximate']);
  if (unavailable) rows.push(['No longer available', `${unavailable} ${unavailable === 1 ? 'design' : 'designs'}, not counted`, 'unavailable']);
  $('#summary-list').replaceChildren(...rows.flatMap(([k, v, key]) => [h('dt', { text: k }), h('dd', { dataset: { total: key }, text: v })]));
  $('#summary-note').hidden = !(s.exactTotal && s.approximateTotal);
  // Only designs still offered can be quoted.
  const quotable = lines.length - unavailable > 0;
  const quote = $('#cart-quote');
  quote.classList.toggle('is-disabled', !quotable);
  if (quotable) quote.removeAttribute('aria-disabled');
  else quote.setAttribute('aria-disabled', 'true');
  document.body.dataset.cartLines = String(lines.length);
}

async function loadCart() {
  cart = await api.get('/api/cart');
  cart.lines = Array.isArray(cart.lines) ? cart.lines : [];
  renderCart();
}

// ---------------------------------------------------------------- the wishlist

function wishItem(item) {
  const offer = item.offer;
  const title = offer?.title || item.snapshot?.title || 'Design';
  const href = offerHref({ id: item.offerId });
  const move = h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'move-to-cart' }, disabled: !item.available },
    icon('cart'), h('span', { text: 'Move to cart' }));
  move.addEventListener('click', async () => {
    move.disabled = true;
    try {
      const res = await api.post(`/api/wishlist/items/${encodeURIComponent(item.id)}/move-to-cart`, {});
      const line = res.line || {};
      toast('Moved to your cart', `${title}: ${quantityText(line.quantity || offer?.moq || 1, line.moqUnit || offer?.moqUnit)}.`, { link: { href: '/cart.html', text: 'View cart' } });
      await loadAll();
    } catch (err) {
      page.error(err, 'Could not move it to your cart');
      move.disabled = false;
    }
  });
  const remove = h('button', { type: 'button', class: 'link-button link-danger', dataset: { action: 'remove' }, text: 'Remove' });
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    try {
      await api.del(`/api/wishlist/items/${encodeURIComponent(item.id)}`);
      await loadWishlist();
    } catch (err) {
      page.error(err, 'Could not remove it');
      remove.disabled = false;
    }
  });
  const source = offer?.source || item.snapshot?.source;
  return h('li', { class: `wish-item${item.available ? '' : ' is-unavailable'}`, dataset: { itemId: item.id, offerId: item.offerId } },
    h('a', { class: 'line-media', href, tabindex: '-1', 'aria-hidden': 'true' }, h('img', { src: offer?.images?.[0] || item.snapshot?.image || '', alt: '', width: 96, height: 96, loading: 'lazy' })),
    h('div', { class: 'line-main' },
      h('h3', { class: 'line-title' }, h('a', { href, text: title })),
      h('p', { class: 'line-facts' },
        h('span', { class: `src-badge ${source === 'inventory' ? 'src-inventory' : 'src-sourced'}`, text: SOURCE_LABEL[source] || 'Sourced to order' }),
        item.available && offer ? h('b', { class: 'wish-price', text: offerPriceText(offer) }) : null,
        item.available && offer ? h('span', { text: `MOQ ${moqText(offer)}` }) : null),
      item.available ? null : h('p', { class: 'line-avail avail-gone' }, icon('alert'), h('span', { text: 'No longer available.' })),
      changeMarks(item.changes),
      h('p', { class: 'hint', title: formatDateTime(item.addedAt), text: item.addedAt ? `Saved ${relativeTime(item.addedAt)}` : '' })),
    h('div', { class: 'line-actions wish-actions' }, move, item.available && offer ? compareToggle(offer, null) : null, remove));
}

let wishSig = '';
function renderWishlist() {
  const items = wishlist.items || [];
  $('#wish-empty').hidden = items.length > 0;
  $('#tab-wishlist-count').textContent = items.length ? `(${items.length})` : '';
  // Rebuilt only when something shown changed: a refresh never swaps a button under a click.
  const sig = JSON.stringify(items);
  if (sig === wishSig) return;
  wishSig = sig;
  $('#wish-list').replaceChildren(...items.map(wishItem));
}

async function loadWishlist() {
  wishlist = await api.get('/api/wishlist');
  wishlist.items = Array.isArray(wishlist.items) ? wishlist.items : [];
  renderWishlist();
}

async function loadAll() {
  await Promise.all([loadCart(), loadWishlist()]);
}

// ---------------------------------------------------------------- tabs

function selectTab(name, { push = true } = {}) {
  for (const t of ['cart', 'wishlist']) {
    const on = t === name;
    $(`#tab-${t}`).setAttribute('aria-selected', String(on));
    $(`#tab-${t}`).tabIndex = on ? 0 : -1;
    $(`#panel-${t}`).hidden = !on;
  }
  $('#page-title').textContent = name === 'wishlist' ? 'Wishlist' : 'Cart';
  $('#page-lede').textContent = name === 'wishlist'
    ? 'Designs you saved for later, at today\'s prices. Move one to your cart when you are ready to quote it.'
    : 'Designs you are gathering for a quote, at today\'s prices. Save some for later in your wishlist.';
  document.title = `${name === 'wishlist' ? 'Wishlist' : 'Cart'} — Facet`;
  if (push) history.replaceState(null, '', name === 'wishlist' ? '/cart.html?tab=wishlist' : '/cart.html');
}

function wireTabs() {
  const tabs = [$('#tab-cart'), $('#tab-wishlist')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(i ? 'wishlist' : 'cart'));
    tab.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
      const next = tabs[(i + 1) % 2];
      next.focus();
      next.click();
    });
  });
}

mountPage({
  auth: 'buyer',
  async load(p) {
    page = p;
    wireTabs();
    selectTab(new URLSearchParams(location.search).get('tab') === 'wishlist' ? 'wishlist' : 'cart', { push: false });
    mountCompareTray();
    if (!page.user.verified) {
      throw new ApiError(403, 'not_verified', 'Confirm your e-mail address to use your cart. The link is in your inbox; you can resend it from your home page.');
    }
    try {
      labels = await categoryMap();
    } catch (err) {
      labels = new Map();
    }
    let timer = null;
    onCartChanged(() => {
      clearTimeout(timer);
      timer = setTimeout(() => loadAll().catch((err) => page.error(err, 'Could not refresh your cart')), 120);
    });
    await loadAll();
  },
});

