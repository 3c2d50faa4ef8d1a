// The text sets the page fetches, made from Debian packages (docs/data.md says where each
// comes from and under what licence), into web/public/data/text/:
//   kjv.txt.gz.bin    the King James Bible (bible-kjv-text): one verse per line, without
//                     the references, 4.2 MB of text, about 1.2 MB gzipped
//   words.json.gz.bin words of seven languages (wamerican, wfrench, wngerman, wspanish,
//                     witalian, wportuguese, wdutch): WORDS_PER_LANGUAGE of each, drawn
//                     with a seed, lower case, letters only, none in two languages
//   manifest.json     sizes and SHA-256 digests of both, as the MNIST manifests have
// Skipped when the manifest is newer than this script.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { seededRandom, shuffle } from '../web/lib/data/random.js';

export const WORDS_PER_LANGUAGE = 5000;
const WORDS_SEED = 7;
// Shorter words say too little of their language; longer ones are rare compounds.
const WORD_LENGTH = [3, 14];

// Code, name and Debian word list of each language.
export const LANGUAGES = [
  ['en', 'English', 'american-english'],
  ['fr', 'French', 'french'],
  ['de', 'German', 'ngerman'],
  ['es', 'Spanish', 'spanish'],
  ['it', 'Italian', 'italian'],
  ['pt', 'Portuguese', 'portuguese'],
  ['nl', 'Dutch', 'dutch'],
];

// The Bible's text, one verse per line: `bible -f` prints each verse after its reference
// ("Ge1:1 In the beginning ...").
export function bibleText() {
  const printed = execFileSync('bible', ['-f', 'Gen1:1-Rev22:21'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const verses = printed.split('\n').filter((line) => line.trim());
  const text = verses.map((line) => line.replace(/^\S*\d+:\d+ /, '').trim()).join('\n');
  if (verses.length !== 31102) throw new Error(`bible printed ${verses.length} verses; the KJV has 31102`);
  return `${text}\n`;
}

// A word list's plain words in lower case: letters only (a capital first letter allowed,
// as German nouns have), no abbreviations, possessives or hyphenated forms.
function plainWords(path) {
  const words = new Set();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const word = line.trim();
    if (!/^\p{Lu}?\p{Ll}+$/u.test(word)) continue;
    const lower = word.toLowerCase();
    if (lower.length >= WORD_LENGTH[0] && lower.length <= WORD_LENGTH[1]) words.add(lower);
  }
  return words;
}

// WORDS_PER_LANGUAGE words of each language that no other list has, drawn with a seed.
export function languageWords(dir = '/usr/share/dict') {
  const lists = LANGUAGES.map(([, , file]) => plainWords(join(dir, file)));
  const seen = new Map();
  for (const list of lists) for (const word of list) seen.set(word, (seen.get(word) ?? 0) + 1);
  const random = seededRandom(WORDS_SEED);
  return LANGUAGES.map(([code, name, file], k) => {
    const own = [...lists[k]].filter((word) => seen.get(word) === 1).sort();
    if (own.length < WORDS_PER_LANGUAGE)
      throw new Error(`${file} has ${own.length} words of its own; ${WORDS_PER_LANGUAGE} are needed`);
    return { code, name, source: `/usr/share/dict/${file}`, words: shuffle(own, random).slice(0, WORDS_PER_LANGUAGE) };
  });
}

function packed(dir, name, text) {
  const raw = Buffer.from(text, 'utf8');
  const compressed = gzipSync(raw, { level: 9, memLevel: 9 });
  writeFileSync(join(dir, name), compressed);
  return {
    path: name,
    bytes: compressed.length,
    rawBytes: raw.length,
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

export function buildText(outDir) {
  const dir = join(outDir, 'text');
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath) && statSync(fileURLToPath(import.meta.url)).mtimeMs < statSync(manifestPath).mtimeMs)
    return;
  mkdirSync(dir, { recursive: true });
  const languages = languageWords();
  const manifest = {
    format: 'text-gzip/1',
    kjv: {
      description: 'The King James Version of the Bible, one verse per line (Debian bible-kjv-text; public domain)',
      ...packed(dir, 'kjv.txt.gz.bin', bibleText()),
    },
    words: {
      description: `${WORDS_PER_LANGUAGE} words of each of ${languages.length} languages from Debian's word lists, seed ${WORDS_SEED}`,
      languages: languages.map(({ code, name, source }) => ({ code, name, source })),
      ...packed(dir, 'words.json.gz.bin', JSON.stringify(Object.fromEntries(languages.map((l) => [l.code, l.words])))),
    },
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `data: text: the KJV (${(manifest.kjv.bytes / 1e6).toFixed(2)} MB compressed), ${languages.length} languages' words (${(manifest.words.bytes / 1e3).toFixed(0)} KB)`,
  );
}
