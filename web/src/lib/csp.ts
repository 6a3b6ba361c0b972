// The style nonce of this page load: the service puts it in the page (Vite's
// html.cspNonce meta tag) and allows only <style> elements that carry it.
export const cspNonce: string | undefined =
  (document.querySelector('meta[property="csp-nonce"]') as HTMLMetaElement | null)?.nonce || undefined;

/** SVG markup (Mermaid's, sanitized by it) inserted with the page's nonce on its <style> elements, so the CSP lets them apply. */
export function insertSvg(container: HTMLElement, markup: string): void {
  container.innerHTML = cspNonce ? markup.replace(/<style(?=[\s>])/g, `<style nonce="${cspNonce}"`) : markup;
}

/**
 * Every <style> element our scripts create gets the nonce (Mermaid and d3 add
 * theirs while laying a diagram out). Markup injected into the page is parsed
 * without these calls, so its <style> elements stay refused.
 */
export function nonceCreatedStyles(): void {
  if (!cspNonce) return;
  const nonce = cspNonce;
  const create = Document.prototype.createElement;
  const createNS = Document.prototype.createElementNS;
  Document.prototype.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    const el = create.call(this, tag, options);
    if (tag.toLowerCase() === 'style') el.setAttribute('nonce', nonce);
    return el;
  } as typeof create;
  Document.prototype.createElementNS = function (
    this: Document,
    ns: string | null,
    tag: string,
    options?: ElementCreationOptions,
  ) {
    const el = createNS.call(this, ns, tag, options as never);
    if (tag.toLowerCase() === 'style') el.setAttribute('nonce', nonce);
    return el;
  } as typeof createNS;
}
