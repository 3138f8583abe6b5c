// Entry point of static/build/chat.js. Mounts the chat widget on
// [data-shopassist-chat] and the demo sign-in on [data-shopassist-signin].
// Exposes window.ShopAssistChat for pages that want to mount it themselves.

import './widget.css';
import { ShopAssistChat } from './widget.js';
import { DemoSignIn } from './shop-page.js';
import * as store from './store.js';

async function loadConfig(url) {
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

function boot() {
  const chatRoot = document.querySelector('[data-shopassist-chat]');
  const signinRoot = document.querySelector('[data-shopassist-signin]');
  const configUrl = (chatRoot && chatRoot.dataset.configUrl) || '/api/chat-config';
  let chat = null;
  if (chatRoot) {
    // data-open-on-load="true": the page wants the chat open proactively.
    const openOnLoad = chatRoot.dataset.openOnLoad === 'true';
    chat = new ShopAssistChat(chatRoot, { configUrl, openOnLoad, getCustomer: () => store.loadCustomer() });
    chat.start();
    window.shopAssistChat = chat;
  }
  if (signinRoot) {
    const signin = new DemoSignIn(signinRoot, { onChange: (change) => chat && chat.onIdentityChanged(change) });
    loadConfig(configUrl).then((config) => signin.init(config));
  }
}

window.ShopAssistChat = ShopAssistChat;
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
