import { describe, expect, it } from 'vitest';
import { formatMinor, parseCurrency, parseDecimalToMinor, percentOf, money } from '#shared/kernel/money.ts';
import { ValidationError } from '#shared/kernel/errors.ts';

describe('money', () => {
  it('parses decimal strings into exact minor units', () => {
    expect(parseDecimalToMinor('8.00', 'EUR')).toBe(800);
    expect(parseDecimalToMinor('15', 'EUR')).toBe(1500);
    expect(parseDecimalToMinor('0.1', 'EUR')).toBe(10);
    expect(parseDecimalToMinor('-3.20', 'GBP')).toBe(-320);
    expect(parseDecimalToMinor('1234', 'JPY')).toBe(1234);
    expect(parseDecimalToMinor('8,50', 'EUR', { allowDecimalComma: true })).toBe(850);
  });

  it('rejects more decimals than the currency has, and non-numbers, naming the field', () => {
    expect(() => parseDecimalToMinor('8.001', 'EUR', { field: 'min' })).toThrow(/min: .*more than 2 decimals/);
    expect(() => parseDecimalToMinor('12.5', 'JPY')).toThrow(ValidationError);
    expect(() => parseDecimalToMinor('1e3', 'EUR')).toThrow(/not a decimal amount/);
    expect(() => parseDecimalToMinor('8,50', 'EUR')).toThrow(ValidationError);
  });

  it('formats minor units with the currency decimals', () => {
    expect(formatMinor(800, 'EUR')).toBe('8.00');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(-1999, 'USD')).toBe('-19.99');
    expect(formatMinor(1500, 'JPY')).toBe('1500');
  });

  it('knows marketplace currencies and rejects unknown ones', () => {
    expect(parseCurrency('eur')).toBe('EUR');
    expect(() => parseCurrency('XYZ')).toThrow(/currency: unknown currency "XYZ"/);
  });

  it('takes percentages in basis points, rounding to whole minor units', () => {
    expect(percentOf(money(1001, 'EUR'), 2500).minor).toBe(250);
    expect(percentOf(money(1002, 'EUR'), 2500).minor).toBe(251);
    expect(() => money(1.5, 'EUR')).toThrow(ValidationError);
  });
});
