// A node's gradient-check badge: the worst relative error over its parameters, coloured by level.
import { useRev, useT, useTraining } from '../appContext.tsx';
import { gradcheckLevel, sci } from './levels.ts';

export function GradcheckBadge({ nodeId }: { nodeId: string }) {
  const t = useT();
  const worst = useTraining((s) => {
    if (!s.gradcheck || s.gradcheck === 'running') return null;
    let max: number | null = null;
    for (const p of s.gradcheck.result.params)
      if (p.nodeId === nodeId) max = Math.max(max ?? 0, Number.isNaN(p.maxRelError) ? Infinity : p.maxRelError);
    return max;
  });
  const rev = useRev('gradcheck');
  if (worst === null) return null;
  const level = gradcheckLevel(worst);
  return (
    <span
      className={`ng-gc-badge ${level}`}
      data-testid="gradcheck-badge"
      data-rev={rev}
      data-level={level}
      title={t(`gradcheck.verdict.${level}`, { max: sci(worst) })}
    >
      ∇ {sci(worst)}
    </span>
  );
}
