/** The recovery plan: goals in the peer's own words, strengths, review date. */
import { GOAL_STATUSES, labelOf, PLAN_STATUSES, RECOVERY_DOMAINS, type RecoveryPlan } from '@peerkit/model';
import { h } from '../dom';

/** The plan's view, or a sentence saying there is none. */
export function planView(plan: RecoveryPlan | undefined): HTMLElement {
  if (!plan) return h('p', {}, 'No recovery plan on file for this patient.');
  return h(
    'div',
    { class: 'plan' },
    h('p', {}, `Status: ${labelOf(PLAN_STATUSES, plan.status) ?? plan.status}`, plan.reviewDue ? ` · review due ${plan.reviewDue}` : ''),
    h('h3', {}, 'Goals, in the peer\'s words'),
    h(
      'ol',
      { class: 'goals' },
      plan.goals.map((g) =>
        h(
          'li',
          {},
          h('q', {}, g.text),
          h('span', { class: 'muted' }, ` — ${labelOf(RECOVERY_DOMAINS, g.domain) ?? g.domain}, ${labelOf(GOAL_STATUSES, g.status) ?? g.status}`, g.target ? `, target ${g.target}` : ''),
        ),
      ),
    ),
    plan.strengths.length === 0 ? null : [h('h3', {}, 'Strengths'), h('ul', {}, plan.strengths.map((s) => h('li', {}, s)))],
  );
}
