// show(value): a value that came from a file, an address or a call, spelled for an error
// message. It is the value's JSON (strings quoted, so "float64" and "" and " 3" read as
// what they are), cut to a readable length with '…', and never mangled or thrown by what
// JSON cannot spell: undefined, NaN, Infinity, -Infinity and -0 come out as JavaScript
// writes them (in an array or an object too, where JSON would write null or leave the
// key out), a BigInt as 12n, a symbol as Symbol(x), a function as <function f>, a cycle
// as <circular>, a typed array like an array and an ArrayBuffer by its size. Every error
// message of the library and the page that quotes such a value goes through here.

export const SHOW_LIMIT = 72;

// Stops the walk once the text is longer than the limit (a huge array costs no more
// than a short one).
class Full extends Error {}

export function show(value, limit = SHOW_LIMIT) {
  const parts = [];
  let length = 0;
  const put = (s) => {
    parts.push(s);
    length += s.length;
    if (length > limit) throw new Full();
  };
  const ancestors = new Set();

  const number = (n) => (Object.is(n, -0) ? '-0' : String(n));
  function walk(v) {
    if (v === undefined) return put('undefined');
    if (v === null) return put('null');
    switch (typeof v) {
      case 'string':
        // Only as much of a long string as can show.
        return put(JSON.stringify(v.length > limit ? v.slice(0, limit) : v));
      case 'number':
        return put(number(v));
      case 'boolean':
        return put(String(v));
      case 'bigint':
        return put(`${v}n`);
      case 'symbol':
        return put(v.toString());
      case 'function':
        return put(v.name ? `<function ${v.name}>` : '<function>');
    }
    if (ancestors.has(v)) return put('<circular>');
    if (v instanceof ArrayBuffer) return put(`<ArrayBuffer of ${v.byteLength} bytes>`);
    if (v instanceof Map || v instanceof Set) return put(`<${v.constructor.name} of ${v.size}>`);
    ancestors.add(v);
    try {
      if (typeof v.toJSON === 'function') return walk(v.toJSON());
      if (Array.isArray(v) || ArrayBuffer.isView(v)) {
        if (v instanceof DataView) return put(`<DataView of ${v.byteLength} bytes>`);
        put('[');
        for (let i = 0; i < v.length; i++) {
          if (i) put(',');
          walk(v[i]);
        }
        return put(']');
      }
      put('{');
      let first = true;
      for (const key of Object.keys(v)) {
        if (!first) put(',');
        first = false;
        put(`${JSON.stringify(key.length > limit ? key.slice(0, limit) : key)}:`);
        let item;
        try {
          item = v[key];
        } catch {
          put('<unreadable>');
          continue;
        }
        walk(item);
      }
      return put('}');
    } finally {
      ancestors.delete(v);
    }
  }

  try {
    walk(value);
  } catch (error) {
    // A proxy or a toJSON that throws: show what was spelled before it.
    if (!(error instanceof Full)) parts.push('<unreadable>');
  }
  const text = parts.join('');
  if (text.length <= limit) return text;
  // Cut, and never between the two halves of a surrogate pair.
  let end = limit - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
