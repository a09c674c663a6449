/**
 * Manifests from the user's files: dropped on the editor or picked with the file
 * input. Several files become one multi-document YAML text, in the order given.
 */

/** The text of `files` joined as YAML documents. */
export async function readManifestFiles(files: ArrayLike<File>): Promise<string> {
  const texts = await Promise.all(Array.from(files, (file) => file.text()));
  return texts.map((text) => text.trimEnd()).join("\n---\n");
}

/**
 * Calls `load` with the text of the files dropped on `zone`, which is marked
 * `dragging` while files hover over it.
 */
export function acceptDrops(zone: HTMLElement, load: (text: string) => void): void {
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") === true;
  zone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    void readManifestFiles(event.dataTransfer?.files ?? []).then(load);
  });
}
