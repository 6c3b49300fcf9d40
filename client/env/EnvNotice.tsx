/** What the Environment dialog's last change did (the app restarts with it), announced politely. */
export function EnvNotice({ notice }: { notice: string | null }) {
  return notice ? (
    <p className="env-notice small" role="status">
      {notice}
    </p>
  ) : null;
}
