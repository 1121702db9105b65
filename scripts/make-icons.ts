// Draws the tray icons (one per health state) and the application icon, and writes them as PNG,
// ICO (PNG-in-ICO, valid since Windows Vista) and macOS template images (black + alpha). No image
// library: shapes are distance functions rasterised with 4x4 supersampling, PNGs are written with
// zlib. Run `npx tsx scripts/make-icons.ts` after changing a shape; the output is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgb = [number, number, number];
type Shape = (x: number, y: number) => boolean;

// ---- PNG / ICO containers ------------------------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA, 8 bits per channel, non-interlaced. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function encodeIco(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

// ---- shapes (unit square, y down) ----------------------------------------------------------

const disc = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, width: number): Shape => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - width;
};
function segment(ax: number, ay: number, bx: number, by: number, width: number): Shape {
  return (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const h = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax - dx * h, y - ay - dy * h) <= width / 2;
  };
}
const polyline = (points: Array<[number, number]>, width: number): Shape[] =>
  points.slice(1).map((p, i) => segment(points[i]![0], points[i]![1], p[0], p[1], width));
const any = (shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const roundedSquare = (inset: number, radius: number): Shape => (x, y) => {
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
  return Math.hypot(qx, qy) <= radius;
};

const stroke = 0.12;
const background = disc(0.5, 0.5, 0.47);

interface TrayDesign {
  colour: Rgb;
  /** Filled disc with the glyph knocked out in white, or an outline only. */
  fill: Shape;
  glyph: Shape;
}

export const trayDesigns: Record<string, TrayDesign> = {
  ok: { colour: [46, 125, 50], fill: background, glyph: any(polyline([[0.27, 0.52], [0.43, 0.68], [0.73, 0.36]], stroke)) },
  running: {
    colour: [21, 101, 192],
    fill: background,
    glyph: any([segment(0.5, 0.73, 0.5, 0.3, stroke), ...polyline([[0.32, 0.47], [0.5, 0.28], [0.68, 0.47]], stroke)]),
  },
  warning: { colour: [230, 145, 0], fill: background, glyph: any([segment(0.5, 0.26, 0.5, 0.55, stroke), disc(0.5, 0.72, 0.075)]) },
  failed: { colour: [198, 40, 40], fill: background, glyph: any([segment(0.33, 0.33, 0.67, 0.67, stroke), segment(0.67, 0.33, 0.33, 0.67, stroke)]) },
  overdue: { colour: [230, 81, 0], fill: background, glyph: any([segment(0.5, 0.52, 0.5, 0.26, stroke), segment(0.5, 0.52, 0.69, 0.63, stroke)]) },
  paused: { colour: [117, 117, 117], fill: background, glyph: any([segment(0.39, 0.31, 0.39, 0.69, stroke * 1.1), segment(0.61, 0.31, 0.61, 0.69, stroke * 1.1)]) },
  'not-configured': { colour: [117, 117, 117], fill: ring(0.5, 0.5, 0.47, 0.13), glyph: disc(0.5, 0.5, 0.09) },
};

// ---- rasteriser ----------------------------------------------------------------------------

type Painter = (x: number, y: number) => [number, number, number, number] | null;

export function rasterise(size: number, paint: Painter): Uint8Array {
  const samples = 4;
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha; g += colour[1] * alpha; b += colour[2] * alpha; a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a); out[i + 1] = Math.round(g / a); out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return out;
}

const white: [number, number, number, number] = [255, 255, 255, 255];

export function colourPainter(design: TrayDesign): Painter {
  const filled = design.fill === background;
  return (x, y) => {
    if (filled) {
      if (!design.fill(x, y)) return null;
      return design.glyph(x, y) ? white : [...design.colour, 255];
    }
    return design.fill(x, y) || design.glyph(x, y) ? [...design.colour, 255] : null;
  };
}

/** macOS template image: black with alpha; the glyph is cut out of the disc so its shape tells the state. */
export function templatePainter(design: TrayDesign): Painter {
  const filled = design.fill === background;
  return (x, y) => {
    const inShape = filled ? design.fill(x, y) && !design.glyph(x, y) : design.fill(x, y) || design.glyph(x, y);
    return inShape ? [0, 0, 0, 255] : null;
  };
}

const appIcon: Painter = (x, y) => {
  if (!roundedSquare(0.04, 0.18)(x, y)) return null;
  const door = ring(0.5, 0.5, 0.33, 0.075)(x, y);
  const keyhole = disc(0.5, 0.45, 0.075)(x, y) || segment(0.5, 0.45, 0.5, 0.62, 0.07)(x, y);
  const bolts = [0, 1, 2, 3].some((k) => {
    const angle = Math.PI / 4 + (k * Math.PI) / 2;
    return disc(0.5 + Math.cos(angle) * 0.2, 0.5 + Math.sin(angle) * 0.2, 0.035)(x, y);
  });
  return door || keyhole || bolts ? white : [21, 76, 140, 255];
};

// ---- output --------------------------------------------------------------------------------

export function makeIcons(outDir: string): string[] {
  const written: string[] = [];
  const write = (file: string, data: Buffer) => {
    const full = path.join(outDir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, data);
    written.push(full);
  };
  const png = (size: number, painter: Painter) => encodePng(size, size, rasterise(size, painter));

  for (const [state, design] of Object.entries(trayDesigns)) {
    const colour = colourPainter(design);
    const template = templatePainter(design);
    write(`tray/${state}.png`, png(16, colour));
    write(`tray/${state}@2x.png`, png(32, colour));
    write(`tray/${state}Template.png`, png(16, template));
    write(`tray/${state}Template@2x.png`, png(32, template));
    write(`tray/${state}.ico`, encodeIco([16, 24, 32, 48].map((size) => ({ size, png: png(size, colour) }))));
  }
  write('app/icon.png', png(512, appIcon));
  write('app/icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png(size, appIcon) }))));
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = makeIcons(path.join(root, 'resources', 'icons'));
  console.log(`wrote ${files.length} files under resources/icons`);
}
