// E-mail verification: reads ?token=, confirms it with the server, offers a resend form on failure.
import { api, currentUser } from '../api.js';
import { bindForm, isEmail } from '../forms.js';
import { homeFor } from '../layout.js';
import { mountPage } from '../page.js';
import { $, showAlert } from '../ui.js';

function fail(text) {
  $('#verify-pending').hidden = true;
  $('#verify-failed-text').textContent = text;
  const section = $('#verify-failed');
  section.hidden = false;
  section.focus();
}

async function verify(token, page) {
  try {
    await api.post('/api/auth/verify', { token });
  } catch (err) {
    fail(err.code === 'invalid_token'
      ? 'This verification link is invalid, has already been used or has expired. Links are valid for 24 hours.'
      : err.message);
    return;
  }
  // Remove the token from the address bar so it is not kept in history or shared by accident.
  history.replaceState(null, '', '/verify.html');
  $('#verify-pending').hidden = true;
  const ok = $('#verify-ok');
  ok.hidden = false;
  ok.focus();
  const me = await currentUser().catch(() => null);
  if (me) {
    const link = $('#verify-continue');
    link.href = homeFor(me);
    link.textContent = 'Go to your dashboard';
    page.refreshHeader(me); // the account state changed
  }
}

mountPage({
  auth: 'optional',
  async load(page) {
    const box = $('#resend-alert');
    bindForm($('#resend-form'), {
      alert: box,
      check: (f) => (isEmail(f.elements.email.value.trim()) ? [] : [['email', 'Enter a valid e-mail address.']]),
      async submit(f) {
        const email = f.elements.email.value.trim();
        await api.post('/api/auth/resend-verification', { email });
        showAlert(box, 'success', `If ${email} belongs to an unverified account, a new link is on its way. Check your inbox.`);
      },
    });
    const token = new URLSearchParams(location.search).get('token');
    if (token) await verify(token, page);
    else fail('This page needs the link from your verification e-mail. If you cannot find the e-mail, request a new one below.');
  },
});
