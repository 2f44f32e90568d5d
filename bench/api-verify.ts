import { DataSource } from 'typeorm';
import { ChainSealer, verifyAccessLog } from '#libs/access-log';
import { typeormOptions } from '#libs/persistence';

// After a run: seal what is left and verify the access log with the app's key and checkpoints.
export async function verifyLog(url: string, key: string, checkpointDir: string): Promise<string> {
  const ds = new DataSource(typeormOptions({ url, poolSize: 2 }));
  await ds.initialize();
  try {
    const chain = { key: Buffer.from(key, 'utf8'), checkpointDir };
    await new ChainSealer(ds, chain).sealNow();
    const v = await verifyAccessLog(ds, chain);
    return v.ok
      ? `access log verified: ${v.entries} sealed entries, ${v.unsealed.entries} unsealed, checkpoint at position ${v.checkpoint?.pos ?? 'none'}`
      : `access log verification FAILED: ${v.broken
          .slice(0, 5)
          .map((b) => `#${b.seq} ${b.problem}`)
          .join('; ')}`;
  } finally {
    await ds.destroy();
  }
}
