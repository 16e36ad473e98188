// Compare two to four designs side by side (compare.html?offers=a,b,c[&search=<id>]): photos,
// price or range, MOQ and tiers, delivery, availability, source, every attribute; rows where
// they differ are marked, and the cells that stand out. Opened from a search, each design's
// similarity to the buyer's photo is shown. Any design can go to the cart from here.
import { api, ApiError } from '../api.js';
import { mountPage } from '../page.js';
import {
  AVAILABILITY, SOURCE_LABEL, ATTRIBUTE_LABEL, availabilityBadge, daysText, formatMoney, humanValue, moqText, offerHref, offerPriceText,
  sourceBadge, similarityText,
} from '../offers.js';
import { $, h, icon } from '../ui.js';
import { addToCart, saveToWishlist, toggleCompare, compareSelection, COMPARE_MAX } from '../workspace.js';

const params = new URLSearchParams(location.search);
const searchId = params.get('search');
let columns = []; // [{ id, offer, comparison, error }]
let searchImage = null;

function ids() {
  const list = (params.get('offers') || '').split(',').map((s) => s.trim()).filter(Boolean);
  return [...new Set(list)];
}

// ---------------------------------------------------------------- what each row shows

function specText(offer, key) {
  const s = offer.specifications || {};
  return s[key] ? humanValue(s[key]) : null;
}

function matchText(col, key) {
  const m = col.offer.matches?.[key] || col.comparison?.[key];
  return m && m.offer && m.offer !== 'unknown' ? humanValue(m.offer) : null;
}

function verdictOf(col, key) {
  const m = col.comparison?.[key] || col.offer.matches?.[key];
  return m ? m.verdict || 'unknown' : null;
}

function metalText(col) {
  const o = col.offer;
  const spec = [specText(o, 'purity'), specText(o, 'metal')].filter(Boolean).join(' ');
  return spec || matchText(col, 'metal');
}

function stonesText(col) {
  const spec = specText(col.offer, 'gemstones');
  if (spec) return spec;
  const stones = matchText(col, 'stones');
  const colour = matchText(col, 'stoneColour');
  if (!stones) return colour ? `${colour} stones` : null;
  return colour && !stones.includes(colour) ? `${stones} (${colour})` : stones;
}

function tiersText(offer) {
  const tiers = (offer.priceTiers || []).filter((t) => t.unitPrice).sort((a, b) => a.minQuantity - b.minQuantity);
  if (!tiers.length) return null;
  return tiers.map((t) => `${t.minQuantity}+ ${formatMoney(t.unitPrice.amount, t.unitPrice.currency)}`).join(' · ');
}

function stockText(offer) {
  if (offer.availability === 'ready_stock' && Number.isInteger(offer.availableQuantity)) return `${offer.availableQuantity} in stock`;
  return null;
}

// Each row: label, key(col) → the comparable text, cell(col) → what is shown, attr: verdict key.
const ROWS = [
  { id: 'similarity', label: 'Match to your photo', needsSearch: true, key: (c) => similarityText(c.offer) || '—', cell: (c) => h('b', { class: 'sim-inline', text: similarityText(c.offer) || '—' }), noDiff: true },
  { id: 'price', label: 'Price per piece', key: (c) => offerPriceText(c.offer), cell: (c) => h('b', { class: c.offer.price ? 'cmp-price' : 'cmp-price cmp-approx', text: offerPriceText(c.offer) }) },
  { id: 'tiers', label: 'Price by quantity', key: (c) => tiersText(c.offer) || '—', cell: (c) => tiersText(c.offer) || (c.offer.priceRange ? 'Quoted on request' : '—') },
  { id: 'moq', label: 'Minimum order', key: (c) => moqText(c.offer), cell: (c) => moqText(c.offer) },
  { id: 'delivery', label: 'Delivery', key: (c) => daysText(c.offer.deliveryDays), cell: (c) => `${daysText(c.offer.deliveryDays)} after order` },
  { id: 'availability', label: 'Availability', key: (c) => AVAILABILITY[c.offer.availability] || c.offer.availability,
    cell: (c) => [availabilityBadge(c.offer), stockText(c.offer) ? h('span', { class: 'muted', text: ` ${stockText(c.offer)}` }) : null] },
  { id: 'source', label: 'Source', key: (c) => c.offer.source, cell: (c) => SOURCE_LABEL[c.offer.source] || 'Sourced to order' },
  { id: 'metal', label: 'Metal', attr: 'metal', key: metalText, cell: metalText },
  { id: 'plating', label: 'Plating', key: (c) => specText(c.offer, 'plating'), cell: (c) => specText(c.offer, 'plating') },
  { id: 'stones', label: 'Stones', attr: 'stones', key: stonesText, cell: stonesText },
  { id: 'style', label: ATTRIBUTE_LABEL.style, attr: 'style', key: (c) => specText(c.offer, 'style') || matchText(c, 'style'), cell: (c) => specText(c.offer, 'style') || matchText(c, 'style') },
  { id: 'craftsmanship', label: 'Craftsmanship', attr: 'craftsmanship', key: (c) => specText(c.offer, 'craftsmanship') || matchText(c, 'craftsmanship'), cell: (c) => specText(c.offer, 'craftsmanship') || matchText(c, 'craftsmanship') },
  { id: 'pattern', label: ATTRIBUTE_LABEL.pattern, attr: 'pattern', key: (c) => specText(c.offer, 'pattern') || matchText(c, 'pattern'), cell: (c) => specText(c.offer, 'pattern') || matchText(c, 'pattern') },
  { id: 'setting', label: ATTRIBUTE_LABEL.setting, attr: 'setting', key: (c) => specText(c.offer, 'setting') || matchText(c, 'setting'), cell: (c) => specText(c.offer, 'setting') || matchText(c, 'setting') },
];

// ---------------------------------------------------------------- cells

function gallery(col) {
  const offer = col.offer;
  const views = [...new Set(offer.images || [])];
  const main = h('img', { class: 'cmp-img', src: views[0] || '', alt: offer.title, loading: 'lazy' });
  const thumbs = views.length > 1 ? h('div', { class: 'cmp-thumbs', role: 'group', 'aria-label': 'Views' }, views.map((src, i) => {
    const b = h('button', { type: 'button', class: 'thumb thumb-small', 'aria-pressed': String(i === 0), 'aria-label': `View ${i + 1}` }, h('img', { src, alt: '', width: 44, height: 44 }));
    b.addEventListener('click', () => {
      main.src = src;
      for (const t of b.parentElement.children) t.setAttribute('aria-pressed', String(t === b));
    });
    return b;
  })) : null;
  return h('div', { class: 'cmp-gallery' },
    h('a', { href: offerHref(offer, searchId), class: 'cmp-media' }, main),
    thumbs);
}

function headCell(col) {
  if (col.error) {
    return h('th', { scope: 'col', class: 'cmp-col is-unavailable', dataset: { offerId: col.id } },
      h('p', { class: 'muted', text: col.error }), removeButton(col));
  }
  const offer = col.offer;
  const add = h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'add-to-cart' } }, icon('cart'), h('span', { text: `Add ${offer.moq} to cart` }));
  add.addEventListener('click', async () => {
    add.disabled = true;
    try {
      await addToCart(offer, offer.moq);
    } catch (err) {
      window.dispatchEvent(new CustomEvent('compare-error', { detail: err }));
    } finally {
      add.disabled = false;
    }
  });
  const wish = h('button', { type: 'button', class: 'icon-button', dataset: { action: 'wishlist' }, 'aria-label': 'Save to wishlist', title: 'Save to wishlist' }, icon('heart'));
  wish.addEventListener('click', async () => {
    wish.disabled = true;
    try {
      await saveToWishlist(offer);
      wish.classList.add('is-saved');
    } finally {
      wish.disabled = false;
    }
  });
  return h('th', { scope: 'col', class: 'cmp-col', dataset: { offerId: offer.id, source: offer.source } },
    gallery(col),
    h('div', { class: 'cmp-badges' }, sourceBadge(offer)),
    h('a', { class: 'cmp-title', href: offerHref(offer, searchId), text: offer.title }),
    h('div', { class: 'cmp-actions' }, add, wish, removeButton(col)));
}

function removeButton(col) {
  return h('button', {
    type: 'button', class: 'link-button cmp-remove', dataset: { action: 'remove-compare' }, text: 'Remove',
    onclick: () => {
      columns = columns.filter((c) => c !== col);
      toggleCompare(col.id, searchId, false);
      const q = new URLSearchParams(location.search);
      q.set('offers', columns.map((c) => c.id).join(','));
      history.replaceState(null, '', `/compare.html?${q}`);
      render();
    },
  });
}

// The most common text of a row; the cells that differ from it are marked.
function majority(keys) {
  const counts = new Map();
  for (const k of keys) counts.set(k, (counts.get(k) || 0) + 1);
  let best = null;
  let n = 0;
  for (const [k, c] of counts) if (c > n) { best = k; n = c; }
  return n > 1 ? best : null;
}

function render() {
  const shown = columns;
  const live = shown.filter((c) => !c.error);
  $('#compare-none').hidden = live.length >= 2;
  $('#compare-wrap').hidden = shown.length === 0;
  document.body.dataset.columns = String(shown.length);
  const table = $('#compare-grid');
  const corner = h('td', { class: 'cmp-corner' });
  if (searchId && searchImage) corner.append(h('img', { src: searchImage, alt: 'Your photo', width: 96, height: 96 }), h('span', { class: 'hint', text: 'Your photo' }));
  const head = h('thead', {}, h('tr', {}, corner, shown.map(headCell)));
  const rows = ROWS.filter((r) => !r.needsSearch || (searchId && live.some((c) => Number.isFinite(Number(c.offer.similarity)))))
    .map((row) => {
      const keys = shown.map((c) => (c.error ? null : String(row.key(c) ?? '—').toLowerCase()));
      const liveKeys = keys.filter((k) => k !== null);
      const differs = !row.noDiff && liveKeys.length >= 2 && new Set(liveKeys).size > 1;
      const common = differs ? majority(liveKeys) : null;
      return h('tr', { class: differs ? 'row-differs' : 'row-same', dataset: { row: row.id, differs: String(differs) } },
        h('th', { scope: 'row' }, row.label, differs ? h('span', { class: 'diff-flag', text: 'differs' }) : null),
        shown.map((c, i) => {
          if (c.error) return h('td', { class: 'is-unavailable', text: '—' });
          const value = row.cell(c);
          const odd = differs && common !== null && keys[i] !== common; // the odd one out, when there is a majority
          const verdict = row.attr && searchId ? verdictOf(c, row.attr) : null;
          return h('td', { class: odd ? 'cell-differs' : null, dataset: { verdict: verdict || null } },
            value === null || value === undefined || value === '' ? h('span', { class: 'muted', text: '—' }) : value,
            verdict === 'match' ? h('span', { class: 'cell-match', title: 'Same as your photo' }, icon('check'), h('span', { class: 'visually-hidden', text: 'same as your photo' })) : null);
        }));
    });
  table.replaceChildren(
    h('caption', { class: 'visually-hidden', text: 'Designs compared side by side' }),
    head, h('tbody', {}, rows));
  $('#compare-wrap').classList.toggle('only-differences', $('#only-differences').checked);
}

mountPage({
  auth: 'buyer',
  async load(page) {
    const back = $('#back-link');
    back.append(icon('arrow'), h('span', { text: searchId ? 'Back to search results' : 'Back to your cart' }));
    if (searchId) back.href = `/search.html?id=${encodeURIComponent(searchId)}`;
    $('#only-differences').addEventListener('change', (ev) => $('#compare-wrap').classList.toggle('only-differences', ev.currentTarget.checked));
    window.addEventListener('compare-error', (ev) => page.error(ev.detail, 'Could not add it to your cart'));
    let list = ids();
    if (list.length > COMPARE_MAX) {
      page.error(new Error(`Only the first ${COMPARE_MAX} designs are compared.`), 'Too many designs');
      list = list.slice(0, COMPARE_MAX);
    }
    $('#compare-loading').hidden = list.length < 2;
    if (list.length < 2) {
      $('#compare-none').hidden = false;
      const sel = compareSelection();
      if (sel.ids.length >= 2) {
        $('#compare-none').append(h('a', { class: 'btn btn-primary btn-small', href: `/compare.html?offers=${sel.ids.join(',')}${sel.search ? `&search=${sel.search}` : ''}`, text: `Compare the ${sel.ids.length} you chose` }));
      }
      return;
    }
    const q = searchId ? `?search=${encodeURIComponent(searchId)}` : '';
    const [found, search] = await Promise.all([
      Promise.all(list.map(async (id) => {
        try {
          const data = await api.get(`/api/offers/${encodeURIComponent(id)}${q}`);
          return { id, offer: data.offer, comparison: data.comparison || null };
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return { id, error: 'This design is no longer available.' };
          throw err;
        }
      })),
      searchId ? api.get(`/api/searches/${encodeURIComponent(searchId)}`).catch(() => null) : null,
    ]);
    columns = found;
    const s = search && (search.search || search);
    if (s && s.image) searchImage = s.image;
    $('#compare-loading').hidden = true;
    $('#compare-lede').textContent = `${found.length} designs side by side: price, minimum order, delivery and every attribute. Rows where they differ are marked.`;
    render();
  },
});
