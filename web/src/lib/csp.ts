// The style nonce the service put into this page (its CSP allows only <style> elements
// carrying it): antd's CSS-in-JS gets it through ConfigProvider; libraries that write a
// <style> without asking (rc-util's scrollbar measurement under antd's Table) get it
// here, when the element is inserted. Served by Vite's dev server there is no nonce and no CSP.
const meta = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content');
export const STYLE_NONCE = meta && !meta.startsWith('__') ? meta : undefined;

if (STYLE_NONCE) {
  const nonce = STYLE_NONCE;
  const withNonce = (node: Node) => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = nonce;
  };
  const append = Node.prototype.appendChild;
  const insert = Node.prototype.insertBefore;
  Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
    withNonce(node);
    return append.call(this, node) as T;
  };
  Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
    withNonce(node);
    return insert.call(this, node, child) as T;
  };
}
