// Recent searches, newest first, the one on screen marked.
import { ApiError, api } from '../api.js';
import { formatMoney } from '../offers.js';
import { $, h, formatDateTime, relativeTime } from '../ui.js';

// currentId: the search on screen; label(categoryId) → its name. Errors other than "not
// verified yet" are the caller's to show.
export async function loadHistory(currentId, label) {
  const list = $('#history-list');
  try {
    const data = await api.get('/api/searches?limit=12');
    const items = Array.isArray(data.searches) ? data.searches : [];
    list.replaceChildren(...items.map((s) => {
      const bits = [];
      if (s.status === 'running') bits.push('running…');
      else if (s.status === 'failed') bits.push('failed');
      else {
        if (s.exactMatch) bits.push('exact match');
        bits.push(`${s.alternatives} alternative${s.alternatives === 1 ? '' : 's'}`);
      }
      const current = s.id === currentId;
      return h('li', { class: current ? 'current' : '' },
        h('a', { href: `/search.html?id=${encodeURIComponent(s.id)}`, 'aria-current': current ? 'page' : null },
          h('img', { src: s.image, alt: '', width: 44, height: 44, loading: 'lazy' }),
          h('span', { class: 'history-text' },
            h('strong', { text: label(s.category) }),
            h('span', { class: 'sub', text: `${bits.join(' · ')}${s.maxPrice ? ` · ≤ ${formatMoney(s.maxPrice.amount, s.maxPrice.currency, { wholeOnly: true })}` : ''}` }),
          ),
          h('time', { datetime: s.createdAt, title: formatDateTime(s.createdAt), text: relativeTime(s.createdAt) }),
        ));
    }));
    $('#history-empty').hidden = items.length > 0;
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'not_verified') throw err;
    $('#history-empty').hidden = false;
  }
}
