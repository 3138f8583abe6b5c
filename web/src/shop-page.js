// Demo "Sign in" control in the shop header. Uses the page server's demo
// endpoints; the returned token is attached to chat messages.

import * as store from './store.js';

async function getJson(url, init) {
  const res = await fetch(url, { headers: { Accept: 'application/json', ...(init && init.headers) }, ...init });
  return res;
}

export class DemoSignIn {
  constructor(root, { onChange }) {
    this.root = root;
    this.onChange = onChange;
    this.select = root.querySelector('[data-testid="signin-select"]');
    this.button = root.querySelector('[data-testid="signin-button"]');
    this.signedInAs = root.querySelector('[data-testid="signed-in-as"]');
    this.signOut = root.querySelector('[data-testid="signout-button"]');
    this.signedOutBox = root.querySelector('[data-signin-form]');
    this.signedInBox = root.querySelector('[data-signed-in]');
    this.error = root.querySelector('[data-signin-error]');
    this.button.addEventListener('click', () => this.signIn());
    this.signOut.addEventListener('click', () => this.doSignOut());
  }

  async init(config) {
    this.render();
    if (!config || !config.demo_login) {
      this.root.hidden = !store.loadCustomer();
      return;
    }
    try {
      const res = await getJson('/api/demo/customers');
      const customers = res.ok ? await res.json() : [];
      this.fill(Array.isArray(customers) ? customers : []);
    } catch (err) {
      console.error('[shopassist] cannot load demo customers', err);
      this.fill([]);
    }
  }

  fill(customers) {
    this.select.replaceChildren();
    const placeholder = document.createElement('option');
    placeholder.value = '';
    placeholder.textContent = customers.length ? 'Choose a demo customer…' : 'No demo customers';
    this.select.appendChild(placeholder);
    for (const c of customers) {
      if (!c || typeof c.email !== 'string') continue;
      const opt = document.createElement('option');
      opt.value = c.email;
      opt.textContent = c.name ? `${c.name} (${c.email})` : c.email;
      this.select.appendChild(opt);
    }
    this.root.hidden = customers.length === 0 && !store.loadCustomer();
  }

  showError(message) {
    this.error.textContent = message || '';
    this.error.hidden = !message;
  }

  async signIn() {
    const email = this.select.value;
    if (!email) return this.showError('Choose a customer first.');
    this.button.disabled = true;
    this.showError('');
    try {
      const res = await getJson('/api/demo/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      if (res.status === 404) return this.showError('Unknown demo customer.');
      if (res.status === 503) return this.showError('Demo sign-in is not configured on this server.');
      if (!res.ok) return this.showError(`Sign-in failed (HTTP ${res.status}).`);
      const data = await res.json();
      if (!data || typeof data.token !== 'string') return this.showError('Sign-in failed.');
      store.saveCustomer({ token: data.token, email: data.email || email, name: data.name || data.email || email });
      this.render();
      this.onChange({ signedOut: false });
    } catch (err) {
      console.error('[shopassist] sign-in failed', err);
      this.showError('Sign-in failed: server unreachable.');
    } finally {
      this.button.disabled = false;
    }
  }

  async doSignOut() {
    store.saveCustomer(null);
    this.render();
    this.onChange({ signedOut: true });
    try {
      await fetch('/api/demo/logout', { method: 'POST' });
    } catch (err) {
      /* signing out locally is what matters */
    }
  }

  render() {
    const c = store.loadCustomer();
    this.signedInBox.hidden = !c;
    this.signedOutBox.hidden = !!c;
    this.signedInAs.textContent = c ? `Signed in as ${c.name || c.email}` : '';
    if (c) this.showError('');
  }
}
