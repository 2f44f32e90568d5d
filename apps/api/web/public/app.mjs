// Progressive enhancement only: every page works without this script.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';

initAll();
initMoj();

// The crime form checks the recording rules as fields change, through the same validation service as the API
// (POST /records/check, which saves nothing). Without script, the same findings appear when the form is submitted.
const form = document.getElementById('crime-form');
const panel = document.getElementById('rule-findings');
if (form && panel) {
  let timer;
  let seq = 0;
  const labels = { block: 'Must be fixed', confirm: 'Needs your confirmation', warn: 'Warning' };
  const tagClass = { block: 'govuk-tag--red', confirm: 'govuk-tag--orange', warn: 'govuk-tag--yellow' };
  const show = (findings) => {
    panel.replaceChildren();
    if (findings.length === 0) return;
    const h = document.createElement('h2');
    h.className = 'govuk-heading-s';
    h.textContent = 'Recording rules';
    const ul = document.createElement('ul');
    ul.className = 'govuk-list cf-findings__list';
    for (const f of findings) {
      const li = document.createElement('li');
      li.className = `cf-finding cf-finding--${f.severity}`;
      li.dataset.code = f.code;
      const tag = document.createElement('strong');
      tag.className = `govuk-tag ${tagClass[f.severity] ?? ''}`;
      tag.textContent = f.code;
      const text = document.createElement('span');
      text.textContent = ` ${labels[f.severity] ?? f.severity}: ${f.message}${f.hint ? ` (${f.hint})` : ''} `;
      const ref = document.createElement('span');
      ref.className = 'govuk-body-s cf-finding__ref';
      ref.textContent = `(${f.reference})`;
      li.append(tag, text, ref);
      ul.append(li);
    }
    panel.append(h, ul);
  };
  const check = async () => {
    const mine = ++seq;
    const body = new URLSearchParams(new FormData(form));
    const token = body.get('_csrf') ?? '';
    try {
      const res = await fetch(form.dataset.checkUrl, {
        method: 'POST', body, headers: { 'x-csrf-token': token, accept: 'application/json' }, credentials: 'same-origin',
      });
      if (!res.ok || mine !== seq) return;
      const result = await res.json();
      show(result.findings ?? []);
    } catch {
      // a failed check only means no early warning; the server checks again on submit
    }
  };
  form.addEventListener('change', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
}

// Idle timeout: warn two minutes before the session ends, and let the user stay signed in.
const idle = document.getElementById('cf-idle');
if (idle) {
  const seconds = Number(idle.dataset.idleSeconds);
  if (seconds > 180) {
    setTimeout(() => {
      const banner = document.createElement('div');
      banner.className = 'govuk-notification-banner';
      banner.setAttribute('role', 'alert');
      banner.innerHTML = '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">You will be signed out in 2 minutes because you have not done anything.</p><p class="govuk-body"><a class="govuk-notification-banner__link" href="">Stay signed in</a></p></div>';
      banner.querySelector('a').addEventListener('click', (e) => {
        e.preventDefault();
        fetch(window.location.href, { credentials: 'same-origin' }).then(() => banner.remove());
      });
      document.querySelector('main')?.prepend(banner);
    }, (seconds - 120) * 1000);
  }
}

// The import form: upload in the background and show the rows read while it runs, then open the report.
const upload = document.getElementById('upload-form');
if (upload) {
  upload.addEventListener('submit', (event) => {
    const file = upload.querySelector('input[type=file]');
    if (!file || file.files.length === 0) return; // let the server say what is missing
    event.preventDefault();
    const id = upload.querySelector('input[name=importId]').value;
    const box = document.getElementById('upload-progress');
    const bar = document.getElementById('upload-progress-bar');
    const text = document.getElementById('upload-progress-text');
    box.hidden = false;
    bar.removeAttribute('value'); // indeterminate until the first count
    let done = false;
    const poll = async () => {
      if (done) return;
      try {
        const res = await fetch(`${upload.dataset.statusUrl}${id}/status`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
        if (res.ok) {
          const s = await res.json();
          text.textContent = `${s.counts.read} rows read, ${s.counts.rejected} rejected`;
        }
      } catch {
        // the next poll tries again
      }
      setTimeout(poll, 500);
    };
    setTimeout(poll, 300);
    fetch(upload.action, { method: 'POST', body: new FormData(upload), credentials: 'same-origin' }).then((res) => {
      done = true;
      window.location.assign(res.redirected ? res.url : `/uploads/${id}`);
    }, () => {
      done = true;
      window.location.assign(`/uploads/${id}`);
    });
  });
}
