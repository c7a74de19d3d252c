// SVG -> PNG with resvg (Rust, shipped as a prebuilt binding inside its npm package; no browser).
// resvg draws no text without a font, and the system may have none: DejaVu Sans comes from the
// dejavu-fonts-ttf package. Both are loaded lazily; without them PNG output is skipped, not fatal.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array | { skipped: string }> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  let font: string;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
    font = join(
      dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
      'ttf',
      'DejaVuSans.ttf',
    );
  } catch (e) {
    return {
      skipped: `PNG output needs @resvg/resvg-js and dejavu-fonts-ttf (${(e as Error).message.split('\n')[0]})`,
    };
  }
  const r = new Resvg(svg, {
    font: {
      fontFiles: [font],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
  });
  return r.render().asPng();
}
