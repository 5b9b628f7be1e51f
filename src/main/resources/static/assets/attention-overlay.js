// Draws one token's attention map over an image: the cells it weighed stay bright, the rest of the picture dims.

/**
 * @param canvas a canvas laid exactly over the image
 * @param map    rows x columns weights (summing to 1), as the API's attention[token] gives them
 */
export function showAttention(canvas, map) {
  const rect = canvas.getBoundingClientRect();
  const width = Math.max(1, Math.round(rect.width * devicePixelRatio));
  const height = Math.max(1, Math.round(rect.height * devicePixelRatio));
  canvas.width = width;
  canvas.height = height;
  const rows = map.length, columns = map[0].length;
  let max = 0;
  for (const row of map) for (const weight of row) max = Math.max(max, weight);
  // one pixel per cell, then scaled up with smoothing: a soft-edged spotlight rather than hard squares
  const cells = document.createElement('canvas');
  cells.width = columns;
  cells.height = rows;
  const context = cells.getContext('2d');
  const pixels = context.createImageData(columns, rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const share = max > 0 ? map[r][c] / max : 0;
      const i = (r * columns + c) * 4;
      pixels.data[i] = 10; pixels.data[i + 1] = 14; pixels.data[i + 2] = 30;
      pixels.data[i + 3] = Math.round(185 * (1 - Math.sqrt(share)));
    }
  }
  context.putImageData(pixels, 0, 0);
  const target = canvas.getContext('2d');
  target.clearRect(0, 0, width, height);
  target.imageSmoothingEnabled = true;
  target.drawImage(cells, 0, 0, width, height);
  canvas.hidden = false;
}

export function hideAttention(canvas) {
  canvas.hidden = true;
}

/** The most weighed cell, for a sentence a screen reader can say. */
export function peakCell(map) {
  let best = { row: 0, column: 0, weight: -1 };
  map.forEach((row, r) => row.forEach((weight, c) => {
    if (weight > best.weight) best = { row: r, column: c, weight };
  }));
  return best;
}
