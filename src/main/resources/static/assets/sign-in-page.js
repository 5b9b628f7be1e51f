// Signs in with the admin form (a session with CSRF protection), then goes back where the user was headed.
import { call } from '/assets/api.js';

const form = document.getElementById('sign-in');
const problem = document.getElementById('sign-in-problem');

/** Only a path within the admin pages: ?next= must not send anyone to another site. */
function destination() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/admin/ui/') && !next.startsWith('//') ? next : '/admin/ui/';
}

form.addEventListener('submit', async e => {
  e.preventDefault();
  problem.hidden = true;
  try {
    await call('/admin/ui/login', { method: 'POST', body: new URLSearchParams(new FormData(form)) });
    location.assign(destination());
  } catch (error) {
    problem.textContent = error.message;
    problem.hidden = false;
    document.getElementById('password').select();
  }
});
