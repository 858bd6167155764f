/**
 * Said where a deal is put on an agenda: doing so makes you one who asked for the decision, who then may not
 * vote on it (found by a new user's pass: with three members, the one who scheduled the deal left a quorum
 * of two, and nothing had said so).
 */
export function RequesterNote() {
  return (
    <p className="muted">
      Whoever puts a deal on the agenda asks for the committee&rsquo;s decision and does not vote on it (four
      eyes): the quorum must come from the other members.
    </p>
  );
}
