import type { AlertSeverity } from '@/contract/alerts';

/**
 * A distinct shape per severity (octagon, triangle, diamond, circle), so
 * severities differ in form as well as colour.
 */
export function SeverityIcon({ severity, size = 16 }: { severity: AlertSeverity; size?: number }) {
  return (
    <svg
      className={`wf-sev-icon wf-sev-icon--${severity}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
    >
      {severity === 'critical' && (
        <polygon points="5,1 11,1 15,5 15,11 11,15 5,15 1,11 1,5" fill="currentColor" />
      )}
      {severity === 'high' && <polygon points="8,1 15,14.5 1,14.5" fill="currentColor" />}
      {severity === 'medium' && <polygon points="8,1 15,8 8,15 1,8" fill="currentColor" />}
      {severity === 'low' && <circle cx="8" cy="8" r="6.5" fill="currentColor" />}
      <text
        x="8"
        y={severity === 'high' ? 13 : 12}
        textAnchor="middle"
        fontSize="10"
        fontWeight="800"
        fill="#0b1016"
      >
        {severity === 'low' ? 'i' : '!'}
      </text>
    </svg>
  );
}
