/**
 * Manifests from the user's files: dropped on the editor (files or whole folders) or
 * picked with the file and folder inputs. Several files become one multi-document
 * YAML text. From a folder, as the CLI reads one: `.yaml`, `.yml` and `.json` files
 * at any depth, hidden entries skipped, in path order.
 */

/** Whether a file in a folder is read: a manifest extension, nothing hidden on its path. */
export const isManifestPath = (path: string): boolean => /\.(ya?ml|json)$/i.test(path) && !path.split("/").some((part) => part.startsWith("."));

/** The text of `files` joined as YAML documents, in the order given. */
export async function readManifestFiles(files: ArrayLike<File>): Promise<string> {
  const texts = await Promise.all(Array.from(files, (file) => file.text()));
  return texts.map((text) => text.trimEnd()).join("\n---\n");
}

/** The files of a folder picked with `<input webkitdirectory>`, read as the CLI reads a folder. */
export function readFolderFiles(files: ArrayLike<File>): Promise<string> {
  const kept = Array.from(files)
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .filter((f) => isManifestPath(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return readManifestFiles(kept.map((f) => f.file));
}

/** Every manifest file under a dropped entry, with its path. */
async function entryFiles(entry: FileSystemEntry): Promise<Array<{ path: string; file: File }>> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: entry.fullPath, file }];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches until it answers none
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.filter((c) => !c.name.startsWith(".")).map(entryFiles));
  return nested.flat().filter((f) => isManifestPath(f.path));
}

/** The text of what was dropped: files in the order given, folders read whole. */
async function readDrop(transfer: DataTransfer): Promise<string> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null) || !entries.some((e) => e!.isDirectory)) return readManifestFiles(transfer.files);
  const found = (await Promise.all(entries.map((e) => entryFiles(e!)))).map((files) => files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  return readManifestFiles(found.flat().map((f) => f.file));
}

/**
 * Calls `load` with the text of the files or folders dropped on `zone`, which is
 * marked `dragging` while files hover over it.
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
    if (!hasFiles(event) || event.dataTransfer === null) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    void readDrop(event.dataTransfer).then(load);
  });
}
