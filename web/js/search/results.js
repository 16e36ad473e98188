// The results of a search: the exact match (or the note that there is none) and the
// alternatives, narrowed on the page by the filters above them.
import {
  formatMoney, offerPriceText, offerMinPrice, parseDollars, moqText, daysText, offerCard, offerHref, matchChips,
  availabilityBadge, similarityText, plural,
} from '../offers.js';
import { $, h, icon, relativeTime } from '../ui.js';
import { STAGE_INDEX } from './analysis.js';

function exactCard(offer, searchId) {
  const href = offerHref(offer, searchId);
  const stockLine = [];
  if (Number.isInteger(offer.availableQuantity)) stockLine.push(`${offer.availableQuantity} available`);
  if (offer.stockAsOf) stockLine.push(`${offer.stockLive ? 'checked live' : 'as of'} ${relativeTime(offer.stockAsOf)}`);
  const tiers = (offer.priceTiers || []).filter((t) => t.unitPrice);
  return h('article', { class: 'exact-card', id: 'exact-card', dataset: { offerId: offer.id, source: offer.source } },
    h('a', { class: 'exact-media', href },
      h('img', { src: offer.images?.[0] || '', alt: offer.title, width: 480, height: 480 })),
    h('div', { class: 'exact-body' },
      h('div', { class: 'exact-badges' },
        h('span', { class: 'exact-flag' }, icon('gem'), h('span', { text: 'Exact match' })),
        availabilityBadge(offer),
        h('span', { class: 'sim-inline', text: similarityText(offer) }),
      ),
      h('h3', { class: 'exact-title' }, h('a', { href, text: offer.title })),
      h('p', { class: 'exact-price' }, h('b', { text: offerPriceText(offer) }), h('span', { text: ` per ${plural(1, offer.moqUnit)}` })),
      h('dl', { class: 'facts facts-grid' },
        h('dt', { text: 'Available' }), h('dd', { text: stockLine.join(' · ') || '—' }),
        h('dt', { text: 'Delivery' }), h('dd', { text: `${daysText(offer.deliveryDays)} after order` }),
        h('dt', { text: 'Minimum order' }), h('dd', { text: moqText(offer) }),
        tiers.length ? h('dt', { text: 'Volume pricing' }) : null,
        tiers.length ? h('dd', { text: tiers.map((t) => `${t.minQuantity}+ ${formatMoney(t.unitPrice.amount, t.unitPrice.currency)}`).join(' · ') } ) : null,
      ),
      matchChips(offer.matches),
      h('div', { class: 'exact-actions' },
        h('a', { class: 'btn btn-primary btn-small', href }, h('span', { text: 'View details' }), icon('arrow'))),
    ),
  );
}

// ---- filters over the alternatives, all client-side
const filters = $('#filters');
function filterValues() {
  const f = filters.elements;
  const price = parseDollars(f.price.value);
  const days = /^\d+$/.test(f.days.value.trim()) ? Number(f.days.value.trim()) : null;
  const moq = /^\d+$/.test(f.moq.value.trim()) ? Number(f.moq.value.trim()) : null;
  return { price, days, moq, source: f.source.value };
}
function passes(offer, fv) {
  const min = offerMinPrice(offer);
  if (fv.price !== null && min !== null && min > fv.price) return false;
  if (fv.days !== null && offer.deliveryDays && offer.deliveryDays.min > fv.days) return false;
  if (fv.moq !== null && offer.moq > fv.moq) return false;
  if (fv.source && offer.source !== fv.source) return false;
  return true;
}

// Re-renders the alternatives of current() whenever a filter changes.
export function wireFilters(current) {
  const again = () => current() && renderAlternatives(current());
  filters.addEventListener('input', again);
  filters.addEventListener('change', again);
  filters.addEventListener('reset', () => setTimeout(again, 0));
  filters.addEventListener('submit', (e) => e.preventDefault());
}

export function renderAlternatives(search) {
  const all = Array.isArray(search.alternatives) ? search.alternatives : [];
  const fv = filterValues();
  const shown = all.filter((o) => passes(o, fv));
  const section = $('#alt-section');
  section.hidden = all.length === 0 && search.status === 'running';
  const grid = $('#alt-grid');
  const known = new Map([...grid.children].map((el) => [el.dataset.offerId, el]));
  const cards = shown.map((o) => {
    const old = known.get(o.id);
    const card = offerCard(o, search.id);
    if (!old && search.status === 'running' && known.size) card.classList.add('fresh');
    return card;
  });
  grid.replaceChildren(...cards);
  const inv = all.filter((o) => o.source === 'inventory').length;
  const sourced = all.length - inv;
  const counts = [];
  if (inv) counts.push(`${inv} from our inventory`);
  if (sourced) counts.push(`${sourced} sourced to order`);
  let meta = counts.join(' · ');
  if (shown.length !== all.length) meta = `${shown.length} of ${all.length} shown · ${meta}`;
  if (search.status === 'running' && all.length) meta += ' · more may arrive';
  $('#alt-count').textContent = meta;
  $('#alt-empty').hidden = !(all.length > 0 && shown.length === 0);
  if (all.length === 0 && search.status === 'done') {
    $('#alt-empty').hidden = false;
    $('#alt-empty').firstElementChild.textContent = 'No alternatives were found for this design.';
  }
}

export function renderExact(search) {
  const section = $('#exact-section');
  const slot = $('#exact-slot');
  if (search.exactMatch) {
    section.hidden = false;
    if (slot.firstElementChild?.dataset.offerId !== search.exactMatch.id || search.status === 'done') {
      slot.replaceChildren(exactCard(search.exactMatch, search.id));
    }
  } else if (STAGE_INDEX[search.stage] > STAGE_INDEX.checking_stock || search.status !== 'running') {
    section.hidden = false;
    slot.replaceChildren(h('div', { class: 'no-exact', id: 'no-exact' },
      icon('info'),
      h('p', {}, h('strong', { text: 'No exact match in our inventory. ' }),
        h('span', { text: 'Below are the closest designs we can supply, from stock or sourced to order.' }))));
  } else {
    section.hidden = true;
  }
}
