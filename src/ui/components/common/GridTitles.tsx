/** Column titles over an ImageGridCanvas, one per image column, on its cell and gap. */
export function GridTitles({
  columns,
  cell,
  gap,
}: {
  readonly columns: readonly string[];
  readonly cell: number;
  readonly gap: number;
}) {
  return (
    <div
      className="grid-titles"
      style={{ gridTemplateColumns: `repeat(${columns.length}, ${cell}px)`, gap }}
    >
      {columns.map((title) => (
        <span key={title}>{title}</span>
      ))}
    </div>
  );
}
