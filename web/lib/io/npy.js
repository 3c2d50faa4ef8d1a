// NumPy's file formats, written and read: a .npy file is a magic string, a version, a
// Python-literal header (dtype, order, shape) padded so the data starts on a 64-byte
// boundary, then the values in little-endian order; a .npz file is a zip of .npy files
// (numpy.load reads it as a dictionary of arrays).
import { unzipSync, zipSync } from 'fflate';
import { show } from '../show.js';

// The dtypes written and read: NumPy's name, and the typed array that holds them.
const DTYPES = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '<i4': Int32Array,
  '|u1': Uint8Array,
};
const dtypeOf = (values) => Object.keys(DTYPES).find((d) => values instanceof DTYPES[d]);

const MAGIC = [0x93, ...'NUMPY'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)));

// One array as a .npy file (version 1.0): values a Float32Array, Float64Array, Int32Array
// or Uint8Array holding shape's product of values.
export function encodeNpy(values, shape) {
  const dtype = dtypeOf(values);
  if (!dtype)
    throw new Error(
      `encodeNpy: values must be a Float32Array, Float64Array, Int32Array or Uint8Array; got ${values?.constructor?.name ?? typeof values}`,
    );
  const size = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || size !== values.length)
    throw new Error(`encodeNpy: shape ${show(shape)} holds ${size} values but ${values.length} were given`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + header length (2) + header + '\n', a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set(MAGIC, 0);
  out.set([1, 0, header.length & 0xff, header.length >> 8], 6);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // Typed arrays are little-endian on every platform a browser runs on.
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}

// A .npy file's {values, shape, dtype}; a file this reader cannot take is refused by name.
export function decodeNpy(bytes, name = 'array') {
  if (!(bytes instanceof Uint8Array) || bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error(`${show(name)}: not a NumPy .npy file (it does not start with \\x93NUMPY)`);
  const major = bytes[6];
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = bytes[8] + (bytes[9] << 8) + (lengthBytes === 4 ? (bytes[10] << 16) + (bytes[11] << 24) : 0);
  const start = 8 + lengthBytes;
  if (bytes.length < start + headerLength) throw new Error(`${show(name)}: the .npy header is cut short`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const dtype = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!Object.hasOwn(DTYPES, dtype) || fortran || shapeText === undefined)
    throw new Error(
      `${show(name)}: a .npy file of dtype ${show(dtype)} in ${fortran ? 'Fortran' : 'C'} order; expected one of ${Object.keys(DTYPES).join(', ')} in C order`,
    );
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const Type = DTYPES[dtype];
  const size = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  if (bytes.length - offset < size * Type.BYTES_PER_ELEMENT)
    throw new Error(
      `${show(name)}: shape ${show(shape)} needs ${size * Type.BYTES_PER_ELEMENT} bytes of data; the file has ${bytes.length - offset}`,
    );
  // A copy, so that the values are aligned whatever the header's length.
  const values = new Type(bytes.slice(offset, offset + size * Type.BYTES_PER_ELEMENT).buffer);
  return { values, shape, dtype };
}

// {name: {values, shape}} as a .npz file (each array name.npy in a zip, compressed).
export function encodeNpz(arrays) {
  const files = {};
  for (const [name, { values, shape }] of Object.entries(arrays)) files[`${name}.npy`] = encodeNpy(values, shape);
  return zipSync(files, { level: 6 });
}

// A .npz file's arrays: {name: {values, shape, dtype}}.
export function decodeNpz(bytes) {
  let files;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(`not a .npz file (a zip of .npy files): ${error.message}`);
  }
  return Object.fromEntries(
    Object.entries(files)
      .filter(([file]) => file.endsWith('.npy'))
      .map(([file, data]) => [file.slice(0, -4), decodeNpy(data, file)]),
  );
}
