// A from/to pair of date inputs as the day range the console's reports and audit log take. The
// server reads bare dates (UTC days, the days the reports group by) and includes the "to" day.

export function isoDay(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value || '') && !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime());
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
  if (isoDay(from)) q.set('from', from);
  if (isoDay(to)) q.set('to', to);
  return q;
}
