// The analysis card of a search: the stage checklist (with the sentence each stage's latest
// event carried) and the attributes read from the photo, with their confidence.
import { attributeValueText, ATTRIBUTE_LABEL } from '../offers.js';
import { $, h, icon } from '../ui.js';

export const STAGES = [
  ['received', 'Photo received'],
  ['extracting_attributes', 'Reading the design'],
  ['searching_inventory', 'Searching our inventory'],
  ['checking_stock', 'Checking price and stock'],
  ['searching_marketplace', 'Searching sourced designs'],
  ['finding_alternatives', 'Choosing alternatives'],
  ['done', 'Results ready'],
];
export const STAGE_INDEX = Object.fromEntries(STAGES.map(([k], i) => [k, i]));
const ATTRS = ['metal', 'stones', 'style', 'craftsmanship', 'pattern', 'setting'];

function stageStates(search, details) {
  const at = STAGE_INDEX[search.stage] ?? 0;
  const finished = search.status === 'done';
  return STAGES.map(([key], i) => {
    const detail = details.get(key) || '';
    if (/^skipped\b/i.test(detail)) return 'skipped';
    if (finished || i < at) return 'done';
    if (i === at) return search.status === 'failed' ? 'failed' : 'current';
    return 'pending';
  });
}

export function renderStages(search, details) {
  const states = stageStates(search, details);
  $('#stage-list').replaceChildren(...STAGES.map(([key, label], i) => {
    const st = states[i];
    const mark = st === 'done' ? icon('check') : st === 'skipped' ? h('span', { text: '–' })
      : st === 'failed' ? icon('x') : st === 'current' ? h('span', { class: 'stage-spin' }) : h('span', { class: 'stage-dot' });
    let detail = details.get(key) || '';
    if (st === 'skipped') detail = detail.replace(/^skipped:\s*/i, '').replace(/^./, (c) => c.toUpperCase());
    if (detail.toLowerCase() === label.toLowerCase()) detail = '';
    return h('li', { class: `stage stage-${st}`, dataset: { stage: key, state: st } },
      h('span', { class: 'stage-mark', 'aria-hidden': 'true' }, mark),
      h('span', { class: 'stage-text' },
        h('span', { class: 'stage-label', text: label }),
        detail ? h('span', { class: 'stage-detail', text: detail }) : null,
        h('span', { class: 'visually-hidden', text: ` (${st})` })),
    );
  }));
  const title = search.status === 'done' ? 'Analysis complete'
    : search.status === 'failed' ? 'The analysis stopped' : 'Analyzing your design…';
  $('#analysis-title').textContent = title;
  $('#analysis').dataset.status = search.status;
}

export function renderAttributes(search) {
  const attrs = search.attributes || {};
  const keys = ATTRS.filter((k) => attrs[k]);
  $('#attr-empty').hidden = keys.length > 0;
  if (!keys.length && search.status !== 'running') $('#attr-empty').textContent = 'No attributes could be read from this photo.';
  $('#attr-list').replaceChildren(...keys.map((key) => {
    const g = attrs[key];
    const unknown = !g.value || g.value === 'unknown';
    const pct = Math.round(Math.max(0, Math.min(1, Number(g.confidence) || 0)) * 100);
    const note = key === 'metal' && g.value === 'white' && g.note ? ` — ${g.note}` : '';
    return h('li', { class: unknown ? 'attr attr-unknown' : 'attr', dataset: { attr: key } },
      h('span', { class: 'attr-name', text: ATTRIBUTE_LABEL[key] || key }),
      h('span', { class: 'attr-value', title: g.method === 'colour' ? 'Measured from colour' : 'Judged from similar pieces' },
        attributeValueText(key, g), note ? h('span', { class: 'attr-note', text: note }) : null,
        g.note && !note ? h('span', { class: 'attr-note', text: ` — ${g.note}` }) : null),
      h('span', { class: 'bar', role: 'img', 'aria-label': `confidence ${pct}%` }, h('span', { class: 'bar-fill', dataset: { pct } })),
      h('span', { class: 'attr-pct', text: `${pct}%` }),
    );
  }));
  // Widths are set through the CSSOM: the page policy forbids inline style attributes in markup.
  for (const fill of $('#attr-list').querySelectorAll('.bar-fill')) fill.style.width = `${fill.dataset.pct}%`;
}
