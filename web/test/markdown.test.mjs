// The assistant's text as Markdown (src/markdown.js): lists, bold and links drawn,
// and nothing in it can run: no raw HTML, no javascript: link.
import test from 'node:test';
import assert from 'node:assert/strict';
import { markdownToHtml } from '../src/markdown.js';
import { entryToHtml } from '../src/render.js';

test('lists, bold and links are drawn', () => {
  const html = markdownToHtml('Here is what I found:\n- **Sonora Studio Headphones**: $59.99\n- Auralis Kids Headphones\n\nSee [returns](https://shop.example/returns).');
  assert.match(html, /<ul>\s*<li><strong>Sonora Studio Headphones<\/strong>: \$59.99<\/li>\s*<li>Auralis Kids Headphones<\/li>\s*<\/ul>/);
  assert.ok(html.includes('<a href="https://shop.example/returns" target="_blank" rel="noopener noreferrer nofollow">returns</a>'), html);
  assert.match(markdownToHtml('1. one\n2. two'), /<ol>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ol>/);
});

test('single line breaks are kept, bare URLs become links', () => {
  const html = markdownToHtml('line one\nline two https://example.com/a?b=1&c=2.');
  assert.ok(html.includes('line one<br>'), html);
  assert.ok(html.includes('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">'), html);
});

test('a <script> or an event handler in the text stays text', () => {
  for (const attack of ['<script>window.hacked = 1</script>', '<img src=x onerror="window.hacked=1">', '**<b onclick=alert(1)>x</b>**']) {
    const html = markdownToHtml(attack);
    assert.ok(!/<script|<img|<b /i.test(html), html);
    assert.ok(html.includes('&lt;'), html);
  }
});

test('a javascript:, data: or protocol-relative link stays inert', () => {
  for (const attack of [
    '[click](javascript:alert(1))', '[click](JavaScript:alert(1))', '[click](  javascript:alert(1))',
    '<javascript:alert(1)>', '[click](data:text/html;base64,PHNjcmlwdD4=)', '[click](//evil.example/x)',
    '[click](vbscript:msgbox(1))', '[click](java&#x09;script:alert(1))',
  ]) {
    const html = markdownToHtml(attack);
    assert.ok(!/href=/i.test(html), `${attack} -> ${html}`);
  }
});

test("the assistant's bubbles render Markdown; the customer's own text never does", () => {
  const bot = entryToHtml({ id: 'b', role: 'bot', kind: 'text', text: '**Shipped** <script>x</script>' });
  assert.ok(bot.includes('<strong>Shipped</strong>') && bot.includes('&lt;script&gt;') && !bot.includes('<script>'), bot);
  const user = entryToHtml({ id: 'u', role: 'user', kind: 'text', text: '**hi** [x](https://a.example)' });
  assert.ok(user.includes('**hi**') && !user.includes('<strong>'), user);
});

test('a plain line after a list ends the list, as it reads in plain text', () => {
  const html = markdownToHtml("Here's what I found:\n- A: $1\n- B: $2\nTap one for details.");
  assert.match(html, /<\/ul>\s*<p>Tap one for details\.<\/p>$/);
  assert.equal((html.match(/<li>/g) || []).length, 2);
});
