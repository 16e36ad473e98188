// A modal form in a <dialog>: a title, the page's fields, an error area and two buttons.
// submit(form) may throw an ApiError; its message lands beside error.field when the form has a
// control of that name, and in the dialog's alert otherwise. Resolves on success; Esc cancels.
import { bindForm } from '../forms.js';
import { h } from '../ui.js';

export function formDialog({ id, title, intro, fields = [], submitLabel, busyLabel = 'Sending…', danger = false, wide = false, submit, check, fieldsMap }) {
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const form = h('form', { class: 'form', novalidate: true },
    h('h2', { id: `${id}-title`, text: title }),
    intro ? h('p', { class: 'muted dialog-intro', text: intro }) : null,
    alert,
    ...fields,
    h('div', { class: 'form-actions dialog-actions' },
      h('button', { type: 'submit', class: `btn ${danger ? 'btn-danger' : 'btn-gold'}`, id: `${id}-submit`, dataset: { busyLabel }, text: submitLabel }),
      h('button', { type: 'button', class: 'btn btn-ghost', id: `${id}-cancel`, value: 'cancel', text: 'Cancel', onclick: () => dialog.close() })));
  const dialog = h('dialog', { class: `form-dialog${wide ? ' form-dialog-wide' : ''}`, id, 'aria-labelledby': `${id}-title` }, form);
  document.body.append(dialog);
  bindForm(form, {
    alert,
    check,
    fields: fieldsMap,
    submit: async (f) => {
      await submit(f);
      dialog.close();
    },
  });
  return {
    dialog,
    form,
    open() {
      alert.hidden = true;
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    },
    close: () => dialog.close(),
  };
}

export function field({ id, name, label, control, hint, optional = false }) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label, optional ? h('span', { class: 'optional', text: ' (optional)' }) : null),
    control,
    hint ? h('p', { class: 'hint', text: hint }) : null,
    h('p', { class: 'field-error', dataset: { errorFor: name } }));
}
