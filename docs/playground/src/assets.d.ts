/** YAML files are bundled as their text (esbuild's `text` loader, scripts/build-playground.mjs). */
declare module "*.yaml" {
  const text: string;
  export default text;
}
