// An image set's classes as the Your images panel shows them: each class with its count,
// a button to delete it, and its latest images as thumbnails, each deletable.
import { drawPixels, h } from '../dom.js';
import { classCounts } from './store.js';

const SHOWN_PER_CLASS = 24;

// actions: {deleteClass(k), deleteImage(image)}.
export function classViews(set, actions) {
  const counts = classCounts(set);
  const shape = [set.size, set.size, set.channels];
  return set.classNames.map((c, k) => {
    const mine = set.images.filter((i) => i.label === k);
    return h(
      'div',
      { class: 'image-class', 'data-class': c },
      h(
        'div',
        { class: 'row' },
        h('strong', {}, c),
        ` ${counts[k]} images`,
        h(
          'button',
          { type: 'button', onclick: () => actions.deleteClass(k), 'aria-label': `delete class ${c}` },
          'Delete class',
        ),
      ),
      h(
        'div',
        { class: 'thumbs' },
        mine.slice(-SHOWN_PER_CLASS).map((image) => thumbnail(image, c, shape, actions)),
        mine.length > SHOWN_PER_CLASS
          ? h('span', { class: 'hint' }, `and ${mine.length - SHOWN_PER_CLASS} more`)
          : null,
      ),
    );
  });
}

function thumbnail(image, c, shape, actions) {
  const canvas = h('canvas', { width: 32, height: 32, class: 'thumb', role: 'img', 'aria-label': `an image of ${c}` });
  drawPixels(canvas, image.pixels, shape);
  const remove = h(
    'button',
    {
      type: 'button',
      class: 'thumb-delete',
      'aria-label': `delete this image of ${c}`,
      onclick: () => actions.deleteImage(image),
    },
    '×',
  );
  return h('span', { class: 'thumb-box' }, canvas, remove);
}
