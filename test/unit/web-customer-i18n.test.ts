import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGES, setLanguage } from '../../web/src/i18n.ts';
import { reasonText } from '../../web/src/views/repricer-reasons.ts';
import { reportCheck, reportKind } from '../../web/src/views/report-check.ts';
import { ReasonCode, NO_CEILING, type ReasonCodeName } from '#shared/repricer/types.ts';
import { renderReason } from '#shared/repricer/reasons.ts';
import { REPORT_TYPES } from '#shared/lost-and-found/report-types.ts';
import { evidenceDetailText, type EvidenceDetail } from '#shared/lost-and-found/evidence-detail.ts';

afterAll(() => {
  setLanguage('en');
});

const EVIDENCE_SAMPLES: EvidenceDetail[] = [
  { code: 'ledger_adjustment', params: { reason: 'M' } },
  { code: 'return_disposition', params: { disposition: 'CUSTOMER_DAMAGED' } },
  { code: 'refund_principal', params: { msku: 'SKU-1' } },
  { code: 'fee_charged', params: { msku: 'SKU-1', charged: 512, expected: 401 } },
  { code: 'size_tier_charged', params: { msku: 'SKU-1', charged: 512, statedTier: 'Standard', measuredTier: 'Small' } },
  { code: 'inbound_received', params: { shipped: 10, received: 8 } },
  { code: 'removal_order', params: { orderType: 'Return', status: 'Completed' } },
  { code: 'removal_shipped', params: { tracking: '0034' } },
  { code: 'replacement_order', params: { replacementOrderId: '302-1' } },
  { code: 'reimbursement_reversal', params: { reason: 'Reimbursement_Reversal', originalReimbursementId: '1' } },
  { code: 'reimbursement_reversed', params: { reason: 'Lost_Warehouse' } },
  { code: 'reimbursement_per_unit', params: { reason: 'Lost_Warehouse', perUnit: '3.10', currency: 'EUR' } },
];

describe('the customer side words every code the server sends beside its English sentences', () => {
  for (const language of LANGUAGES) {
    it(`words every repricer reason, report type and report problem in ${language}`, () => {
      setLanguage(language);
      for (const code of Object.keys(ReasonCode) as ReasonCodeName[]) {
        for (const params of [[1250, 30, 5] as const, [1250, 1300, NO_CEILING] as const, [1250, 1300, 2] as const]) {
          // The server's English is the fallback: a worded reason is never it, and fills every placeholder.
          const worded = reasonText({ code, params, dryRun: false }, 'SERVER-ENGLISH', 'EUR');
          expect(worded, code).not.toBe('SERVER-ENGLISH');
          expect(worded, code).not.toMatch(/\{\w\}|undefined|NaN/);
          expect(renderReason(code, params, 'EUR')).not.toMatch(/^reason /);
        }
      }
      expect(reasonText({ code: 'Fixed', params: [1234, 0, 0], dryRun: true }, 'x', 'EUR')).toMatch(language === 'en' ? /^Fixed price €12\.34 \[dry run: not sent\]$/ : /^Festpreis 12,34\s€ \[Testlauf: nicht gesendet\]$/);
      // Without a code (a parked push), the server's sentence.
      expect(reasonText(null, 'push of 1234 parked', 'EUR')).toBe('push of 1234 parked');
      for (const type of REPORT_TYPES) expect(reportKind(type), type).not.toBe(type);
      for (const code of ['unreadable', 'empty', 'unknown_report', 'missing_columns']) {
        const check = reportCheck({ fileName: 'f', bytes: 1, type: 'unknown', problem: { code, params: { error: 'e', columns: ['quantity'] }, message: 'ENGLISH' } });
        expect(check.ok).toBe(false);
        expect(check.text, code).not.toContain('ENGLISH');
      }
    });
  }

  it('has German words for every evidence detail code, and the English the case text quotes', async () => {
    const { isMessageKey, t } = await import('../../web/src/i18n.ts');
    setLanguage('de');
    for (const sample of EVIDENCE_SAMPLES) {
      const key = `ev.${sample.code}`;
      expect(isMessageKey(key), key).toBe(true);
      if (isMessageKey(key)) expect(t(key, sample.params as Record<string, string | number>)).not.toMatch(/\{\w+\}/);
      expect(evidenceDetailText(sample).length).toBeGreaterThan(0);
    }
  });
});
