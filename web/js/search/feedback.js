// Thumbs up / down on one search result: tells Facet whether a design was a useful answer to the
// photo (POST /api/searches/<id>/feedback, vote 1 | -1, and 0 to take it back). The server does
// not send votes back with the results, so this browser remembers the buyer's own votes to show
// them pressed again after a reload.
import { api } from '../api.js';
import { h, toast } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
const THUMB = 'M7 11v9H3.5v-9zM7 11l3.6-7.2a2.1 2.1 0 0 1 3.9 1.3L13.8 10h5.4a2 2 0 0 1 2 2.4l-1.3 6A2 2 0 0 1 17.9 20H7';

const storeKey = (searchId) => `facet.votes.${searchId}`;

function remembered(searchId) {
  try {
    return JSON.parse(localStorage.getItem(storeKey(searchId)) || '{}') || {};
  } catch (err) {
    return {};
  }
}

function remember(searchId, offerId, vote) {
  try {
    const votes = remembered(searchId);
    if (vote) votes[offerId] = vote;
    else delete votes[offerId];
    localStorage.setItem(storeKey(searchId), JSON.stringify(votes));
  } catch (err) {
    // Private browsing without storage: the vote is still sent, only not shown after a reload.
  }
}

function thumb(down) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.8');
  svg.setAttribute('stroke-linejoin', 'round');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', THUMB);
  svg.append(path);
  if (down) svg.setAttribute('class', 'thumb-down');
  return svg;
}

// The control for one result card. compact: icons only (the grid's small cards).
export function voteControl(searchId, offer, { compact = false } = {}) {
  if (!searchId || !offer?.id) return null;
  let vote = Number(remembered(searchId)[offer.id]) || 0;
  const status = h('span', { class: 'visually-hidden', role: 'status' });
  const make = (value, label) => h('button', {
    type: 'button', class: 'vote-button', dataset: { vote: value > 0 ? 'up' : 'down' },
    'aria-pressed': String(vote === value), title: label, 'aria-label': label,
  }, thumb(value < 0));
  const up = make(1, 'Useful result');
  const down = make(-1, 'Not useful');
  const box = h('div', { class: `result-vote${compact ? ' result-vote-compact' : ''}`, role: 'group', 'aria-label': `Was “${offer.title || 'this design'}” a useful result?`, dataset: { offerId: offer.id, vote: String(vote) } },
    h('span', { class: 'vote-label', 'aria-hidden': 'true', text: 'Useful?' }), up, down, status);

  const show = () => {
    up.setAttribute('aria-pressed', String(vote === 1));
    down.setAttribute('aria-pressed', String(vote === -1));
    box.dataset.vote = String(vote);
  };
  const send = async (value) => {
    const before = vote;
    const next = vote === value ? 0 : value; // pressing the pressed thumb takes the vote back
    vote = next;
    show();
    box.setAttribute('aria-busy', 'true');
    try {
      await api.post(`/api/searches/${encodeURIComponent(searchId)}/feedback`, { offerId: offer.id, vote: next });
      remember(searchId, offer.id, next);
      status.textContent = next === 1 ? 'Marked useful. Thank you.' : next === -1 ? 'Marked not useful. Thank you.' : 'Vote taken back.';
      box.dataset.sent = String(next);
    } catch (err) {
      vote = before;
      show();
      toast('Your vote was not saved', err.message, { kind: 'error' });
    } finally {
      box.removeAttribute('aria-busy');
    }
  };
  up.addEventListener('click', () => send(1));
  down.addEventListener('click', () => send(-1));
  return box;
}
