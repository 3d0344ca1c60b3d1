// dom.js — build DOM nodes without HTML strings.
//
// el() is the only way views create markup: text always goes in as text
// nodes (textContent), never through innerHTML, so data from the API cannot
// inject markup or script. It refuses inline styles and on* handlers, which
// the Content-Security-Policy would block anyway.
//
// Must never depend on: api.js, i18n.js, any page module.

// el('td', {class: 'num', testid: 'x', 'aria-label': '…'}, 'text', childNode, …)
//   - attrs.class: class name(s); attrs.testid: sets data-testid;
//   - attrs.dataset: object of data-* values; attrs.hidden etc. as booleans
//     (true sets the attribute, false/null/undefined leaves it out);
//   - children: strings/numbers become text nodes, null/false are skipped,
//     arrays are flattened.
export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs ?? {})) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'style' || k.startsWith('on')) {
            throw new Error(`el(): attribute "${k}" is not allowed (CSP: use a class / addEventListener)`);
        }
        if (k === 'class') node.className = v;
        else if (k === 'testid') node.dataset.testid = v;
        else if (k === 'dataset') Object.assign(node.dataset, v);
        else node.setAttribute(k, v === true ? '' : String(v));
    }
    append(node, children);
    return node;
}

function append(node, children) {
    for (const c of children) {
        if (c === null || c === undefined || c === false) continue;
        if (Array.isArray(c)) append(node, c);
        else if (c instanceof Node) node.appendChild(c);
        else node.appendChild(document.createTextNode(String(c)));
    }
}

// Replace all children of node with the given children.
export function replaceChildren(node, ...children) {
    node.replaceChildren();
    append(node, children);
}

// The element with this data-testid inside root (default document), or throw:
// a missing mount point is a bug in index.html, not something to ignore.
export function byTestId(id, root = document) {
    const node = root.querySelector(`[data-testid="${id}"]`);
    if (!node) throw new Error(`no element with data-testid="${id}"`);
    return node;
}
