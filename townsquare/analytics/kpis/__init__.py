"""The KPIs of analytics, as pure functions with their definitions beside them: frozen
dataclasses in, frozen dataclasses out, no Django (readers.py fills the inputs).

- periods: Period, Comparison (every KPI beside the previous period of the same length)
- visibility: impressions or views, reach, profile visits, link clicks
- community: followers, net growth, engagement rate per network, engaged users,
  returning engagers, conversation depth
- care: answered share, first-response time (median, p90; in and out of business hours),
  sentiment score, the team
- plan: goals, cadence and pillar mix against the plan
- series: daily and weekly series, shares, the weekday x hour matrix
"""
