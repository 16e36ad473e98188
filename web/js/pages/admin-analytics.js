// Analytics: one report at a time (tabs), all four read with the same range and category, kept
// in the address so a view can be bookmarked or sent to a colleague.
import { api } from '../api.js';
import { fillCategorySelect } from '../categories.js';
import { clearFieldErrors, setFieldError } from '../forms.js';
import { mountPage } from '../page.js';
import { $, $$, h } from '../ui.js';
import { REPORTS, renderReport } from '../admin/analytics-views.js';
import { daysAgo, isoDay, putRange, rangeProblems } from '../admin/date-range.js';

const form = $('#report-filters');
const fromInput = $('#filter-from');
const toInput = $('#filter-to');
const categorySelect = $('#filter-category');
const tabs = $('#report-tabs');
const panel = $('#report-panel');
let current = REPORTS[0].id;
let seq = 0;
let page = null;

function query() {
  const q = putRange(new URLSearchParams(), fromInput.value, toInput.value);
  if (categorySelect.value) q.set('category', categorySelect.value);
  return q;
}

function reportUrl(report, extra = {}) {
  const q = query();
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `/api/admin/analytics/${encodeURIComponent(report)}?${q}`;
}

function readAddress() {
  const q = new URLSearchParams(location.search);
  if (REPORTS.some((r) => r.id === q.get('report'))) current = q.get('report');
  // No range in the address: the last 30 days. An empty one (from= to=) means all time.
  fromInput.value = q.has('from') ? (isoDay(q.get('from')) ? q.get('from') : '') : daysAgo(29);
  toInput.value = q.has('to') ? (isoDay(q.get('to')) ? q.get('to') : '') : daysAgo(0);
  return q.get('category') || '';
}

function writeAddress() {
  const q = new URLSearchParams({ report: current, from: fromInput.value, to: toInput.value });
  if (categorySelect.value) q.set('category', categorySelect.value);
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

function renderTabs() {
  tabs.replaceChildren(...REPORTS.map((r) => h('button', {
    type: 'button', role: 'tab', id: `tab-${r.id}`, 'aria-controls': 'report-panel', dataset: { report: r.id },
    'aria-selected': String(r.id === current), tabindex: r.id === current ? '0' : '-1', text: r.label,
  })));
  panel.setAttribute('aria-labelledby', `tab-${current}`);
  $('#report-intro').textContent = REPORTS.find((r) => r.id === current).intro;
}

function select(report, { focus = false } = {}) {
  current = report;
  renderTabs();
  if (focus) $(`#tab-${report}`).focus();
  writeAddress();
  load();
}

async function load() {
  clearFieldErrors(form);
  const problems = rangeProblems(fromInput, toInput);
  if (problems.length) {
    for (const [name, message] of problems) setFieldError(form, name, message);
    return;
  }
  const mine = ++seq;
  const report = current;
  panel.setAttribute('aria-busy', 'true');
  document.body.dataset.reportLoaded = '';
  try {
    const data = await api.get(reportUrl(report));
    if (mine !== seq) return;
    page.clearError();
    renderReport($('#report-body'), report, data, (table) => reportUrl(report, { format: 'csv', table }));
    document.body.dataset.reportLoaded = report;
    // One short announcement instead of the whole report read out.
    $('#report-status').textContent = `${REPORTS.find((r) => r.id === report).label} report loaded.`;
  } catch (err) {
    if (mine !== seq) return;
    if (err.field === 'from' || err.field === 'to' || err.field === 'category') setFieldError(form, err.field, err.message);
    else page.error(err, 'Could not load the report');
    $('#report-body').replaceChildren();
  } finally {
    if (mine === seq) panel.setAttribute('aria-busy', 'false');
  }
}

function wire() {
  tabs.addEventListener('click', (ev) => {
    const tab = ev.target.closest('[role="tab"]');
    if (tab && tab.dataset.report !== current) select(tab.dataset.report);
  });
  // Arrow keys move along the tabs (the tablist pattern); Home and End jump to the ends.
  tabs.addEventListener('keydown', (ev) => {
    const i = REPORTS.findIndex((r) => r.id === current);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: REPORTS.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    select(REPORTS[(to + REPORTS.length) % REPORTS.length].id, { focus: true });
  });
  let timer = null;
  const again = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      writeAddress();
      load();
    }, 200);
  };
  form.addEventListener('change', again);
  for (const button of $$('[data-days]', form)) {
    button.addEventListener('click', () => {
      const days = button.dataset.days;
      fromInput.value = days === 'all' ? '' : daysAgo(Number(days) - 1);
      toInput.value = days === 'all' ? '' : daysAgo(0);
      again();
    });
  }
}

mountPage({
  auth: 'staff',
  async load(p) {
    page = p;
    const category = readAddress();
    renderTabs();
    wire();
    try {
      await fillCategorySelect(categorySelect);
    } catch (err) {
      // Without the list the reports still load, for every category.
    }
    if (category && [...categorySelect.options].some((o) => o.value === category)) categorySelect.value = category;
    writeAddress();
    await load();
  },
});
