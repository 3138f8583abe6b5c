// The assistant's and agents' text as Markdown: paragraphs, line breaks, lists, bold,
// italics and links (markdown-it, see web/README.md). Raw HTML in the text is never
// markup (`html: false`: it is shown escaped), links pass markdown-it's own check
// (no javascript:, vbscript:, file: or data: targets) and ours (safeUrl: http(s) or a
// same-origin path), and open in a new tab without access to this page.
import MarkdownIt from 'markdown-it';
// render.js imports this module too: both functions are only called after loading.
import { escapeHtml, safeUrl } from './render.js';

const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
// Only what replies use: no headings, images, tables, code blocks or block quotes.
md.enable(['paragraph', 'newline', 'list', 'emphasis', 'link', 'linkify', 'autolink', 'escape', 'backticks', 'entity']);
md.validateLink = (url) => safeUrl(url) !== null;
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

md.renderer.rules.link_open = (tokens, idx) => {
  const href = tokens[idx].attrGet('href');
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer nofollow">`;
};

// Replies are written as plain text too (REST, the shell): there a line that follows a
// list without being an item ends the list ("Tap one for details."). Markdown would read
// it as part of the last item, so it gets the blank line Markdown needs.
const AFTER_LIST = /^(\s*(?:[-*+]|\d{1,3}[.)])\s.*)\n(?=\S)(?!(?:[-*+]|\d{1,3}[.)])\s)/gm;

export function markdownToHtml(text) {
  return md.render(String(text ?? '').replace(AFTER_LIST, '$1\n\n')).trim();
}
