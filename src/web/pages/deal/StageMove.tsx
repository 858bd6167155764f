import { useState } from 'react';
import { allowedMoves, type Stage } from '../../../domain/stages.ts';
import { api } from '../../api.ts';
import { Options } from '../../components/Options.tsx';
import { Refusal } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useAction } from '../../use-action.ts';

/** The pipeline board's "Move to", on the deal page: the moves the pipeline rules allow from this stage. */
export function StageMove({ dealId, stage, onMoved }: { dealId: string; stage: Stage; onMoved(): void }) {
  const [to, setTo] = useState('');
  const move = useAction(() => {
    setTo('');
    onMoved();
  });
  const moves = allowedMoves(stage);
  if (!moves.length) return null;
  return (
    <form
      className="filters entry"
      aria-label="Move stage"
      onSubmit={(e) => {
        e.preventDefault();
        if (!to) return;
        void move.run(
          () => api.post('/api/deals/:id/stage', { params: { id: dealId }, body: { to: to as Stage } }),
          `Moved from ${label(stage)} to ${label(to)}.`,
        );
      }}
    >
      <label>
        Move to
        <select value={to} required onChange={(e) => setTo(e.target.value)}>
          <option value="">…</option>
          <Options values={moves} />
        </select>
      </label>
      <button type="submit">Move</button>
      {move.done && (
        <p className="notice ok" role="status">
          {move.done}
        </p>
      )}
      <Refusal error={move.error} />
    </form>
  );
}
