// Tables from data: columns say what each cell shows, rows are the data.
//   table({ caption, columns: [{ label, cell: row => text | Node | [Node…], class, rowHeader, hideLabel }],
//           rows, empty: 'Nothing yet.', rowAttrs: row => ({ dataset: {…} }) })
// The caption is for screen readers; header cells are scoped; a column with rowHeader: true
// makes its cells <th scope="row">. An empty table says `empty` in one spanning cell.
import { h } from './ui.js';

function headerCell(col) {
  const label = col.hideLabel ? h('span', { class: 'visually-hidden', text: col.label }) : col.label;
  return h('th', { scope: 'col', class: col.class }, label);
}

function bodyCell(col, row) {
  const value = col.cell(row);
  const content = value === undefined || value === null || value === '' ? '—' : value;
  return h(col.rowHeader ? 'th' : 'td', { scope: col.rowHeader ? 'row' : null, class: col.class }, content);
}

export function table({ caption, columns, rows, empty, rowAttrs, id, class: cls }) {
  const body = h('tbody', {}, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((col) => bodyCell(col, row)))));
  if (!rows.length && empty) body.append(h('tr', { class: 'empty-row' }, h('td', { colspan: columns.length, text: empty })));
  return h('table', { id, class: cls },
    caption ? h('caption', { class: 'visually-hidden', text: caption }) : null,
    h('thead', {}, h('tr', {}, columns.map(headerCell))),
    body);
}
