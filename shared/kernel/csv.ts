/**
 * One CSV cell for a file a spreadsheet will open. Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is a formula to Excel and LibreOffice (a SKU such as `=HYPERLINK(…)` would run when the export is
 * opened), so it is prefixed with `'`, which shows as text (OWASP "CSV injection"). Quotes as RFC 4180 needs.
 */
export function csvCell(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}
