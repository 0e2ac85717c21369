/**
 * A few DOM helpers: build elements from tag, attributes and children, with text always set as text
 * (never parsed as HTML), so a value from the server cannot become markup.
 */

/** Attributes of {@link h}: strings set as attributes, `true` as an empty attribute, `false`/`undefined` left out. */
export type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

/** A child of {@link h}: a node, text, or nothing. */
export type Child = Node | string | number | false | null | undefined;

/** Creates an element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | readonly Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (flattening arrays, skipping empty ones). */
export function append(parent: Node, children: readonly (Child | readonly Child[])[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else if (child !== false && child !== null && child !== undefined) parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: (Child | readonly Child[])[]): void {
  parent.textContent = '';
  append(parent, children);
}

/** The element with this id, of the expected type; throws when the page does not have it (a build error, not user input). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no element #${id}`);
  return element as T;
}
