// A from/to pair of date inputs as the time range the console's reports and audit log take.
// The server reads full ISO 8601 times and bounds ranges as from ≤ t < to; staff pick whole days
// (UTC, the days the reports group by), so "to" is sent as the start of the day after it.

export function isoDay(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value || '') && !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime());
}

export function dayStart(value) {
  return `${value}T00:00:00Z`;
}

export function dayAfter(value) {
  const d = new Date(`${value}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().replace('.000Z', 'Z');
}

export function daysAgo(n) {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

// Problems with the two inputs as [[name, message]] (forms.js showProblems), none when fine.
export function rangeProblems(fromInput, toInput) {
  const problems = [];
  const from = fromInput.value;
  const to = toInput.value;
  if (from && !isoDay(from)) problems.push([fromInput.name, 'Pick a day.']);
  if (to && !isoDay(to)) problems.push([toInput.name, 'Pick a day.']);
  if (!problems.length && from && to && from > to) problems.push([toInput.name, 'The end is before the start.']);
  return problems;
}

// Adds from/to to URLSearchParams q as the server reads them.
export function putRange(q, from, to) {
  if (isoDay(from)) q.set('from', dayStart(from));
  if (isoDay(to)) q.set('to', dayAfter(to));
  return q;
}
