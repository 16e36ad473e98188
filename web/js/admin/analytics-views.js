// What each analytics table is drawn as. A report is a list of tables ({name, columns, rows});
// each known table gets the chart that reads best (days → a line, categories → horizontal bars,
// bands → bars, summaries → big numbers) with its data table and CSV link beside it; a table
// this page does not know yet is still shown, as a table.
import { table } from '../table.js';
import { h } from '../ui.js';
import { barChart, bigNumbers, dayLabel, hbarChart, lineChart, PALETTE } from './charts.js';

export const REPORTS = [
  { id: 'demand', label: 'Demand', intro: 'What buyers search for: how often, which categories, metals, styles and stones, and the price limits they set.' },
  { id: 'match-quality', label: 'Match quality', intro: 'How well searches are answered: exact matches, alternatives, results carted or quoted, and buyers’ thumbs.' },
  { id: 'sales', label: 'Sales', intro: 'Quote requests to orders: conversion, speed of the first quote, won and lost by quote total, revenue and margin by source.' },
  { id: 'supply', label: 'Supply', intro: 'Each brand and marketplace supplier: delivery promised against delivered, issues and stock-outs on live checks.' },
];

const TITLES = {
  searches_per_day: 'Searches per day',
  categories: 'Searches by category',
  metals: 'Metals searched',
  styles: 'Styles searched',
  stones: 'Stones searched',
  stone_colours: 'Stone colours searched',
  price_limits: 'Price limits set (per piece)',
  summary: 'Summary',
  per_day: 'Searches, exact matches and nothing relevant per day',
  won_lost_by_price_band: 'Quotes won and lost by quote total',
  revenue_by_source: 'Revenue and margin by source',
  sources: 'Sources',
};

const COLUMN_LABELS = {
  day: 'Day', searches: 'Searches', category: 'Category', metal: 'Metal', style: 'Style', stones: 'Stones', stoneColour: 'Stone colour',
  band: 'Band', measure: 'Measure', value: 'Value', exact_matches: 'Exact matches', nothing_relevant: 'Nothing relevant',
  won: 'Won', lost: 'Lost', source: 'Source', revenue: 'Revenue', cost: 'Cost', margin: 'Margin', margin_rate: 'Margin rate',
  order_lines: 'Order lines', promised_days: 'Promised days', actual_days: 'Actual days', orders_with_issues: 'Orders with issues',
  issue_rate: 'Issue rate', live_checks: 'Live checks', stock_outs: 'Stock-outs', stock_out_rate: 'Stock-out rate',
};

const MEASURES = {
  searches: 'Searches', completed: 'Completed', exact_matches: 'Exact matches', exact_match_rate: 'Exact match rate',
  alternatives_per_search: 'Alternatives per search', searches_with_a_result_carted: 'Searches with a result carted',
  carted_rate: 'Carted rate', searches_with_a_result_quoted: 'Searches with a result quoted', quoted_rate: 'Quoted rate',
  thumbs_up: 'Thumbs up', thumbs_down: 'Thumbs down', nothing_relevant: 'Nothing relevant', nothing_relevant_rate: 'Nothing relevant rate',
  quote_requests: 'Quote requests', quoted: 'Quoted', accepted: 'Accepted', lost: 'Lost', orders: 'Orders',
  conversion_rate: 'Conversion (accepted of quoted)', median_hours_to_first_quote: 'Median time to first quote',
  first_quote_on_time_rate: 'First quote on time', versions_per_quote: 'Versions per quote',
};

// Measures that read badly when high get the warning tone.
const BAD_WHEN_HIGH = new Set(['nothing_relevant_rate', 'thumbs_down']);

export const isRate = (name) => /(_rate|^rate)$/.test(name);
const isMoney = (name) => ['revenue', 'cost', 'margin'].includes(name);
const isDays = (name) => /_days$/.test(name);

export function humanize(name) {
  const t = String(name).replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function percent(v) {
  const n = Number(v);
  if (!Number.isFinite(n)) return '—';
  const p = n * 100;
  return `${p === 0 || p >= 10 || Number.isInteger(p) ? Math.round(p) : p.toFixed(1)} %`;
}

export function cellText(column, value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value !== 'number') return column === 'day' ? String(value) : String(value);
  if (isRate(column)) return percent(value);
  if (isMoney(column)) return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (isDays(column)) return value ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '0';
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function measureValue(name, value) {
  if (isRate(name)) return percent(value);
  if (name === 'median_hours_to_first_quote') return `${Number(value).toLocaleString('en-US', { maximumFractionDigits: 1 })} h`;
  return cellText(name, value);
}

function dataTable(t) {
  const cols = t.columns.map((c, i) => ({
    label: COLUMN_LABELS[c] || humanize(c),
    class: i > 0 ? 'num' : null,
    rowHeader: i === 0,
    cell: (row) => (i === 0 && c === 'measure' ? MEASURES[row[i]] || humanize(row[i]) : cellText(c, row[i])),
  }));
  return table({ caption: TITLES[t.name] || humanize(t.name), columns: cols, rows: t.rows, empty: 'Nothing in this range.', class: 'data-table' });
}

function csvLink(t, csvUrl) {
  return h('a', { class: 'btn btn-ghost btn-small csv-link', href: csvUrl(t.name), download: '', dataset: { table: t.name },
    'aria-label': `Download ${TITLES[t.name] || humanize(t.name)} as CSV` }, 'CSV');
}

function column(t, name) {
  const i = t.columns.indexOf(name);
  return t.rows.map((r) => r[i]);
}

function seriesOf(t, names, colours = []) {
  return names.map((n, j) => ({ name: COLUMN_LABELS[n] || humanize(n), values: column(t, n).map(Number), color: colours[j] }));
}

const DAY = 86_400_000;
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

// The server lists only the days something happened; a line over days needs the quiet days too,
// as zeros, from the start of the range to its end (or between the first and last day listed).
function everyDay(t, range) {
  const listed = column(t, 'day');
  const first = range.from ? String(range.from).slice(0, 10) : listed[0];
  const last = range.to ? dayOf(new Date(range.to).getTime() - 1) : listed[listed.length - 1];
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  if (!listed.length && !(range.from && range.to)) return t;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start || (end - start) / DAY > 400) return t;
  const byDay = new Map(t.rows.map((r) => [r[0], r]));
  const rows = [];
  for (let ms = start; ms <= end; ms += DAY) {
    const d = dayOf(ms);
    rows.push(byDay.get(d) || [d, ...t.columns.slice(1).map(() => 0)]);
  }
  return { ...t, rows };
}

function chartFor(report, t, range) {
  const title = TITLES[t.name] || humanize(t.name);
  const [first, ...rest] = t.columns;
  const numeric = rest.filter((c) => t.rows.every((r) => typeof r[t.columns.indexOf(c)] === 'number'));
  const base = { name: t.name, title, labels: column(t, first), hideTitle: true };
  if (t.name === 'summary') return null;
  if (first === 'day') {
    const all = everyDay(t, range);
    const n = all.rows.length;
    return lineChart({ ...base, labels: column(all, 'day'), series: seriesOf(all, numeric, [PALETTE[0], PALETTE[3], PALETTE[2]]),
      unit: numeric.length === 1 ? (COLUMN_LABELS[numeric[0]] || humanize(numeric[0])) : 'Searches', empty: 'No searches in this range.',
      ariaLabel: `${title}, line chart over ${n} ${n === 1 ? 'day' : 'days'}${n ? ` from ${dayLabel(all.rows[0][0])} to ${dayLabel(all.rows[n - 1][0])}` : ''}` });
  }
  if (t.name === 'won_lost_by_price_band') {
    return barChart({ ...base, series: seriesOf(t, ['won', 'lost'], [PALETTE[3], PALETTE[2]]), unit: 'Quotes' });
  }
  if (t.name === 'price_limits' || first === 'band') {
    return barChart({ ...base, series: seriesOf(t, numeric.slice(0, 3)), unit: 'Searches' });
  }
  if (report === 'demand' && numeric.length === 1) {
    return hbarChart({ ...base, series: seriesOf(t, numeric), empty: 'No searches in this range.' });
  }
  return null;
}

// A rate and the count it is made of are one figure: "42 %" over "12 of 30 searches".
const RATE_PARTS = {
  exact_match_rate: ['exact_matches', 'completed', 'searches'],
  carted_rate: ['searches_with_a_result_carted', 'completed', 'searches'],
  quoted_rate: ['searches_with_a_result_quoted', 'completed', 'searches'],
  nothing_relevant_rate: ['nothing_relevant', 'completed', 'searches'],
  conversion_rate: ['accepted', 'quoted', 'quoted'],
};

function summaryView(t) {
  const i = t.columns.indexOf('measure');
  const v = t.columns.indexOf('value');
  const values = new Map(t.rows.map((r) => [r[i], r[v]]));
  const folded = new Set(Object.entries(RATE_PARTS).filter(([rate]) => values.has(rate)).map(([, [count]]) => count).filter((c) => c !== 'accepted'));
  return bigNumbers(t.rows.filter((r) => !folded.has(r[i])).map((r) => {
    const parts = RATE_PARTS[r[i]];
    const hint = parts && values.has(parts[0]) && values.has(parts[1])
      ? `${cellText('', values.get(parts[0]))} of ${cellText('', values.get(parts[1]))} ${parts[2]}` : null;
    return {
      key: r[i], label: MEASURES[r[i]] || humanize(r[i]), value: measureValue(r[i], r[v]), hint,
      tone: BAD_WHEN_HIGH.has(r[i]) && Number(r[v]) > 0 ? 'warn' : null,
    };
  }));
}

// One table: its heading, the chart (or big numbers), the CSV link and the data table, which is
// folded away under a chart and open where the table is the view.
function section(report, t, csvUrl, range) {
  const title = TITLES[t.name] || humanize(t.name);
  const view = t.name === 'summary' ? summaryView(t) : chartFor(report, t, range);
  const wide = t.columns[0] === 'day' || t.name === 'summary' || !view || t.columns.length > 2;
  const tableBox = h('div', { class: 'table-wrap' }, dataTable(t));
  return h('section', { class: `card card-compact report-part${wide ? ' report-wide' : ''}`, dataset: { table: t.name } },
    h('div', { class: 'card-head' },
      h('h3', { class: 'report-part-title', text: title }),
      csvLink(t, csvUrl)),
    view,
    view ? h('details', { class: 'report-table' }, h('summary', { text: `Table: ${title.toLowerCase()}` }), tableBox) : tableBox);
}

export function renderReport(container, report, data, csvUrl) {
  const tables = Array.isArray(data.tables) ? data.tables : [];
  container.replaceChildren(...(tables.length
    ? tables.map((t) => section(report, t, csvUrl, { from: data.from, to: data.to }))
    : [h('p', { class: 'empty', text: 'This report has no tables.' })]));
}
