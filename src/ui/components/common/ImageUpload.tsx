import { type ChangeEvent, useId } from 'react';
import { faceFromFile } from '../../imageUpload';
import { addNotice } from '../../notices';

/**
 * "Upload…": the user's images, each cropped to a square (see cropSquare) and scaled to `size`
 * px, handed over one by one; a file the browser cannot read gets a notice naming it, and the
 * others still arrive.
 */
export function ImageUploadButton({
  size,
  crop = 'square',
  onImage,
  testId,
}: {
  readonly size: number;
  readonly crop?: 'square' | 'celeba';
  readonly onImage: (pixels: Float32Array, fileName: string) => void;
  readonly testId: string;
}) {
  const id = useId();
  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    for (const file of files) {
      try {
        onImage(await faceFromFile(file, size, crop), file.name);
      } catch (error) {
        addNotice('error', error instanceof Error ? error.message : String(error));
      }
    }
  };
  return (
    <label className="upload" htmlFor={id}>
      Upload…
      <input
        id={id}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        multiple
        onChange={onChange}
        data-testid={testId}
      />
    </label>
  );
}
