// The jewelry categories, as the server defines them (GET /api/categories), fetched once per page.
// No list is written here on purpose: a category the server adds appears everywhere at once.
import { api } from './api.js';
import { h } from './ui.js';

let pending = null;

// [{ id: 'ring', label: 'Ring', plural: 'Rings' }, …]. A failed fetch is not cached: the next
// call asks again.
export function categories() {
  if (!pending) {
    pending = api.get('/api/categories').then((data) => {
      if (!Array.isArray(data.categories) || !data.categories.length) throw new Error('The category list is empty.');
      return data.categories;
    });
    pending.catch(() => { pending = null; });
  }
  return pending;
}

// id → { id, label, plural }
export async function categoryMap() {
  return new Map((await categories()).map((c) => [c.id, c]));
}

// Fills a <select> after its first (placeholder) option, keeping the current choice.
export async function fillCategorySelect(select) {
  const list = await categories();
  const keep = select.value;
  const placeholder = select.querySelector('option[value=""]');
  select.replaceChildren(...(placeholder ? [placeholder] : []), ...list.map((c) => h('option', { value: c.id, text: c.label })));
  if (keep) select.value = keep;
}

// Fills a container with one checkbox per category, named `name`.
export async function fillCategoryChecks(container, name) {
  const list = await categories();
  container.replaceChildren(...list.map((c) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: c.id }), ` ${c.plural}`)));
}
