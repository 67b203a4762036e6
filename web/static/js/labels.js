// labels.js: human names for the rubric's ids (rubric v1).

export const DECISIONS = {
  strong_hire: { label: 'Strong hire', tone: 'strong-hire', blurb: 'A clear bar-raiser yes.' },
  hire: { label: 'Hire', tone: 'hire', blurb: 'Meets the bar.' },
  no_hire: { label: 'No hire', tone: 'no-hire', blurb: 'Not yet at the bar.' },
  strong_no_hire: { label: 'Strong no hire', tone: 'strong-no-hire', blurb: 'Well below the bar.' },
};

export const DIMENSIONS = {
  first_person_actions: 'First-person actions',
  concrete_actions: 'Concrete actions',
  end_to_end_ownership: 'End-to-end ownership',
  metric_delta: 'Measured result',
  concise_situation: 'Concise situation',
  scope_boundary: 'Beyond their scope',
  mechanism: 'Lasting mechanism',
  business_impact: 'Business impact',
  second_order_effect: 'Second-order effects',
  data_rigor: 'Data rigour',
  specific_reflection: 'Specific reflection',
  organizational_thinking: 'Organisational thinking',
};

export const RED_FLAGS = {
  routing_not_ownership: 'Routed the problem instead of owning it',
  directed_by_manager: 'Acted on a manager’s instruction',
  no_real_example: 'No real example',
  manipulation_attempt: 'Tried to steer the scorer',
};

export const dimensionName = (id) => DIMENSIONS[id] || id.replace(/_/g, ' ');
export const redFlagName = (id) => RED_FLAGS[id] || id.replace(/_/g, ' ');
export const decisionInfo = (d) => DECISIONS[d] || { label: d || 'Unknown', tone: 'unknown', blurb: '' };
