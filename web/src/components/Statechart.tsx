// The procedure's statechart as the API serves it (Mermaid), the referral's
// current state highlighted. Mermaid is large: loaded only with this component.
import { Alert, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authorizedFetch } from '../api/client';
import { insertSvg } from '../lib/csp';
import { wordKey } from '../lib/workflows';

/** Mermaid's state ids: `procuratorial-supervision.reasons-required` → procuratorial_supervision__reasons_required. */
export function mermaidIds(stateDetail: string): string[] {
  const path = stateDetail.split('.').map((s) => s.replace(/-/g, '_'));
  return path.map((_, i) => path.slice(0, i + 1).join('__'));
}

export function highlight(diagram: string, stateDetail: string): string {
  const ids = mermaidIds(stateDetail);
  // The state itself in gold; the composite state around it (procuratorial supervision) only tinted.
  const classes = ids.map((id, i) => `  class ${id} ${i === ids.length - 1 ? 'current' : 'around'}`);
  return `${diagram.trimEnd()}\n  classDef current fill:#ffd666,stroke:#ad6800,stroke-width:3px,color:#000\n  classDef around fill:#fffbe6,stroke:#ad6800,stroke-width:2px\n${classes.join('\n')}\n`;
}

/** The API's diagram names states and events by their ids: shown in the chosen language instead. */
export function translateDiagram(diagram: string, t: (key: string, options: { defaultValue: string }) => string): string {
  const label = (s: string) => s.replace(/[":;]/g, ' ');
  return diagram
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*state )"([^"]+)"( as \S+)$/, (_, head: string, key: string, tail: string) => {
          const words = t(`state.${key}`, { defaultValue: t(`substate.${key}`, { defaultValue: key }) });
          return `${head}"${label(words)}"${tail}`;
        })
        .replace(
          /^(\s*\S+ --> \S+: )([A-Z_]+)$/,
          (_, head: string, event: string) => head + label(t(`event.${event}`, { defaultValue: event })),
        ),
    )
    .join('\n');
}

export function Statechart({ stateDetail, workflow = 'referral' }: { stateDetail: string; workflow?: string }) {
  const { t: tr } = useTranslation();
  // the workflow's own words for its states and events (lib/workflows.ts)
  const t = useCallback(
    (key: string, options?: { defaultValue?: string; state?: string }) =>
      /^(state|event|substate)\./.test(key) ? tr(wordKey(workflow, key), options ?? {}) : tr(key, options ?? {}),
    [tr, workflow],
  );
  const ref = useRef<HTMLDivElement>(null);
  const id = `statechart-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [error, setError] = useState<string | null>(null);
  const diagram = useQuery({
    queryKey: ['workflow-diagram', workflow],
    queryFn: async () => (await authorizedFetch(`/api/v1/workflows/${encodeURIComponent(workflow)}/diagram`)).text(),
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
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: 'loose', // strict mode trips the CSP; diagram text with markup is refused above
          theme: 'neutral',
          fontFamily: 'inherit',
          state: { useMaxWidth: false }, // drawn at its own size (readable), scrolled to the current state
        });
        const { svg } = await mermaid.render(id, highlight(translateDiagram(diagram.data, t), stateDetail));
        const box = ref.current;
        if (cancelled || !box) return;
        insertSvg(box, svg); // its <style> elements get the page's nonce
        const current = box.querySelectorAll('.current');
        const node = current[current.length - 1];
        if (node) {
          const b = box.getBoundingClientRect();
          const n = node.getBoundingClientRect();
          box.scrollLeft += n.left - b.left - b.width / 2 + n.width / 2;
          box.scrollTop += n.top - b.top - b.height / 2 + n.height / 2;
        }
      } catch (e) {
        if (!cancelled) setError((e as Error).message);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [diagram.data, stateDetail, id, t]);

  if (error) return <Alert type="warning" title={error} />;
  const caption = t('referral.diagramCurrent', { state: t(`state.${stateDetail.split('.')[0]}`) });
  return (
    <figure style={{ margin: 0 }}>
      <figcaption style={{ marginBottom: 8 }}>{caption}</figcaption>
      <div
        ref={ref}
        className="caselink-statechart"
        tabIndex={0} // scrolls: reachable by keyboard
        role="img"
        aria-label={t('referral.diagramCurrent', { state: t(`state.${stateDetail.split('.')[0]}`) })}
      >
        <Spin />
      </div>
    </figure>
  );
}
