// The procedure's statechart as the API serves it (Mermaid), the referral's
// current state highlighted. Mermaid is large: loaded only with this component.
import { Alert, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authorizedFetch } from '../api/client';
import { insertSvg } from '../lib/csp';

/** Mermaid's state ids: `procuratorial-supervision.reasons-required` → procuratorial_supervision__reasons_required. */
export function mermaidIds(stateDetail: string): string[] {
  const path = stateDetail.split('.').map((s) => s.replace(/-/g, '_'));
  return path.map((_, i) => path.slice(0, i + 1).join('__'));
}

export function highlight(diagram: string, stateDetail: string): string {
  const ids = mermaidIds(stateDetail);
  return `${diagram.trimEnd()}\n  classDef current fill:#ffd666,stroke:#ad6800,stroke-width:3px,color:#000\n${ids.map((id) => `  class ${id} current`).join('\n')}\n`;
}

export function Statechart({ stateDetail }: { stateDetail: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const id = `statechart-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [error, setError] = useState<string | null>(null);
  const diagram = useQuery({
    queryKey: ['workflow-diagram', 'referral'],
    queryFn: async () => (await authorizedFetch('/api/v1/workflows/referral/diagram')).text(),
    staleTime: Infinity,
  });

  useEffect(() => {
    if (!diagram.data || !ref.current) return;
    let cancelled = false;
    void (async () => {
      try {
        // Mermaid's 'strict' level runs DOMPurify over the SVG, whose <style> (without the nonce) the CSP then
        // reports as a violation. The text comes from our API, generated from the machine; markup or click
        // directives in it are refused here instead, and the SVG is inserted without scripts (insertSvg).
        if (/[<&]|^\s*(click|href|callback)\b|javascript:/im.test(diagram.data))
          throw new Error('unexpected markup in the diagram');
        const mermaid = (await import('mermaid')).default;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'loose', theme: 'neutral' });
        const { svg } = await mermaid.render(id, highlight(diagram.data, stateDetail));
        if (!cancelled && ref.current) insertSvg(ref.current, svg);
      } catch (e) {
        if (!cancelled) setError((e as Error).message);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [diagram.data, stateDetail, id]);

  if (error) return <Alert type="warning" title={error} />;
  const caption = t('referral.diagramCurrent', { state: t(`state.${stateDetail.split('.')[0]}`) });
  return (
    <figure style={{ margin: 0 }}>
      <figcaption style={{ marginBottom: 8 }}>{caption}</figcaption>
      {/* wider than a phone: scrolls sideways, also from the keyboard */}
      <div className="caselink-statechart-scroll" tabIndex={0} aria-label={t('referral.diagram')}>
        <div ref={ref} className="caselink-statechart" role="img" aria-label={caption}>
          <Spin />
        </div>
      </div>
    </figure>
  );
}
