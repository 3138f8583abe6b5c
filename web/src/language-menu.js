// The chat's language menu: the five languages the assistant serves, each named in
// itself. The widget sends the page's language (<html lang>) with every message until
// the customer picks one here; from then on it sends the picked one, marked as chosen,
// and the assistant answers in it whatever the messages look like, until another is
// picked (shopassist/language/turns.py). The widget's own texts are English only.

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'zh', name: '中文' },
];

const CODES = new Set(LANGUAGES.map((l) => l.code));

// A served language from a code such as "de", "de-AT", "zh_CN" or "ZH-Hans"; else null
// (as shopassist.language.conversation.served reads it on the server).
export function served(code) {
  if (typeof code !== 'string') return null;
  const base = code.trim().replace(/_/g, '-').split('-')[0].toLowerCase();
  return CODES.has(base) ? base : null;
}

// What the menu shows: the customer's choice, else the page's language, else English.
export function shownLanguage(chosen, pageLanguage) {
  return served(chosen) || served(pageLanguage) || 'en';
}

// The language part of a message's metadata.
export function languageMetadata(chosen, pageLanguage) {
  const pick = served(chosen);
  if (pick) return { language: pick, language_chosen: true };
  const page = typeof pageLanguage === 'string' ? pageLanguage.trim() : '';
  return page ? { language: page } : {};
}

// A labelled native <select>: reachable with Tab, changed with the arrow keys, read out
// by screen readers with its label and each option in its own language.
export function buildLanguageMenu(doc, current, onChange) {
  const select = doc.createElement('select');
  select.className = 'sa-language';
  select.id = 'sa-language';
  select.setAttribute('data-testid', 'chat-language');
  select.setAttribute('aria-label', 'Chat language');
  select.title = 'Chat language';
  for (const { code, name } of LANGUAGES) {
    const option = doc.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = name;
    if (code === current) option.selected = true;
    select.appendChild(option);
  }
  select.addEventListener('change', () => onChange(select.value));
  return select;
}
