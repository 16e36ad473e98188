// Landing page: a shortcut to their own home for visitors who are already signed in, and the
// demo: a real search recorded into /demo/search-demo.json (tests/browser/record_demo.py),
// replayed here stage by stage with the results as they arrived. No video: our own rendering.
import { homeFor, isStaff } from '../layout.js';
import { mountPage } from '../page.js';
import {
  ATTRIBUTE_LABEL, attributeValueText, daysText, extraAvailabilityBadge, formatMoney, matchChips, moqText, offerPriceText, plural,
  similarityFigure, sourceBadge,
} from '../offers.js';
import { STAGES } from '../search/analysis.js';
import { $, h, icon } from '../ui.js';

const ATTRS = ['metal', 'stones', 'style', 'craftsmanship', 'pattern', 'setting'];
const MIN_GAP = 750;   // ms between two shown steps, so each stage can be read
const MAX_GAP = 1600;  // a long wait in the recording is shortened

function demoCard(offer) {
  return h('article', { class: `offer-card demo-card ${offer.source === 'inventory' ? 'offer-inventory' : 'offer-sourced'}`, dataset: { source: offer.source } },
    h('div', { class: 'offer-media' },
      h('img', { class: 'offer-img', src: offer.image, alt: '', width: 400, height: 400, loading: 'lazy' }),
      h('span', { class: 'offer-flags' }, sourceBadge(offer), similarityFigure(offer) ? h('span', { class: 'sim-badge', text: similarityFigure(offer) }) : null)),
    h('div', { class: 'offer-body' },
      h('h3', { class: 'offer-title', text: offer.title }),
      h('p', { class: offer.price ? 'offer-price' : 'offer-price offer-price-approx' }, h('b', { text: offerPriceText(offer) }), h('span', { class: 'per', text: ` / ${plural(1, offer.moqUnit)}` })),
      h('p', { class: 'offer-facts' }, h('span', { text: `MOQ ${moqText(offer)}` }), h('span', { text: `Delivery ${daysText(offer.deliveryDays)}` })),
      extraAvailabilityBadge(offer) ? h('p', { class: 'offer-avail' }, extraAvailabilityBadge(offer)) : null));
}

function exactBlock(offer) {
  return h('div', { class: 'demo-exact' },
    h('img', { src: offer.image, alt: '', width: 120, height: 120 }),
    h('div', {},
      h('span', { class: 'exact-flag' }, icon('gem'), h('span', { text: 'Exact match in our inventory' })),
      h('p', { class: 'demo-exact-title', text: offer.title }),
      h('p', { class: 'demo-exact-facts' },
        h('b', { text: offerPriceText(offer) }), ` per ${plural(1, offer.moqUnit)} · MOQ ${moqText(offer)} · ${daysText(offer.deliveryDays)}`,
        Number.isInteger(offer.availableQuantity) ? ` · ${offer.availableQuantity} in stock` : ''),
      matchChips(offer.matches, { limit: 4 })));
}

function renderStep(rec, step) {
  const at = STAGES.findIndex(([k]) => k === step.stage);
  const done = step.status === 'done';
  $('#demo-stages').replaceChildren(...STAGES.map(([key, label], i) => {
    // An exact match in our inventory skips sourcing, as the live page shows it.
    const skipped = key === 'searching_marketplace' && step.exact && (done || i < at);
    const st = skipped ? 'skipped' : done || i < at ? 'done' : i === at ? 'current' : 'pending';
    const mark = st === 'done' ? icon('check') : st === 'skipped' ? h('span', { text: '–' })
      : st === 'current' ? h('span', { class: 'stage-spin' }) : h('span', { class: 'stage-dot' });
    return h('li', { class: `stage stage-${st}`, dataset: { stage: key, state: st } },
      h('span', { class: 'stage-mark', 'aria-hidden': 'true' }, mark),
      h('span', { class: 'stage-text' }, h('span', { class: 'stage-label', text: label }),
        skipped ? h('span', { class: 'stage-detail', text: 'Skipped: this design is in our inventory' }) : null,
        i === at && step.detail && !done ? h('span', { class: 'stage-detail', text: step.detail }) : null));
  }));
  const attrs = ATTRS.filter((k) => step.attributes?.[k] && step.attributes[k].value && step.attributes[k].value !== 'unknown');
  $('#demo-attrs').replaceChildren(...attrs.map((k) => h('li', { class: 'chip chip-match' },
    h('span', { text: `${ATTRIBUTE_LABEL[k]}: ${attributeValueText(k, step.attributes[k])}` }))));
  const exact = step.exact && rec.offers[step.exact];
  const slot = $('#demo-exact');
  if (exact && !slot.firstChild) slot.replaceChildren(exactBlock(exact));
  if (!exact) slot.replaceChildren();
  const grid = $('#demo-alts');
  const shown = new Set([...grid.children].map((c) => c.dataset.key));
  for (const key of step.alternatives || []) {
    if (shown.has(key) || !rec.offers[key]) continue;
    const card = demoCard(rec.offers[key]);
    card.dataset.key = key;
    card.classList.add('fresh');
    grid.append(card);
  }
  $('#demo-player').dataset.state = done ? 'done' : 'playing';
  $('#demo-clock').textContent = `${(step.t / 1000).toFixed(1)} s`;
}

function player(rec) {
  let timers = [];
  const stop = () => { timers.forEach(clearTimeout); timers = []; };
  const play = () => {
    stop();
    $('#demo-exact').replaceChildren();
    $('#demo-alts').replaceChildren();
    let at = 0;
    let prev = 0;
    rec.steps.forEach((step, i) => {
      const gap = i === 0 ? 0 : Math.min(MAX_GAP, Math.max(MIN_GAP, step.t - prev));
      prev = step.t;
      at += gap;
      timers.push(setTimeout(() => renderStep(rec, step), at));
    });
  };
  const last = () => {
    stop();
    // Every result the search ended with (the last step lists them all).
    renderStep(rec, rec.steps[rec.steps.length - 1]);
  };
  return { play, last };
}

async function mountDemo() {
  const box = $('#demo-player');
  if (!box) return;
  let rec;
  try {
    const resp = await fetch('/demo/search-demo.json');
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    rec = await resp.json();
  } catch (err) {
    $('#demo').hidden = true;
    return;
  }
  if (!rec || !Array.isArray(rec.steps) || !rec.steps.length) {
    $('#demo').hidden = true;
    return;
  }
  $('#demo-image').src = rec.image;
  const limit = rec.maxPrice ? `up to ${formatMoney(rec.maxPrice.amount, rec.maxPrice.currency, { wholeOnly: true })}` : 'any price';
  $('#demo-caption').textContent = `${rec.category.replace(/^./, (c) => c.toUpperCase())} · ${limit}`;
  const p = player(rec);
  $('#demo-replay').addEventListener('click', p.play);
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  if (still || !('IntersectionObserver' in window)) {
    p.last();
    return;
  }
  renderStep(rec, { ...rec.steps[0], alternatives: [], exact: null, attributes: {} });
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    p.play();
  }, { threshold: 0.35 });
  seen.observe(box);
}

mountPage({
  auth: 'optional',
  async load({ user }) {
    mountDemo();
    if (!user) return;
    const signup = document.getElementById('cta-signup');
    signup.setAttribute('href', homeFor(user));
    signup.firstChild.textContent = isStaff(user) ? 'Open the admin panel ' : 'Go to your dashboard ';
    document.getElementById('cta-signin').hidden = true;
  },
});
