import loadHighs from 'highs';
import fs from 'node:fs';
const highs = await loadHighs();
const lp = fs.readFileSync('/tmp/lp-146.lp', 'utf8');
const relaxed = lp.replace(/Binaries[\s\S]*End/, 'End');
for (let k = 0; k < 6; k++) {
  let t0 = performance.now();
  let r = highs.solve(relaxed, { output_flag: false });
  const lpT = performance.now() - t0;
  t0 = performance.now();
  r = highs.solve(lp, { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5 });
  const mipT = performance.now() - t0;
  t0 = performance.now();
  r = highs.solve(lp, { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5, presolve: 'off' });
  const mip2 = performance.now() - t0;
  console.log('LP', Math.round(lpT), 'MIP', Math.round(mipT), 'MIP nopresolve', Math.round(mip2));
}
