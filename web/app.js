// Deskwire dashboard front end: plain DOM, no framework, no third-party hosts.
'use strict';

const $ = (id) => document.getElementById(id);

function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
}

function renderGuilds(guilds) {
  const list = $('guilds');
  list.replaceChildren();
  if (guilds.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'You do not manage any server yet.';
    list.append(li);
    return;
  }
  for (const g of guilds) {
    const li = document.createElement('li');
    li.dataset.guildId = g.id;
    const name = document.createElement('span');
    name.className = 'guild-name';
    name.textContent = g.name; // textContent: guild names are user content and never parsed as HTML
    const badge = document.createElement('span');
    badge.className = g.installed ? 'badge installed' : 'badge';
    badge.textContent = g.installed ? 'Deskwire active' : 'Not added';
    li.append(name, badge);
    list.append(li);
  }
}

async function load() {
  let res;
  try {
    res = await fetch('/api/me', { credentials: 'same-origin' });
  } catch {
    showError('Cannot reach the Deskwire API. Check your connection and reload.');
    return;
  }
  if (res.status === 401) {
    $('signed-out').hidden = false;
    return;
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    showError(body.message || `The dashboard API answered ${res.status}.`);
    return;
  }
  const me = await res.json();
  $('username').textContent = me.user.username;
  $('account').hidden = false;
  $('signed-in').hidden = false;
  renderGuilds(me.guilds);
}

$('logout').addEventListener('click', async () => {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  window.location.reload();
});

void load();
