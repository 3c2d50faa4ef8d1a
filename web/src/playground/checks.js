// Checking one value from an address, a form or a command against its field.
import { show } from '../../lib/layers_api.js';

// Checks one value against its field; returns the value or throws naming what was wrong.
export function checkValue(name, spec, raw) {
  // A value with its own reading (a schedule, class weights): spec.parse checks it.
  if (spec.kind === 'custom') return spec.parse(name, raw);
  if (spec.kind === 'bool') {
    if ([true, 'true', '1'].includes(raw)) return true;
    if ([false, 'false', '0'].includes(raw)) return false;
    throw new Error(`${name} must be true or false; got ${show(raw)}`);
  }
  if (spec.kind === 'list') {
    // Some of the options, once each, in order: "x1,x2" or ['x1', 'x2'].
    const items = Array.isArray(raw)
      ? raw
      : String(raw ?? '')
          .split(',')
          .filter(Boolean);
    const unknown = items.filter((item) => !spec.options.includes(item));
    if (unknown.length)
      throw new Error(
        `${name}: ${unknown.map((item) => show(item)).join(', ')} unknown; expected some of ${spec.options.join(', ')}`,
      );
    if (items.length === 0) throw new Error(`${name}: choose at least one of ${spec.options.join(', ')}`);
    if (new Set(items).size !== items.length) throw new Error(`${name}: each may be chosen once; got ${show(items)}`);
    return [...items];
  }
  if (spec.kind === 'text') {
    const text = String(raw ?? '').trim();
    if (text.length > spec.max) throw new Error(`${name} must be at most ${spec.max} characters; got ${text.length}`);
    return text;
  }
  if (spec.kind === 'choice') {
    if (!spec.options.includes(raw))
      throw new Error(`${name} ${show(raw)} is unknown; expected one of ${spec.options.join(', ')}`);
    return raw;
  }
  const value = typeof raw === 'number' ? raw : raw === '' || raw == null ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number; got ${show(raw)}`);
  if (spec.kind === 'int' && !Number.isInteger(value))
    throw new Error(`${name} must be a whole number; got ${show(raw)}`);
  if (value < spec.min || value > spec.max)
    throw new Error(`${name} must be from ${spec.min} to ${spec.max}; got ${show(raw)}`);
  return value;
}
