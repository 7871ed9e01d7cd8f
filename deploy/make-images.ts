/**
 * Draws the deployment images with nothing but Node (zlib): the Teams app icons and the LINE rich
 * menu picture. Run `npx tsx deploy/make-images.ts`; the PNGs are committed, so this is only
 * needed after changing the drawing.
 *
 * - deploy/teams/color.png   192×192, full-bleed colour icon (Teams: 192×192 colour)
 * - deploy/teams/outline.png 32×32, white on transparent (Teams: 32×32 outline, white only)
 * - deploy/line/richmenu.png 2500×843, three panels 「診断する」「相談先」「使い方」 as pictograms
 *   (compass, map pin, question bubble); LINE: 2500×843 allowed, ≤ 1 MB.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

type RGBA = [number, number, number, number];
/** A shape: coverage test in the image's own pixel coordinates. */
type Shape = { inside: (x: number, y: number) => boolean; color: RGBA };

const TEAL: RGBA = [31, 122, 109, 255];
const WHITE: RGBA = [255, 255, 255, 255];
const YELLOW: RGBA = [255, 209, 102, 255];

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (row-major) as a PNG (8-bit RGBA, no interlace). */
function png(width: number, height: number, pixels: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Rasterises shapes in order over `background` with ss×ss supersampling (anti-aliased edges). */
function draw(width: number, height: number, background: RGBA, shapes: Shape[], ss = 4): Uint8Array {
  const px = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const fx = x + (sx + 0.5) / ss;
          const fy = y + (sy + 0.5) / ss;
          let c = background;
          for (const s of shapes) if (s.inside(fx, fy)) c = s.color;
          const a = c[3] / 255;
          acc[0] += c[0] * a; acc[1] += c[1] * a; acc[2] += c[2] * a; acc[3] += a;
        }
      }
      const n = ss * ss;
      const alpha = acc[3]! / n;
      const o = (y * width + x) * 4;
      px[o] = alpha ? Math.round(acc[0]! / acc[3]!) : 0;
      px[o + 1] = alpha ? Math.round(acc[1]! / acc[3]!) : 0;
      px[o + 2] = alpha ? Math.round(acc[2]! / acc[3]!) : 0;
      px[o + 3] = Math.round(alpha * 255);
    }
  }
  return px;
}

const ring = (cx: number, cy: number, r: number, w: number, color: RGBA): Shape => ({
  inside: (x, y) => { const d = Math.hypot(x - cx, y - cy); return d <= r && d >= r - w; }, color,
});
const disc = (cx: number, cy: number, r: number, color: RGBA): Shape => ({ inside: (x, y) => Math.hypot(x - cx, y - cy) <= r, color });
function triangle(a: [number, number], b: [number, number], c: [number, number], color: RGBA): Shape {
  const side = (p: [number, number], q: [number, number], x: number, y: number) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return {
    inside: (x, y) => {
      const d1 = side(a, b, x, y), d2 = side(b, c, x, y), d3 = side(c, a, x, y);
      return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
    },
    color,
  };
}
const rect = (x0: number, y0: number, x1: number, y1: number, color: RGBA): Shape => ({ inside: (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1, color });

/** Compass: ring and a needle pointing north-east (the bot shows the way to a programme). */
function compass(cx: number, cy: number, r: number, ringColor: RGBA, north: RGBA, south: RGBA): Shape[] {
  const len = r * 0.72, half = r * 0.2;
  const ux = Math.SQRT1_2, uy = -Math.SQRT1_2; // north-east
  const tip: [number, number] = [cx + ux * len, cy + uy * len];
  const tail: [number, number] = [cx - ux * len, cy - uy * len];
  const left: [number, number] = [cx - uy * half, cy + ux * half];
  const right: [number, number] = [cx + uy * half, cy - ux * half];
  return [ring(cx, cy, r, r * 0.16, ringColor), triangle(tip, left, right, north), triangle(tail, left, right, south)];
}

/** Map pin: a disc over a downward triangle, with a hole. */
function pin(cx: number, cy: number, r: number, color: RGBA, hole: RGBA): Shape[] {
  return [disc(cx, cy - r * 0.25, r * 0.55, color), triangle([cx - r * 0.48, cy - r * 0.05], [cx + r * 0.48, cy - r * 0.05], [cx, cy + r * 0.85], color), disc(cx, cy - r * 0.25, r * 0.22, hole)];
}

/** Speech bubble with an "i": how to use. */
function info(cx: number, cy: number, r: number, color: RGBA, mark: RGBA): Shape[] {
  return [
    disc(cx, cy - r * 0.1, r * 0.75, color),
    triangle([cx - r * 0.55, cy + r * 0.3], [cx - r * 0.1, cy + r * 0.55], [cx - r * 0.75, cy + r * 0.85], color),
    disc(cx, cy - r * 0.48, r * 0.1, mark),
    rect(cx - r * 0.08, cy - r * 0.28, cx + r * 0.08, cy + r * 0.3, mark),
  ];
}

writeFileSync(new URL('./teams/color.png', import.meta.url), png(192, 192, draw(192, 192, TEAL, compass(96, 96, 70, WHITE, YELLOW, WHITE))));
const CLEAR: RGBA = [0, 0, 0, 0];
writeFileSync(new URL('./teams/outline.png', import.meta.url), png(32, 32, draw(32, 32, CLEAR, compass(16, 16, 14.5, WHITE, WHITE, CLEAR).slice(0, 2).concat(compass(16, 16, 14.5, WHITE, WHITE, WHITE).slice(2)))));

// LINE rich menu: three equal panels; the areas in deploy/line/richmenu.json match these bounds.
const W = 2500, H = 843, third = W / 3;
const panels: Shape[] = [
  rect(0, 0, third, H, TEAL),
  rect(third, 0, 2 * third, H, [24, 98, 88, 255]),
  rect(2 * third, 0, W, H, [17, 77, 69, 255]),
  ...compass(third / 2, H / 2, 260, WHITE, YELLOW, WHITE),
  ...pin(third * 1.5, H / 2, 300, WHITE, [24, 98, 88, 255]),
  ...info(third * 2.5, H / 2, 300, WHITE, [17, 77, 69, 255]),
];
writeFileSync(new URL('./line/richmenu.png', import.meta.url), png(W, H, draw(W, H, TEAL, panels, 2)));
console.log('wrote deploy/teams/color.png, deploy/teams/outline.png, deploy/line/richmenu.png');
