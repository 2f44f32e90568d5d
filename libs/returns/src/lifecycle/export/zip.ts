import { ZipArchive } from 'archiver';

// Files into one zip, in memory (a return is a few kilobytes). date: fixed, so the same tables
// give the same bytes.
export async function zipFiles(
  files: { name: string; content: string }[],
  date: Date,
): Promise<Buffer> {
  const zip = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  zip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', () => resolve());
    zip.on('error', reject);
  });
  for (const f of files) zip.append(Buffer.from(f.content, 'utf8'), { name: f.name, date });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}
