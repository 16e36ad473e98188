// Product detail: every distinct view (at its natural size at most, larger on click), price and
// MOQ tiers, delivery and availability, the buyer's actions (cart with a quantity, wishlist,
// compare, quote soon), specifications, and (opened from a search) the upload's attributes
// beside this piece's.
import { api, ApiError } from '../api.js';
import { mountPage } from '../page.js';
import { mountCompareTray, offerActions } from '../workspace.js';
import { table } from '../table.js';
import { $, h, icon, relativeTime, formatDateTime } from '../ui.js';
import {
  formatMoney, formatRange, moqText, daysText, plural, availabilityBadge, extraAvailabilityBadge, sourceBadge, similarityText, humanValue,
  ATTRIBUTE_ORDER, ATTRIBUTE_LABEL,
} from '../offers.js';

const SPEC_LABEL = {
  metal: 'Metal', metalColor: 'Metal colour', purity: 'Purity', plating: 'Plating', gemstones: 'Gemstones', setting: 'Setting', style: 'Style',
  craftsmanship: 'Craftsmanship', pattern: 'Pattern', type: 'Type', ringSizes: 'Ring sizes', chainLengthsCm: 'Chain lengths (cm)',
};
const VERDICT = { match: 'Match', differs: 'Differs', unknown: 'Unclear' };

function specLabel(key) {
  return SPEC_LABEL[key] || key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

// A tiny fingerprint of a loaded photo (8×8 greys), so a view repeated under two addresses is
// shown once. Same-origin photos only; a photo that cannot be read counts as distinct.
function fingerprint(img) {
  try {
    const c = document.createElement('canvas');
    c.width = 8;
    c.height = 8;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0, 8, 8);
    const d = ctx.getImageData(0, 0, 8, 8).data;
    let out = `${img.naturalWidth}x${img.naturalHeight}:`;
    for (let i = 0; i < d.length; i += 4) out += ((d[i] + d[i + 1] + d[i + 2]) / 48 | 0).toString(16);
    return out;
  } catch (err) {
    return null;
  }
}

function loadImage(src) {
  return new Promise((resolve) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);
    img.src = src;
  });
}

// Every distinct view once: the same address twice, or the same picture under two addresses,
// is one view.
async function distinctViews(images) {
  const unique = [...new Set(images.filter(Boolean))];
  if (unique.length < 2) return unique;
  const loaded = await Promise.all(unique.map(loadImage));
  const seen = new Set();
  return unique.filter((src, i) => {
    if (!loaded[i]) return false;
    const f = fingerprint(loaded[i]);
    if (f && seen.has(f)) return false;
    if (f) seen.add(f);
    return true;
  });
}

function showView(offer, src, i) {
  const main = $('#main-image');
  main.src = src;
  main.alt = `${offer.title} — view ${i + 1}`;
  main.dataset.view = String(i + 1);
}

// Zoom: the chosen view and then every other view, each at its own full size (never
// enlarged past its pixels), in a dialog that scrolls.
let viewList = [];
function wireZoom(offer) {
  const dialog = $('#zoom-dialog');
  $('#zoom-button').addEventListener('click', () => {
    const main = $('#main-image');
    if (!main.getAttribute('src')) return;
    const current = main.getAttribute('src');
    const views = [current, ...viewList.filter((v) => v !== current)];
    $('#zoom-image').src = current;
    $('#zoom-image').alt = main.alt;
    $('#zoom-body').replaceChildren(...views.map((src, i) => (i === 0 ? $('#zoom-image')
      : h('img', { src, alt: `${offer.title} — another view`, class: 'zoom-more' }))));
    $('#zoom-caption').textContent = views.length > 1
      ? `${offer.title} — view ${main.dataset.view || 1}, then the other ${views.length - 1}`
      : `${offer.title}`;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  });
  $('#zoom-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (ev) => { if (ev.target === dialog) dialog.close(); });
}

async function renderGallery(offer) {
  const first = (offer.images || [])[0] || '';
  showView(offer, first, 0);
  wireZoom(offer);
  const views = await distinctViews(offer.images || []);
  viewList = views;
  document.body.dataset.views = String(views.length);
  $('#thumbs').replaceChildren(...views.map((src, i) => {
    const b = h('button', { type: 'button', class: 'thumb', 'aria-pressed': String(i === 0), 'aria-label': `View ${i + 1}` },
      h('img', { src, alt: '', width: 76, height: 76 }));
    b.addEventListener('click', () => {
      showView(offer, src, i);
      for (const t of $('#thumbs').children) t.setAttribute('aria-pressed', String(t === b));
    });
    return b;
  }));
  $('#thumbs').hidden = views.length < 2;
}

function tierTable(offer, unit) {
  const tiers = (offer.priceTiers || []).filter((t) => t.unitPrice);
  if (!tiers.length) return null;
  const base = offer.price ? [{ minQuantity: offer.moq, unitPrice: offer.price }] : [];
  const all = [...base, ...tiers].sort((a, b) => a.minQuantity - b.minQuantity);
  return table({
    id: 'tier-table',
    caption: 'Price by quantity',
    columns: [
      { label: 'Quantity', cell: (t) => { const next = all[all.indexOf(t) + 1]; return next ? `${t.minQuantity}–${next.minQuantity - 1}` : `${t.minQuantity}+`; } },
      { label: `Price per ${unit}`, cell: (t) => formatMoney(t.unitPrice.amount, t.unitPrice.currency) },
    ],
    rows: all,
  });
}

function renderPrice(offer) {
  const unit = plural(1, offer.moqUnit);
  const rows = [];
  if (offer.price) {
    rows.push(h('div', { class: 'big', id: 'offer-price' }, formatMoney(offer.price.amount, offer.price.currency), h('small', { text: ` per ${unit}` })));
  } else if (offer.priceRange) {
    rows.push(h('div', { class: 'big', id: 'offer-price' }, formatRange(offer.priceRange), h('small', { text: ` per ${unit}` })));
    rows.push(h('p', { class: 'hint', text: 'An estimate: the final price is confirmed in your quote once we have sourced the piece.' }));
  }
  rows.push(tierTable(offer, unit));
  const stock = [];
  if (Number.isInteger(offer.availableQuantity)) stock.push(`${offer.availableQuantity} available`);
  if (offer.stockAsOf) stock.push(`${offer.stockLive ? 'checked live' : 'as of'} ${relativeTime(offer.stockAsOf)}`);
  rows.push(h('dl', { class: 'facts facts-grid' },
    h('dt', { text: 'Minimum order' }), h('dd', { text: moqText(offer) }),
    h('dt', { text: 'Delivery' }), h('dd', { text: `${daysText(offer.deliveryDays)} after order` }),
    h('dt', { text: 'Availability' }), h('dd', {}, availabilityBadge(offer), stock.length ? h('span', { class: 'muted', title: formatDateTime(offer.stockAsOf), text: ` ${stock.join(' · ')}` }) : null),
  ));
  $('#price-box').replaceChildren(...rows.filter(Boolean));
}

function renderSpecs(offer) {
  const spec = offer.specifications || {};
  $('#spec-list').replaceChildren(
    h('dt', { text: 'Category' }), h('dd', { text: humanValue(offer.category) }),
    ...Object.keys(spec).flatMap((key) => [h('dt', { text: specLabel(key) }), h('dd', { text: humanValue(spec[key]) })]));
}

async function renderComparison(comparison, searchId) {
  if (!comparison || !Object.keys(comparison).length) return;
  $('#compare-card').hidden = false;
  const keys = ATTRIBUTE_ORDER.filter((k) => comparison[k]).concat(Object.keys(comparison).filter((k) => !ATTRIBUTE_ORDER.includes(k)));
  $('#compare-table').replaceWith(table({
    id: 'compare-table',
    class: 'compare',
    caption: 'Your design compared with this piece',
    columns: [
      { label: 'Attribute', rowHeader: true, cell: (k) => ATTRIBUTE_LABEL[k] || k },
      { label: 'Your design', cell: (k) => humanValue(comparison[k].query) },
      { label: 'This piece', cell: (k) => humanValue(comparison[k].offer) },
      { label: 'Verdict', cell: (k) => { const v = comparison[k].verdict || 'unknown'; return h('span', { class: `verdict verdict-${v}`, text: VERDICT[v] || v }); } },
    ],
    rows: keys,
    rowAttrs: (k) => ({ dataset: { attr: k, verdict: comparison[k].verdict || 'unknown' } }),
  }));
  const matched = keys.filter((k) => comparison[k].verdict === 'match').length;
  const head = $('#compare-head');
  head.replaceChildren(h('p', { class: 'muted', text: `${matched} of ${keys.length} attributes match.` }));
  try {
    const s = await api.get(`/api/searches/${encodeURIComponent(searchId)}`);
    const search = s.search || s;
    if (search.image) head.prepend(h('img', { src: search.image, alt: 'Your photo', width: 64, height: 64 }));
  } catch (err) {
    // The comparison stands on its own without the photo.
  }
}

mountPage({
  auth: 'buyer',
  async load(page) {
    const params = new URLSearchParams(location.search);
    const id = params.get('id');
    const searchId = params.get('search');
    const back = $('#back-link');
    back.append(icon('arrow'), h('span', { text: searchId ? 'Back to search results' : 'Find jewelry' }));
    if (searchId) back.href = `/search.html?id=${encodeURIComponent(searchId)}`;
    if (!id) {
      $('#offer-loading').hidden = true;
      $('#offer-none').hidden = false;
      return;
    }
    let data;
    try {
      data = await api.get(`/api/offers/${encodeURIComponent(id)}${searchId ? `?search=${encodeURIComponent(searchId)}` : ''}`);
    } catch (err) {
      $('#offer-loading').hidden = true;
      if (err instanceof ApiError && err.status === 404) err.message = 'This product is no longer available.';
      page.error(err, 'Could not load this product');
      return;
    }
    const offer = data.offer;
    document.title = `${offer.title} — Facet`;
    $('#offer-title').textContent = offer.title;
    $('#offer-badges').replaceChildren(...[sourceBadge(offer), extraAvailabilityBadge(offer),
      similarityText(offer) && searchId ? h('span', { class: 'sim-inline', text: similarityText(offer) }) : null].filter(Boolean));
    renderPrice(offer);
    $('#offer-actions').replaceChildren(offerActions(offer, { searchId, quote: true }));
    mountCompareTray();
    renderSpecs(offer);
    $('#offer-loading').hidden = true;
    $('#offer-view').hidden = false;
    document.body.dataset.offerSource = offer.source;
    await Promise.all([renderGallery(offer), renderComparison(data.comparison, searchId)]);
  },
});
