// E-mail verification: reads ?token=, confirms it with the server, offers a resend form on failure.
import { api, currentUser } from '../api.js';
import { initLayout, homeFor } from '../layout.js';
import { $, showAlert, setFieldError, clearFieldErrors, withBusy, isEmail } from '../ui.js';

const token = new URLSearchParams(location.search).get('token');
const pending = $('#verify-pending');

function fail(text) {
  pending.hidden = true;
  $('#verify-failed-text').textContent = text;
  const section = $('#verify-failed');
  section.hidden = false;
  section.focus();
}

initLayout({ auth: 'optional' });

if (!token) {
  fail('This page needs the link from your verification e-mail. If you cannot find the e-mail, request a new one below.');
} else {
  try {
    await api.post('/api/auth/verify', { token });
    // Remove the token from the address bar so it is not kept in history or shared by accident.
    history.replaceState(null, '', '/verify.html');
    pending.hidden = true;
    const ok = $('#verify-ok');
    ok.hidden = false;
    ok.focus();
    const me = await currentUser().catch(() => null);
    if (me) {
      const link = $('#verify-continue');
      link.href = homeFor(me);
      link.textContent = 'Go to your dashboard';
      // Refresh the header now that the account state changed.
      initLayout({ auth: 'optional' });
    }
  } catch (err) {
    if (err.code === 'invalid_token') {
      fail('This verification link is invalid, has already been used or has expired. Links are valid for 24 hours.');
    } else {
      fail(err.message);
    }
  }
}

const form = $('#resend-form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  const box = $('#resend-alert');
  const email = form.elements.email.value.trim();
  if (!isEmail(email)) {
    setFieldError(form, 'email', 'Enter a valid e-mail address.');
    form.elements.email.focus();
    return;
  }
  await withBusy($('#resend-submit'), async () => {
    try {
      await api.post('/api/auth/resend-verification', { email });
      showAlert(box, 'success', `If ${email} belongs to an unverified account, a new link is on its way. Check your inbox.`);
    } catch (err) {
      showAlert(box, 'error', err.message);
    }
  });
});
