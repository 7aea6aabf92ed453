import { useEffect, useState } from 'react';
import { scanUpload } from '../../datasets';
import { importFile } from '../../runs';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/** Every file under a dropped folder, with its path ("folder/sub/file.png"). */
async function folderFiles(entry: FileSystemEntry): Promise<{ file: File; path: string }[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return [{ file, path: entry.fullPath.replace(/^\//, '') }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries per call; an empty batch means the end.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map(folderFiles))).flat();
}

/** A zip is a weights file when its directory names a manifest.json (read from its tail). */
async function isBundle(file: File): Promise<boolean> {
  const tail = new Uint8Array(await file.slice(Math.max(0, file.size - 65_536)).arrayBuffer());
  return new TextDecoder('latin1').decode(tail).includes('manifest.json');
}

/**
 * What a drop means: a weights file (a zip with a manifest) loads; a folder, several images
 * or a zip of images goes to the data set import.
 */
async function route(transfer: DataTransfer): Promise<void> {
  const entries = [...transfer.items]
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => entry != null);
  const files = [...transfer.files];
  if (entries.some((entry) => entry.isDirectory)) {
    const all = (await Promise.all(entries.map(folderFiles))).flat();
    const name = entries.find((entry) => entry.isDirectory)!.name;
    await scanUpload({ kind: 'files', name, files: all });
    return;
  }
  const [first] = files;
  if (!first) return;
  if (files.length === 1 && /\.(pt|pth|ckpt|safetensors)$/i.test(first.name)) {
    await importFile(first); // a PyTorch checkpoint: the worker recognises its format
    return;
  }
  if (files.length === 1 && /\.zip$/i.test(first.name)) {
    if (await isBundle(first)) await importFile(first);
    else await scanUpload({ kind: 'zip', file: first });
    return;
  }
  await scanUpload({
    kind: 'files',
    name: 'dropped images',
    files: files.map((file) => ({ file, path: `dropped/${file.name}` })),
  });
}

/** Dropping files anywhere on the page imports them; an overlay says so while dragging. */
export function DropZone() {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      void route(event.dataTransfer);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay">
      Drop a weights file to load it, or images, a folder or a zip of images to train on
    </div>
  );
}
