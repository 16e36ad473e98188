// Forms: an error beside the field it concerns, a summary above the form, busy buttons, and
// bindForm, which puts these together for any form that submits to the API.
// The server names the field at fault in its error body (error.field, the JSON name such as
// "companyName" or "perCategory.ring"); controls are named the same, so the error lands there.
import { $, $$, showAlert, clearAlert } from './ui.js';

function controls(form, name) {
  return name ? $$(`[name="${CSS.escape(name)}"]`, form) : [];
}

export function setFieldError(form, name, message) {
  for (const input of controls(form, name)) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  const slot = $(`[data-error-for="${CSS.escape(name)}"]`, form);
  if (slot) slot.textContent = message || '';
}

export function clearFieldErrors(form) {
  for (const el of $$('[aria-invalid]', form)) el.removeAttribute('aria-invalid');
  for (const slot of $$('[data-error-for]', form)) slot.textContent = '';
}

const TITLES = {
  validation_failed: 'Please check the form',
  weak_password: 'Choose a stronger password',
  email_taken: 'That e-mail is already registered',
  invalid_credentials: 'Sign-in failed',
  rate_limited: 'Too many attempts',
  invalid_token: 'This link is not valid',
  network: 'Connection problem',
  bad_origin: 'Request blocked',
};

export function titleForCode(code) {
  return TITLES[code] || 'Something went wrong';
}

function labelOf(form, control) {
  const label = control.id && $(`label[for="${CSS.escape(control.id)}"]`, form);
  if (label) return (label.childNodes[0] || label).textContent.trim();
  return control.closest('fieldset')?.querySelector('legend')?.textContent.trim() || '';
}

// "companyName is required." reads better as "Company name is required.": the server writes the
// field's JSON name (err.field), the form knows that field's label.
function readable(form, message, serverField, control) {
  const label = serverField && control && message.includes(serverField) ? labelOf(form, control) : '';
  if (!label) return message;
  return message.startsWith(serverField) ? message.replace(serverField, label) : message.replace(serverField, label.toLowerCase());
}

// Shows an error in the form's summary and, when `field` names one of the form's controls,
// beside that control too (which then takes the focus).
export function showFormError(form, summary, err, { field = err?.field, title } = {}) {
  const [control] = controls(form, field);
  const message = readable(form, err && err.message ? err.message : String(err), err?.field, control);
  showAlert(summary, 'error', message, title || titleForCode(err && err.code));
  if (control) {
    setFieldError(form, field, message);
    control.focus();
  }
}

// problems: [[fieldName, message], …] found on the page before anything is sent.
export function showProblems(form, summary, problems) {
  for (const [field, message] of problems) setFieldError(form, field, message);
  if (problems.length > 1) showAlert(summary, 'error', `${problems.length} fields need your attention.`, 'Please check the form');
  const [first] = controls(form, problems[0][0]);
  if (first) first.focus();
}

export async function withBusy(button, fn) {
  if (!button) return fn();
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (button.dataset.busyLabel) button.textContent = label;
  }
}

// Wires a form's submit: clears old errors, runs check(form) (problems found on the page stop
// the submit), then submit(form) with the submit button busy; an error it throws is shown in
// `alert` and beside its field. Options:
//   fields: server field name → control name, where the two differ
//   codes:  error code → control name, for errors that carry no field (weak_password…)
//   titles: error code → summary title
//   onError(err): after the error is shown, for anything page-specific
export function bindForm(form, { alert, check, submit, fields = {}, codes = {}, titles = {}, onError } = {}) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearFieldErrors(form);
    clearAlert(alert);
    const problems = (check && check(form)) || [];
    if (problems.length) {
      showProblems(form, alert, problems);
      return;
    }
    form.setAttribute('aria-busy', 'true');
    try {
      await withBusy($('[type="submit"]', form), () => submit(form));
    } catch (err) {
      const field = (err.field && (fields[err.field] || err.field)) || codes[err.code];
      showFormError(form, alert, err, { field, title: titles[err.code] });
      if (onError) onError(err);
    } finally {
      form.removeAttribute('aria-busy');
    }
  });
}

// ---------- passwords and e-mail ----------

export function passwordProblems(pw) {
  const problems = [];
  if (pw.length < 10) problems.push('at least 10 characters');
  if (!/[A-Za-z]/.test(pw)) problems.push('a letter');
  if (!/[0-9]/.test(pw)) problems.push('a digit');
  return problems;
}

// Live password rule checklist: <ul class="strength"><li data-rule="len|letter|digit">
export function wirePasswordRules(input, list) {
  if (!input || !list) return;
  const rules = [
    ['len', (v) => v.length >= 10],
    ['letter', (v) => /[A-Za-z]/.test(v)],
    ['digit', (v) => /[0-9]/.test(v)],
  ];
  const update = () => {
    for (const [key, test] of rules) {
      const li = $(`[data-rule="${key}"]`, list);
      if (li) li.classList.toggle('ok', test(input.value));
    }
  };
  input.addEventListener('input', update);
  input.form?.addEventListener('reset', () => setTimeout(update, 0));
  update();
}

// Show/hide buttons next to password inputs: <button class="password-toggle" data-toggle-for="id">
export function wirePasswordToggles(root = document) {
  for (const btn of $$('.password-toggle', root)) {
    const input = document.getElementById(btn.dataset.toggleFor);
    if (!input) continue;
    btn.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      btn.textContent = show ? 'Hide' : 'Show';
      btn.setAttribute('aria-pressed', String(show));
    });
  }
}

export function isEmail(v) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
}
