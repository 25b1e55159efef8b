/** Languages our customers and CSM staff speak (ISO 639-1). Unknown codes are rejected at every boundary. */
export const LANGUAGES = {
  de: 'German',
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  tr: 'Turkish',
  nl: 'Dutch',
  pl: 'Polish',
  sv: 'Swedish',
  pt: 'Portuguese',
  ja: 'Japanese',
  ar: 'Arabic',
  mr: 'Marathi',
  hi: 'Hindi',
} as const;

export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as [Language, ...Language[]];
