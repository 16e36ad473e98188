// Buyer-facing presentation of searches and offers: money, labels, attribute chips and cards.
// Money arrives as integer minor units; it is only ever turned into text here, never into floats.
import { h, icon } from './ui.js';

const SYMBOLS = { USD: '$', EUR: '€', GBP: '£' };

function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// 72800 USD → "$728.00"; wholeOnly drops ".00" (ranges are widened to whole units by the server).
export function formatMoney(amount, currency = 'USD', { wholeOnly = false } = {}) {
  if (!Number.isInteger(amount)) return '—';
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const units = groupThousands(String(Math.trunc(abs / 100)));
  const cents = String(abs % 100).padStart(2, '0');
  const symbol = SYMBOLS[currency];
  const number = wholeOnly && cents === '00' ? units : `${units}.${cents}`;
  const text = symbol ? `${symbol}${number}` : `${number} ${currency}`;
  return negative ? `−${text}` : text;
}

// {min, max, currency} → "$1.50–$4.38", or "$1–$5" with wholeOnly (buyer ranges are whole units).
export function formatMoneyRange(range, { wholeOnly = false } = {}) {
  if (!range) return '—';
  return `${formatMoney(range.min, range.currency, { wholeOnly })}–${formatMoney(range.max, range.currency, { wholeOnly })}`;
}

// A buyer's approximate price, as every buyer page writes it.
export function formatRange(range) {
  return range ? `approx. ${formatMoneyRange(range, { wholeOnly: true })}` : '—';
}

export function offerPriceText(offer) {
  if (offer.price) return formatMoney(offer.price.amount, offer.price.currency);
  if (offer.priceRange) return formatRange(offer.priceRange);
  return 'Price on request';
}

// The lowest price the buyer could pay per unit, in minor units (for filtering and sorting).
export function offerMinPrice(offer) {
  if (offer.price) return offer.price.amount;
  if (offer.priceRange) return offer.priceRange.min;
  return null;
}

// "250", "249.99", "1,200" → minor units, or null when it is not a plain positive amount.
export function parseDollars(text) {
  const clean = String(text || '').trim().replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(clean);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

export function plural(n, unit) {
  const u = unit || 'piece';
  if (n === 1) return u.replace(/s$/, '');
  return /s$/.test(u) ? u : `${u}s`;
}

export function moqText(offer) {
  return `${offer.moq} ${plural(offer.moq, offer.moqUnit)}`;
}

export function daysText(d) {
  if (!d) return '—';
  return d.min === d.max ? `${d.min} days` : `${d.min}–${d.max} days`;
}

export const AVAILABILITY = {
  ready_stock: 'Ready stock',
  on_order: 'On order',
  sourced_to_order: 'Sourced to order',
};

export const SOURCE_LABEL = {
  inventory: 'Our inventory',
  marketplace: 'Sourced to order',
};

export const ATTRIBUTE_ORDER = ['metal', 'stones', 'stoneColour', 'style', 'craftsmanship', 'pattern', 'setting'];

export const ATTRIBUTE_LABEL = {
  metal: 'Metal',
  stones: 'Stones',
  stoneColour: 'Stone colour',
  style: 'Style',
  craftsmanship: 'Craft',
  pattern: 'Pattern',
  setting: 'Setting',
};

export function humanValue(value) {
  if (value === undefined || value === null || value === '') return '—';
  return String(value).replace(/[_-]+/g, ' ').replace(/\bpave\b/, 'pavé');
}

// Metal "white" is a family, not a metal: spell it out.
export function attributeValueText(key, guess) {
  if (!guess || guess.value === 'unknown') return 'unknown';
  let text = humanValue(guess.value);
  if (key === 'metal' && guess.value === 'white') text = 'white metal';
  if (key === 'stones' && Array.isArray(guess.colours) && guess.colours.length) {
    text += ` (${guess.colours.map(humanValue).join(', ')})`;
  }
  return text;
}

export function matchChips(matches, { limit } = {}) {
  const list = h('ul', { class: 'chips', 'aria-label': 'Attributes compared with your design' });
  const keys = ATTRIBUTE_ORDER.filter((k) => matches && matches[k]);
  for (const key of keys.slice(0, limit || keys.length)) {
    const m = matches[key];
    const verdict = m.verdict || 'unknown';
    const label = `${ATTRIBUTE_LABEL[key] || key}: ${humanValue(m.offer)}`;
    const title = `Your design: ${humanValue(m.query)} · This piece: ${humanValue(m.offer)}`;
    const li = h('li', { class: `chip chip-${verdict}`, title, dataset: { attr: key, verdict } });
    if (verdict === 'match') li.append(icon('check'));
    li.append(h('span', { text: label }));
    list.append(li);
  }
  return list;
}

export function offerHref(offer, searchId) {
  const q = new URLSearchParams({ id: offer.id });
  if (searchId) q.set('search', searchId);
  return `/offer.html?${q}`;
}

function img(src, alt, cls) {
  return h('img', { src, alt, class: cls, loading: 'lazy', decoding: 'async', width: 400, height: 400 });
}

export function sourceBadge(offer) {
  const inv = offer.source === 'inventory';
  return h('span', { class: inv ? 'src-badge src-inventory' : 'src-badge src-sourced', text: SOURCE_LABEL[offer.source] || 'Sourced to order' });
}

export function availabilityBadge(offer) {
  const cls = { ready_stock: 'avail avail-ready', on_order: 'avail avail-order', sourced_to_order: 'avail avail-sourced' }[offer.availability] || 'avail';
  return h('span', { class: cls, text: AVAILABILITY[offer.availability] || humanValue(offer.availability) });
}

// The availability badge, unless it would repeat the source badge ("Sourced to order" twice).
export function extraAvailabilityBadge(offer) {
  const same = AVAILABILITY[offer.availability] === (SOURCE_LABEL[offer.source] || 'Sourced to order');
  return same ? null : availabilityBadge(offer);
}

// Below this a percentage reads as "junk" to a buyer while the design was chosen on purpose: the
// figure is shown from here up, and under it the card says what the design shares with the photo.
export const PERCENT_SHOWN_FROM = 60;

export function similarityText(offer) {
  const s = Number(offer.similarity);
  if (!Number.isFinite(s)) return '';
  return similarityFigure(offer) || whyShown(offer.matches);
}

// "87% match" from PERCENT_SHOWN_FROM up, else ''.
export function similarityFigure(offer) {
  const s = Number(offer.similarity);
  return Number.isFinite(s) && s >= PERCENT_SHOWN_FROM ? `${Math.round(s)}% match` : '';
}

// "Same metal and style, other stones", from the offer's attribute comparison.
export function whyShown(matches) {
  const named = (verdict) => ATTRIBUTE_ORDER.filter((k) => matches && matches[k] && matches[k].verdict === verdict)
    .map((k) => (ATTRIBUTE_LABEL[k] || k).toLowerCase());
  const same = named('match').slice(0, 2), other = named('differs').slice(0, 1);
  if (!same.length) return 'Similar design';
  const text = `Same ${same.join(' and ')}`;
  return other.length ? `${text}, other ${other[0]}` : text;
}

// One alternative in the results grid.
export function offerCard(offer, searchId) {
  const href = offerHref(offer, searchId);
  const inv = offer.source === 'inventory';
  const price = offer.price
    ? h('p', { class: 'offer-price' }, h('b', { text: offerPriceText(offer) }), h('span', { class: 'per', text: ` / ${plural(1, offer.moqUnit)}` }))
    : h('p', { class: 'offer-price offer-price-approx' }, h('b', { text: offerPriceText(offer) }), h('span', { class: 'per', text: ` / ${plural(1, offer.moqUnit)}` }));
  const stock = inv && Number.isInteger(offer.availableQuantity) && offer.availability === 'ready_stock'
    ? ` · ${offer.availableQuantity} in stock` : '';
  return h('article', {
    class: `offer-card ${inv ? 'offer-inventory' : 'offer-sourced'}`,
    dataset: { offerId: offer.id, source: offer.source },
  },
    h('a', { class: 'offer-media', href, 'aria-label': offer.title },
      img(offer.images?.[0] || '', '', 'offer-img'),
      // One row that wraps on a narrow card, so the match figure never covers the source.
      h('span', { class: 'offer-flags' },
        sourceBadge(offer),
        similarityFigure(offer) ? h('span', { class: 'sim-badge', text: similarityFigure(offer) }) : null),
    ),
    h('div', { class: 'offer-body' },
      h('h3', { class: 'offer-title' }, h('a', { href, text: offer.title })),
      // Under the figure's floor, why the design is shown, beside the title rather than over the photo.
      !similarityFigure(offer) && similarityText(offer) ? h('p', { class: 'offer-why', text: similarityText(offer) }) : null,
      price,
      h('p', { class: 'offer-facts' },
        h('span', { text: `MOQ ${moqText(offer)}` }),
        h('span', { text: `Delivery ${daysText(offer.deliveryDays)}` }),
      ),
      extraAvailabilityBadge(offer) || stock
        ? h('p', { class: 'offer-avail' }, extraAvailabilityBadge(offer), stock ? h('span', { class: 'muted', text: stock }) : null)
        : null,
      matchChips(offer.matches),
    ),
  );
}
