import { useState } from 'react';
import { type Cents, parseDollars } from '../../domain/money.ts';
import { exactAmount } from '../format.ts';

/** What a person typed as dollars, read by the domain's one parser: the cents, or why it is not an amount. */
export function readDollars(text: string): { cents: Cents } | { problem: string } {
  try {
    return { cents: parseDollars(text) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/**
 * A dollar amount typed as text ("75,000,000" or "75000000.00"), read back to the cent as it is typed, so
 * the person sees what will be recorded before they send it; the server parses the same text the same way.
 */
export function AmountInput({
  label,
  name,
  defaultValue = '',
  onChange,
  optional = false,
}: {
  label: string;
  name: string;
  defaultValue?: string;
  onChange?: (text: string) => void;
  /** An amount the form may go without (left empty, it is not sent). */
  optional?: boolean;
}) {
  const [text, setText] = useState(defaultValue);
  const read = text.trim() ? readDollars(text) : null;
  return (
    <label>
      {label}
      <input
        name={name}
        required={!optional}
        inputMode="decimal"
        placeholder="75,000,000.00"
        value={text}
        aria-invalid={read !== null && 'problem' in read}
        onChange={(e) => {
          setText(e.target.value);
          onChange?.(e.target.value);
        }}
      />
      <output className="muted" aria-live="polite">
        {read === null ? 'in dollars' : 'cents' in read ? exactAmount(read.cents) : read.problem}
      </output>
    </label>
  );
}
