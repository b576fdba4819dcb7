"""Analytics: the counters of accounts and posts kept in our own tables, the KPIs read from
them, dashboards, best time to post, reports and imports of the networks' own exports."""
