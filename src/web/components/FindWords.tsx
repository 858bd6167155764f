/** The words field of a list's filters: typed freely, sent to the URL (and the server) when the typing pauses. */
export function FindWords({
  words,
  onWords,
  placeholder,
}: {
  words: string;
  onWords(words: string): void;
  placeholder: string;
}) {
  return (
    <label>
      Find
      <input
        type="search"
        value={words}
        placeholder={placeholder}
        onChange={(e) => onWords(e.target.value)}
      />
    </label>
  );
}
