/** The customer's onboarding: the strategy recommendation of the Amazon profile analysis, with its reasons. */
import { api, ApiError } from '../api.ts';
import { el } from '../dom.ts';
import { isMessageKey, label, t } from '../i18n.ts';
import { recommendationReasons, type ExplainedRecommendation } from '../i18n-reasons.ts';
import { errorBox, section } from './common.ts';

interface Onboarding {
  readonly analysis: { readonly status: string; readonly reason?: string | null; readonly source?: string } | null;
  readonly recommendation:
    | (ExplainedRecommendation & {
        readonly overall: string;
        readonly segments: readonly (ExplainedRecommendation & { readonly segment: string; readonly skus: number; readonly strategy: string })[];
      })
    | null;
}

/** `private-label` → *Own brands*; a segment this app does not know yet as its code. */
function segmentName(segment: string): string {
  const key = `onb.segmentName.${segment}`;
  return isMessageKey(key) ? t(key) : segment;
}

export async function renderOnboarding(tenantId: string): Promise<HTMLElement> {
  let body: HTMLElement;
  try {
    const o = await api<Onboarding>(`/customers/${encodeURIComponent(tenantId)}/onboarding`);
    if (o.recommendation) {
      const r = o.recommendation;
      body = el(
        'div',
        { id: 'recommendation' },
        el('p', { text: t('onb.recommended', { strategy: label('strategy', r.overall) }) }),
        el('ul', { id: 'recommendation-reasons' }, ...recommendationReasons(r).map((reason) => el('li', { text: reason }))),
        ...r.segments.map((s) => el('p', { class: 'segment-reasons', text: `${t('onb.segment', { segment: segmentName(s.segment), skus: s.skus, strategy: label('strategy', s.strategy) })} — ${recommendationReasons(s).join(' ')}` })),
        ...(o.analysis?.source === 'simulated' ? [el('p', { class: 'muted', text: t('onb.simulated') })] : []),
      );
    } else if (o.analysis) {
      body = el('p', { id: 'recommendation', text: t('onb.analysis', { status: label('analysis', o.analysis.status) }) + (o.analysis.reason ? `: ${o.analysis.reason}` : '') });
    } else {
      body = el('p', { id: 'recommendation', class: 'muted', text: t('onb.none') });
    }
  } catch (error) {
    body = error instanceof ApiError && error.status === 404 ? el('p', { class: 'muted', text: t('onb.none') }) : errorBox(error);
  }
  return section('onboarding', t('onb.title'), body);
}
